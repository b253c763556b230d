using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>
/// The one durable state store (the ledger): cursors, delivered state, outbox, attempts and the sent-once ledger.
/// SQLite by default, PostgreSQL at scale; both pass the same compliance suite.
/// </summary>
public interface ISyncStore : IAsyncDisposable
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Reads a cursor (an opaque string the engine owns); null when none was saved.</summary>
    Task<string?> GetCursorAsync(string source, EntityKind entity, CancellationToken cancellationToken);

    /// <summary>Saves a cursor on its own.</summary>
    Task SetCursorAsync(string source, EntityKind entity, string cursor, CancellationToken cancellationToken);

    /// <summary>The state each destination last accepted, for the given keys (keys never delivered are absent).</summary>
    Task<IReadOnlyDictionary<string, DeliveredState>> GetDeliveredAsync(string destination, EntityKind entity,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Saves per-record state of a rule (for example a SKU's stock crossings, so back-in-stock fires once per crossing). Read it
    /// back with <see cref="GetDeliveredAsync"/> under the destination name <c>"!" + rule</c>.
    /// </summary>
    Task SaveRuleStateAsync(string rule, EntityKind entity, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> states,
        DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets delivered records (the source no longer has them: a catalogue item withdrawn). Returns how many were removed.</summary>
    Task<int> RemoveDeliveredAsync(string destination, EntityKind entity, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Every record a destination holds for one entity, in key order (feeds and reconciliation read it).</summary>
    IAsyncEnumerable<DeliveredState> ReadDeliveredAsync(string destination, EntityKind entity, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically: upserts outbox rows (a newer row for the same destination × entity × key replaces the pending one and bumps its
    /// revision), removes the given pending rows, and saves the cursor. A crash leaves either all of it or none.
    /// </summary>
    Task StageAsync(StageBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="max"/> pending rows due at <paramref name="now"/> (oldest first) for one destination and entity,
    /// so no other worker takes them until the lease ends or the row is completed.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> LeaseDueAsync(string destination, EntityKind entity, DateTimeOffset now, int max,
        TimeSpan leaseFor, CancellationToken cancellationToken);

    /// <summary>Drops every lease (a single process after a restart owns all rows again).</summary>
    Task ReleaseLeasesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Atomically applies the outcomes of one delivery call: accepted rows update the delivered state and leave the outbox
    /// (unless a newer revision was staged meanwhile), others move to their lane; every outcome is recorded as an attempt.
    /// </summary>
    Task CompleteAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>The earliest next-attempt time of pending rows for a destination (all entities when null); null when none are pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(string destination, EntityKind? entity, CancellationToken cancellationToken);

    /// <summary>Counts outbox rows per destination, entity and status.</summary>
    Task<IReadOnlyList<LaneCount>> CountLanesAsync(CancellationToken cancellationToken);

    /// <summary>Lists outbox rows in a status, newest first.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus status, string? destination, int limit, CancellationToken cancellationToken);

    /// <summary>One outbox row, or null.</summary>
    Task<OutboxEntry?> GetOutboxAsync(string destination, EntityKind entity, string key, CancellationToken cancellationToken);

    /// <summary>Moves matching rows (parked, quarantined or dead) back to pending, due now. Returns how many moved.</summary>
    Task<int> RequeueAsync(ReplaySelection selection, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Re-drives parked rows that wait on the given dependency. Returns how many moved.</summary>
    Task<int> ReleaseParkedAsync(string destination, DependencyKey dependency, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Re-drives every parked row of a destination whose dependency has been delivered meanwhile (one statement; closes the
    /// race between parking a record and delivering what it waits on). Returns how many moved.
    /// </summary>
    Task<int> ReleaseDeliveredDependenciesAsync(string destination, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Sent-once ledger, batched: marks every key intended that is not yet in the ledger, in one transaction, and returns the
    /// prior state of the keys that were already there (intended or sent).
    /// </summary>
    Task<IReadOnlyDictionary<string, SentOnceState>> MarkIntendedAsync(IReadOnlyCollection<string> ledgerKeys, DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>Sent-once ledger, batched: confirms the keys were accepted.</summary>
    Task MarkSentAsync(IReadOnlyCollection<string> ledgerKeys, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sent-once ledger: forgets intents the destination refused (they were not applied), so they can be sent later.</summary>
    Task ReleaseIntentsAsync(IReadOnlyCollection<string> ledgerKeys, CancellationToken cancellationToken);

    /// <summary>
    /// Records each order's contribution to its customer's history (replacing the order's previous contribution) and returns
    /// the recomputed summary of every customer touched.
    /// </summary>
    Task<IReadOnlyList<CustomerSummary>> RecordOrderFactsAsync(IReadOnlyList<OrderFact> facts, CancellationToken cancellationToken);

    /// <summary>
    /// Durable inbox: stores a change notification (a hint to re-read the record) unless its message id was seen before.
    /// Returns false for a duplicate. A notification is acknowledged to the platform only after this returns.
    /// </summary>
    Task<bool> TryAddInboxAsync(InboxMessage message, CancellationToken cancellationToken);

    /// <summary>Unprocessed inbox messages, oldest first.</summary>
    Task<IReadOnlyList<InboxMessage>> PendingInboxAsync(int max, CancellationToken cancellationToken);

    /// <summary>Marks inbox messages processed (their records were re-read and staged).</summary>
    Task CompleteInboxAsync(IReadOnlyCollection<long> sequences, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every attempt for one record, oldest first.</summary>
    Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string destination, EntityKind entity, string key, CancellationToken cancellationToken);

    /// <summary>Sent-once ledger: records the intent to send a non-idempotent effect. False when the key is already intended or sent.</summary>
    Task<bool> TryMarkIntendedAsync(string ledgerKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sent-once ledger: confirms the effect was accepted.</summary>
    Task MarkSentAsync(string ledgerKey, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sent-once ledger: the state of one key.</summary>
    Task<SentOnceState?> GetSentOnceAsync(string ledgerKey, CancellationToken cancellationToken);
}

/// <summary>Outbox row status. "Sent" rows leave the outbox; their trace stays in the attempts.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting to be sent (or retried at <see cref="OutboxEntry.NextAttemptAt"/>).</summary>
    Pending,
    /// <summary>Waiting on another record to be delivered first.</summary>
    Parked,
    /// <summary>Invalid; kept with the reason until fixed at the source or replayed.</summary>
    Quarantined,
    /// <summary>Rejected permanently after bounded retries; kept with full context, replayable.</summary>
    Dead,
}

/// <summary>What a destination last accepted for one record.</summary>
public sealed record DeliveredState(string Destination, EntityKind Entity, string Key, string Hash,
    IReadOnlyDictionary<string, string?> Fields, long SourceVersion, DateTimeOffset DeliveredAt);

/// <summary>One row of the outbox.</summary>
public sealed record OutboxEntry
{
    /// <summary>Destination name.</summary>
    public required string Destination { get; init; }
    /// <summary>Entity kind.</summary>
    public required EntityKind Entity { get; init; }
    /// <summary>Record key.</summary>
    public required string Key { get; init; }
    /// <summary>The full projection.</summary>
    public required IReadOnlyDictionary<string, string?> Fields { get; init; }
    /// <summary>The fields to send.</summary>
    public required IReadOnlyDictionary<string, string?> Changes { get; init; }
    /// <summary>Hash of <see cref="Fields"/>.</summary>
    public required string Hash { get; init; }
    /// <summary>Source version the projection came from.</summary>
    public long SourceVersion { get; init; }
    /// <summary>When the source changed the record.</summary>
    public DateTimeOffset SourceModifiedAt { get; init; }
    /// <summary>Lane.</summary>
    public OutboxStatus Status { get; init; }
    /// <summary>Delivery attempts so far.</summary>
    public int Attempts { get; init; }
    /// <summary>When the row is next due.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }
    /// <summary>Bumped on every restage; a completion for an older revision does not remove the row.</summary>
    public long Revision { get; init; }
    /// <summary>When the row was first staged.</summary>
    public DateTimeOffset EnqueuedAt { get; init; }
    /// <summary>Class of the last failure.</summary>
    public FailureKind? LastErrorKind { get; init; }
    /// <summary>Last failure message or quarantine reason.</summary>
    public string? LastError { get; init; }
    /// <summary>Last HTTP status code.</summary>
    public int? LastStatusCode { get; init; }
    /// <summary>The dependency a parked row waits on.</summary>
    public DependencyKey? WaitingOn { get; init; }
}

/// <summary>What one staging transaction writes.</summary>
/// <param name="Upserts">Rows to insert or replace.</param>
/// <param name="RemovePending">Pending rows made obsolete (the record went back to what the destination already has), each removed
/// only when its own source version is not newer than the read that found it obsolete.</param>
/// <param name="CursorSource">Source of the cursor to save, with <paramref name="CursorEntity"/> and <paramref name="Cursor"/>.</param>
/// <param name="CursorEntity">Entity of the cursor.</param>
/// <param name="Cursor">The cursor value; null saves none.</param>
public sealed record StageBatch(IReadOnlyList<OutboxEntry> Upserts, IReadOnlyList<(string Destination, EntityKind Entity, string Key, long SourceVersion)> RemovePending,
    string? CursorSource = null, EntityKind CursorEntity = EntityKind.Customer, string? Cursor = null);

/// <summary>The outcome of one outbox row after a delivery call.</summary>
/// <param name="Entry">The leased row.</param>
/// <param name="Status">Null when accepted (sent); otherwise the lane it moves to.</param>
/// <param name="At">When.</param>
/// <param name="NextAttemptAt">For a retry: when it is due again.</param>
/// <param name="ErrorKind">Failure class.</param>
/// <param name="StatusCode">HTTP status.</param>
/// <param name="Message">Platform message or reason.</param>
/// <param name="RequestSummary">What was sent, personal data masked, for the record trace.</param>
public sealed record DeliveryOutcome(OutboxEntry Entry, OutboxStatus? Status, DateTimeOffset At, DateTimeOffset? NextAttemptAt = null,
    FailureKind? ErrorKind = null, int? StatusCode = null, string? Message = null, string? RequestSummary = null)
{
    /// <summary>True when the destination accepted the row.</summary>
    public bool Accepted => Status is null;
}

/// <summary>Rows of one lane per destination and entity.</summary>
public sealed record LaneCount(string Destination, EntityKind Entity, OutboxStatus Status, long Count);

/// <summary>Which rows to requeue.</summary>
/// <param name="Status">Lane to take rows from.</param>
/// <param name="Destination">Destination, or all.</param>
/// <param name="Entity">Entity, or all.</param>
/// <param name="Keys">Specific keys, or all in the lane.</param>
/// <param name="EnqueuedFrom">Inclusive lower bound on enqueue time.</param>
/// <param name="EnqueuedBefore">Exclusive upper bound on enqueue time.</param>
public sealed record ReplaySelection(OutboxStatus Status, string? Destination = null, EntityKind? Entity = null,
    IReadOnlyCollection<string>? Keys = null, DateTimeOffset? EnqueuedFrom = null, DateTimeOffset? EnqueuedBefore = null);

/// <summary>One delivery attempt, for the record trace.</summary>
public sealed record AttemptRecord(string Destination, EntityKind Entity, string Key, DateTimeOffset At, string Outcome,
    FailureKind? ErrorKind, int? StatusCode, string? Message, string? RequestSummary, long SourceVersion);

/// <summary>A change notification kept in the inbox.</summary>
/// <param name="Sequence">Store-assigned order of arrival (0 before it is stored).</param>
/// <param name="MessageId">The platform's message id (deduplication key).</param>
/// <param name="Source">The source platform.</param>
/// <param name="Entity">The kind of the record it is about.</param>
/// <param name="Key">The record's key.</param>
/// <param name="ReceivedAt">When it arrived.</param>
public sealed record InboxMessage(long Sequence, string MessageId, string Source, EntityKind Entity, string Key, DateTimeOffset ReceivedAt);

/// <summary>One order's contribution to its customer's history.</summary>
/// <param name="CustomerId">The customer's source id.</param>
/// <param name="OrderId">The order's source id.</param>
/// <param name="PlacedAt">When it was placed.</param>
/// <param name="NetAmount">Total net of refunds; 0 for a cancelled order.</param>
/// <param name="Currency">Currency of the amount.</param>
/// <param name="Counted">False for cancelled orders (they count neither as an order nor as value).</param>
public sealed record OrderFact(string CustomerId, string OrderId, DateTimeOffset PlacedAt, decimal NetAmount, string Currency, bool Counted);

/// <summary>State of a sent-once ledger key.</summary>
public sealed record SentOnceState(string LedgerKey, DateTimeOffset IntendedAt, DateTimeOffset? SentAt)
{
    /// <summary>Intended but never confirmed: after a crash it is surfaced as uncertain, not blindly resent.</summary>
    public bool Uncertain => SentAt is null;
}
