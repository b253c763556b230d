using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>
/// The one durable state store (the ledger), as the composite a store implements: every role below plus schema creation and
/// disposal, so composition opens one object and hands each consumer the narrow role it uses. SQLite by default, PostgreSQL at
/// scale; both pass the same compliance suite per role.
/// </summary>
public interface ISyncStore : ICursorStore, IDeliveredStateStore, IRuleStateStore, IOutboxStore, ILaneStore, ISentOnceLedger,
    IInboxStore, IOrderHistoryStore, IConsentLedger, IErasureStore, IAsyncDisposable
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);
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

/// <summary>
/// Which delivery lane a row travels in. A row staged by the real-time lane (a change notification) is leased before any
/// backlog and may spend the real-time reserve of the destination's budget; a retry, a replay or a released parked row goes
/// back to the bulk lane.
/// </summary>
public enum OutboxLane
{
    /// <summary>Sweeps, backfills, heals, retries and replays.</summary>
    Bulk,
    /// <summary>Changes staged from notifications.</summary>
    Realtime,
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
    /// <summary>Status (pending, parked, quarantined or dead).</summary>
    public OutboxStatus Status { get; init; }
    /// <summary>Delivery lane: real-time rows are leased before the bulk backlog of the same destination and entity.</summary>
    public OutboxLane Lane { get; init; }
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
public sealed record InboxMessage(long Sequence, string MessageId, string Source, EntityKind Entity, string Key, DateTimeOffset ReceivedAt)
{
    /// <summary>Failed re-reads so far (each deferred the message; see <see cref="IInboxStore.DeferInboxAsync"/>).</summary>
    public int Attempts { get; init; }

    /// <summary>Why the last re-read failed, when one did.</summary>
    public string? LastError { get; init; }
}

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
