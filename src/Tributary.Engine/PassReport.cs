using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>Live counters of one pass; every record read ends in exactly one of the outcome counters.</summary>
public sealed class PassCounters
{
    private long _read, _changed, _unchanged, _stale, _quarantined, _rejected, _sent, _retried, _dead, _parked, _calls, _itemFailures;

    /// <summary>Records read from the source.</summary>
    public long Read => Interlocked.Read(ref _read);
    /// <summary>Records (per destination) staged because something changed.</summary>
    public long Changed => Interlocked.Read(ref _changed);
    /// <summary>Records (per destination) equal to what the destination has: no call.</summary>
    public long Unchanged => Interlocked.Read(ref _unchanged);
    /// <summary>Records older than the version already applied (version gate).</summary>
    public long Stale => Interlocked.Read(ref _stale);
    /// <summary>Records quarantined as invalid (at projection or by the destination).</summary>
    public long Quarantined => Interlocked.Read(ref _quarantined);
    /// <summary>Records the source connector could not map.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);
    /// <summary>Records the destination accepted.</summary>
    public long Sent => Interlocked.Read(ref _sent);
    /// <summary>Record deliveries scheduled for a retry.</summary>
    public long Retried => Interlocked.Read(ref _retried);
    /// <summary>Records moved to the dead lane.</summary>
    public long Dead => Interlocked.Read(ref _dead);
    /// <summary>Records parked behind a dependency.</summary>
    public long Parked => Interlocked.Read(ref _parked);
    /// <summary>Destination calls made.</summary>
    public long Calls => Interlocked.Read(ref _calls);
    /// <summary>Per-item failures reported inside successful calls.</summary>
    public long ItemFailures => Interlocked.Read(ref _itemFailures);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _skipped = new(StringComparer.Ordinal);

    /// <summary>Records left out on purpose (out of scope), by reason; counted, never silently dropped.</summary>
    public IReadOnlyDictionary<string, long> SkippedReasons => new Dictionary<string, long>(_skipped);

    /// <summary>Records left out on purpose.</summary>
    public long Skipped => _skipped.Values.Sum();

    internal void AddSkipped(string reason) => _skipped.AddOrUpdate(reason, 1, (_, n) => n + 1);

    internal void AddRead(long n) => Interlocked.Add(ref _read, n);
    internal void AddChanged(long n) => Interlocked.Add(ref _changed, n);
    internal void AddUnchanged(long n) => Interlocked.Add(ref _unchanged, n);
    internal void AddStale(long n) => Interlocked.Add(ref _stale, n);
    internal void AddQuarantined(long n) => Interlocked.Add(ref _quarantined, n);
    internal void AddRejected(long n) => Interlocked.Add(ref _rejected, n);
    internal void AddSent(long n) => Interlocked.Add(ref _sent, n);
    internal void AddRetried(long n) => Interlocked.Add(ref _retried, n);
    internal void AddDead(long n) => Interlocked.Add(ref _dead, n);
    internal void AddParked(long n) => Interlocked.Add(ref _parked, n);
    internal void AddCall() => Interlocked.Increment(ref _calls);
    internal void AddItemFailures(long n) => Interlocked.Add(ref _itemFailures, n);
}

/// <summary>What one pass did.</summary>
/// <param name="Pipeline">Pipeline name.</param>
/// <param name="Full">True for a full (backfill or heal) read.</param>
/// <param name="DryRun">True when nothing was staged or sent.</param>
/// <param name="Counters">Final counters.</param>
/// <param name="Duration">Wall time.</param>
/// <param name="DryRunChanges">In a dry run: the changes that would be sent, per destination and key (first 1000).</param>
/// <param name="WindowFrom">Lower bound of the incremental window, null for a full read.</param>
/// <param name="WindowUntil">Upper bound of the window, from the source's clock.</param>
public sealed record PassReport(string Pipeline, bool Full, bool DryRun, PassCounters Counters, TimeSpan Duration,
    IReadOnlyList<PlannedChange> DryRunChanges, DateTimeOffset? WindowFrom, DateTimeOffset? WindowUntil);

/// <summary>A change a dry run would send.</summary>
public sealed record PlannedChange(string Destination, EntityKind Entity, string Key, IReadOnlyDictionary<string, string?> Before,
    IReadOnlyDictionary<string, string?> Changes);

/// <summary>Options of one pass.</summary>
/// <param name="Full">Read everything instead of the incremental window.</param>
/// <param name="DryRun">Diff without staging or sending.</param>
/// <param name="Entities">Restrict to these entities; null for the pipeline's.</param>
/// <param name="ReadSource">False delivers what is already staged (the real-time lane stages its own records first).</param>
/// <param name="Priority">Stage changes ahead of any backlog (the real-time lane).</param>
/// <param name="Heal">Entities read in full in this pass while the others read their incremental window (a heal falls due per
/// entity); <paramref name="Full"/> reads every entity in full.</param>
public sealed record PassOptions(bool Full = false, bool DryRun = false, IReadOnlyList<EntityKind>? Entities = null, bool ReadSource = true,
    bool Priority = false, IReadOnlyList<EntityKind>? Heal = null)
{
    /// <summary>True when <paramref name="entity"/> is read in full in this pass.</summary>
    public bool IsFull(EntityKind entity) => Full || (Heal?.Contains(entity) ?? false);

    /// <summary>True when any entity is read in full.</summary>
    public bool AnyFull => Full || Heal is { Count: > 0 };
}
