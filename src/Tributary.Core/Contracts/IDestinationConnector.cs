using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>A marketing platform Tributary writes to.</summary>
public interface IDestinationConnector
{
    /// <summary>Short platform name used in state keys and logs ("emarsys").</summary>
    string Name { get; }

    /// <summary>Batch sizes and the published request rate.</summary>
    DestinationLimits Limits { get; }

    /// <summary>True when this destination takes records of the kind.</summary>
    bool Supports(EntityKind entity);

    /// <summary>
    /// How the destination takes records of a kind. <see cref="DeliverySemantics.Upsert"/>: the projection is the record's state
    /// and changed fields are sent. <see cref="DeliverySemantics.AppendOnce"/>: each projected field is an immutable fact (a sales
    /// line, an event trigger) that the destination cannot de-duplicate: a fact key is sent once and never again, guarded by the
    /// sent-once ledger.
    /// </summary>
    DeliverySemantics Semantics(EntityKind entity) => DeliverySemantics.Upsert;

    /// <summary>
    /// The projected fields that carry consent answers (an opt-in field, a channel status). Consent states are not personal
    /// data: outputs that mask every other value of a person show these in clear.
    /// </summary>
    IReadOnlySet<string> ConsentFields => NoFields;

    /// <summary>An empty field set.</summary>
    static readonly IReadOnlySet<string> NoFields = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Projects a canonical record onto this destination's fields, as strings. A null value means the source has no value
    /// (it never clears the destination unless configured). Returns a quarantine reason when the record cannot be sent.
    /// </summary>
    Projection Project(CanonicalRecord record);

    /// <summary>
    /// Sends one batch. Per-item results come back in the result; a failure of the whole call throws a
    /// <see cref="PlatformException"/> that the engine classifies.
    /// </summary>
    Task<DeliveryResult> DeliverAsync(EntityKind entity, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken);

    /// <summary>Checks credentials, field configuration and reachability.</summary>
    Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>How a destination takes records of one kind.</summary>
public enum DeliverySemantics
{
    /// <summary>Idempotent state: changed fields are sent, a resend is harmless.</summary>
    Upsert,
    /// <summary>Immutable facts sent exactly once each (fact key = projected field name).</summary>
    AppendOnce,
}

/// <summary>Published limits of a destination.</summary>
/// <param name="MaxBatchSize">Most records one call may carry.</param>
/// <param name="RequestsPerMinute">Published request limit per credential; null when there is none.</param>
public sealed record DestinationLimits(int MaxBatchSize, int? RequestsPerMinute);

/// <summary>A record projected onto destination fields, or the reason it cannot be sent.</summary>
/// <param name="Fields">Destination field → value; null means "no value at the source".</param>
/// <param name="QuarantineReason">Set when the record is invalid for this destination.</param>
/// <param name="DependsOn">Set when the record must wait for another (kind, key) to be delivered first.</param>
/// <param name="Note">
/// Set when part of the record was left out and the rest goes (a mobile number that is not valid: the contact is sent without
/// it and without SMS consent). Counted in the pass summary and logged with the key; never personal data.
/// </param>
public sealed record Projection(IReadOnlyDictionary<string, string?> Fields, string? QuarantineReason = null, DependencyKey? DependsOn = null,
    string? Note = null)
{
    /// <summary>A record that cannot be sent, with the reason.</summary>
    public static Projection Quarantine(string reason) => new(new Dictionary<string, string?>(), reason);
}

/// <summary>A record another one waits on.</summary>
/// <param name="Entity">Its kind.</param>
/// <param name="Key">Its key.</param>
public readonly record struct DependencyKey(EntityKind Entity, string Key);

/// <summary>One record to send.</summary>
/// <param name="Key">The record key.</param>
/// <param name="Changes">The fields that differ from what the destination last accepted: the only ones sent on an update.</param>
/// <param name="Fields">The full projection, for destinations that must send whole records.</param>
public sealed record DeliveryItem(string Key, IReadOnlyDictionary<string, string?> Changes, IReadOnlyDictionary<string, string?> Fields);

/// <summary>Per-item outcome of a batch; keys missing from <see cref="Failures"/> were accepted.</summary>
/// <param name="Failures">Key → failure.</param>
/// <param name="DestinationIds">Key → the destination's own id, when it returns one.</param>
/// <param name="Notes">
/// Key → what the destination did differently from what was asked for an accepted item (an opt-out it holds kept over an older
/// opt-in, say). Shown in the record's trace and logged; never personal data.
/// </param>
/// <param name="Consent">
/// Key → what the call learnt about the contact's consent: the value written (accepted items only) and the value the destination
/// reported when it was read before the write. Recorded in the consent ledger.
/// </param>
public sealed record DeliveryResult(IReadOnlyDictionary<string, ItemFailure> Failures, IReadOnlyDictionary<string, string>? DestinationIds = null,
    IReadOnlyDictionary<string, string>? Notes = null, IReadOnlyDictionary<string, IReadOnlyList<ConsentObservation>>? Consent = null)
{
    /// <summary>Everything accepted.</summary>
    public static DeliveryResult AllAccepted { get; } = new(new Dictionary<string, ItemFailure>());
}

/// <summary>Why one item of a batch failed.</summary>
/// <param name="Kind">How to handle it.</param>
/// <param name="Code">The platform's error code.</param>
/// <param name="Message">The platform's message.</param>
public sealed record ItemFailure(FailureKind Kind, string? Code, string Message);

/// <summary>One consent fact a destination call learnt about a contact.</summary>
/// <param name="Channel">The channel (<see cref="ConsentChannels"/>).</param>
/// <param name="Side"><see cref="ConsentSide.Written"/> or <see cref="ConsentSide.Reported"/>.</param>
/// <param name="Status">The value.</param>
/// <param name="Origin">The destination's field or list it was read from or written to.</param>
/// <param name="At">When the destination says it happened, when it says.</param>
public sealed record ConsentObservation(string Channel, ConsentSide Side, ConsentStatus Status, string? Origin, DateTimeOffset? At = null);
