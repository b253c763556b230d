using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>
/// Live counters of one pass, and its balance: every source record read ends in exactly one outcome per entity
/// (<see cref="Sources"/>), and every destination row the pass staged or took up ends in exactly one lane per destination and
/// kind (<see cref="Rows"/>). The totals (<see cref="Changed"/>, <see cref="Sent"/>, …) are sums of those balances.
/// </summary>
public sealed class PassCounters
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<EntityKind, SourceTally> _sources = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Destination, EntityKind Kind), RowTally> _rows = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _skipped = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _notes = new(StringComparer.Ordinal);
    private readonly bool _trackKeys;
    private long _stale, _calls, _itemFailures;

    /// <summary>Counters of one pass.</summary>
    public PassCounters() : this(trackKeys: true)
    {
    }

    /// <summary>
    /// Counters; <paramref name="trackKeys"/> false counts row outcomes without remembering keys, for a service that counts
    /// for its whole life (a cluster worker) and must not grow with every key it ever delivered. Without keys a row is counted
    /// once per outcome, and <see cref="Retried"/> counts retries rather than rows.
    /// </summary>
    public PassCounters(bool trackKeys) => _trackKeys = trackKeys;

    /// <summary>Where each entity's source records went, by entity.</summary>
    public IReadOnlyList<SourceBalance> Sources => _sources.OrderBy(kv => kv.Key).Select(kv => kv.Value.Snapshot(kv.Key)).ToList();

    /// <summary>Where each destination's rows went, by destination and kind.</summary>
    public IReadOnlyList<RowBalance> Rows => _rows.OrderBy(kv => kv.Key.Destination, StringComparer.Ordinal).ThenBy(kv => kv.Key.Kind)
        .Select(kv => kv.Value.Snapshot(kv.Key.Destination, kv.Key.Kind)).ToList();

    /// <summary>Records read from the source.</summary>
    public long Read => _sources.Values.Sum(s => s.Read);
    /// <summary>Source records that staged at least one destination row.</summary>
    public long Changed => _sources.Values.Sum(s => s.Changed);
    /// <summary>Source records every destination already holds as they are: no call.</summary>
    public long Unchanged => _sources.Values.Sum(s => s.Unchanged);
    /// <summary>Source records refused as they are: unmappable at the source, or quarantined by every destination.</summary>
    public long Rejected => _sources.Values.Sum(s => s.Rejected);
    /// <summary>Source records left out on purpose.</summary>
    public long Skipped => _sources.Values.Sum(s => s.Skipped);
    /// <summary>Per destination: records older than the version already applied (version gate).</summary>
    public long Stale => Interlocked.Read(ref _stale);
    /// <summary>Destination rows staged by this pass.</summary>
    public long Staged => Rows.Sum(r => r.Staged);
    /// <summary>Destination rows the destination accepted.</summary>
    public long Sent => Rows.Sum(r => r.Sent);
    /// <summary>Destination rows quarantined as invalid (at projection or by the destination).</summary>
    public long Quarantined => Rows.Sum(r => r.Quarantined);
    /// <summary>Destination rows (not attempts) that needed a retry.</summary>
    public long Retried => Rows.Sum(r => r.Retried);
    /// <summary>Destination rows moved to the dead lane.</summary>
    public long Dead => Rows.Sum(r => r.Dead);
    /// <summary>Destination rows still parked behind a dependency at the end.</summary>
    public long Parked => Rows.Sum(r => r.Parked);
    /// <summary>Destination rows still due later at the end (a retry after the pass, or held by a halt).</summary>
    public long Pending => Rows.Sum(r => r.Pending);
    /// <summary>Destination rows that were parked and went on once their contact was delivered.</summary>
    public long Released => Rows.Sum(r => r.Released);
    /// <summary>Destination calls made.</summary>
    public long Calls => Interlocked.Read(ref _calls);
    /// <summary>Per-item failures reported inside successful calls.</summary>
    public long ItemFailures => Interlocked.Read(ref _itemFailures);

    /// <summary>Source records left out on purpose, by reason; the sum is <see cref="Skipped"/>.</summary>
    public IReadOnlyDictionary<string, long> SkippedReasons => new Dictionary<string, long>(_skipped);

    /// <summary>
    /// Things left out that are not source records (a stock signal nobody watches, catalogue rows the source no longer has),
    /// by reason: said in the summary, outside the balance.
    /// </summary>
    public IReadOnlyDictionary<string, long> Notes => new Dictionary<string, long>(_notes);

    internal void AddNote(string note) => _notes.AddOrUpdate(note, 1, (_, n) => n + 1);

    /// <summary>Settles one source record: read, and where it went.</summary>
    internal void AddSource(EntityKind entity, SourceOutcome outcome, string? skipReason = null)
    {
        _sources.GetOrAdd(entity, _ => new SourceTally()).Add(outcome);
        if (outcome == SourceOutcome.Skipped)
        {
            _skipped.AddOrUpdate(skipReason ?? "left out", 1, (_, n) => n + 1);
        }
    }

    /// <summary>A row this pass staged, in the state it was staged in (pending, parked or quarantined).</summary>
    internal void RowStaged(string destination, EntityKind kind, string key, OutboxStatus status) =>
        Tally(destination, kind).Staged(key, status);

    /// <summary>A row's delivery was decided: accepted (null), retry (pending), quarantined, dead or parked.</summary>
    internal void RowDecided(string destination, EntityKind kind, string key, OutboxStatus? status) =>
        Tally(destination, kind).Decided(key, status, retry: status == OutboxStatus.Pending);

    /// <summary>A row put back as pending without counting as a retry (the destination refused its settings: a halt).</summary>
    internal void RowHeld(string destination, EntityKind kind, string key) =>
        Tally(destination, kind).Decided(key, OutboxStatus.Pending, retry: false);

    internal void AddStale(long n) => Interlocked.Add(ref _stale, n);
    internal void AddCall() => Interlocked.Increment(ref _calls);
    internal void AddCalls(long n) => Interlocked.Add(ref _calls, n);
    internal void AddItemFailures(long n) => Interlocked.Add(ref _itemFailures, n);

    private RowTally Tally(string destination, EntityKind kind) => _rows.GetOrAdd((destination, kind), _ => new RowTally(_trackKeys));

    private sealed class SourceTally
    {
        private long _unchanged, _changed, _skipped, _rejected;

        public long Read => Unchanged + Changed + Skipped + Rejected;
        public long Unchanged => Interlocked.Read(ref _unchanged);
        public long Changed => Interlocked.Read(ref _changed);
        public long Skipped => Interlocked.Read(ref _skipped);
        public long Rejected => Interlocked.Read(ref _rejected);

        public void Add(SourceOutcome outcome)
        {
            switch (outcome)
            {
                case SourceOutcome.Unchanged: Interlocked.Increment(ref _unchanged); break;
                case SourceOutcome.Changed: Interlocked.Increment(ref _changed); break;
                case SourceOutcome.Skipped: Interlocked.Increment(ref _skipped); break;
                default: Interlocked.Increment(ref _rejected); break;
            }
        }

        public SourceBalance Snapshot(EntityKind entity)
        {
            // Read first and the outcomes after could tear under a live pass; the outcome columns are the truth, read is their sum.
            long unchanged = Unchanged, changed = Changed, skipped = Skipped, rejected = Rejected;
            return new SourceBalance(entity, unchanged + changed + skipped + rejected, unchanged, changed, skipped, rejected);
        }
    }

    /// <summary>
    /// The rows of one destination and kind: each key's latest lane, so a row that is retried and then accepted counts once, as
    /// sent (and once as retried), and a summary restaged by a later page of the same pass stays one row.
    /// </summary>
    private sealed class RowTally(bool trackKeys)
    {
        private const int Lanes = 5; // pending, parked, quarantined, dead, sent
        private readonly Lock _gate = new();
        private readonly Dictionary<string, RowState> _keys = new(StringComparer.Ordinal);
        private readonly long[] _ends = new long[Lanes];
        private long _staged, _carried, _retried, _released;

        public void Staged(string key, OutboxStatus status)
        {
            var end = EndOf(status);
            lock (_gate)
            {
                if (!trackKeys)
                {
                    _staged++;
                    _ends[end]++;
                    return;
                }

                if (_keys.TryGetValue(key, out var state))
                {
                    // Restaged in the same pass (a summary on a later page): still one row, now in its new state.
                    Move(key, state, state with { End = end, WasParked = state.WasParked || end == ParkedEnd });
                    return;
                }

                _staged++;
                _ends[end]++;
                _keys[key] = new RowState(end, Retried: false, WasParked: end == ParkedEnd);
            }
        }

        public void Decided(string key, OutboxStatus? status, bool retry)
        {
            var end = status is null ? SentEnd : EndOf(status.Value);
            lock (_gate)
            {
                if (!trackKeys)
                {
                    // Without keys there is no earlier state to move out of: each outcome counts where it went.
                    _carried++;
                    _ends[end]++;
                    _retried += retry ? 1 : 0;
                    return;
                }

                if (!_keys.TryGetValue(key, out var state))
                {
                    // Staged before this pass (a retry due now, a replayed row, a real-time change handed over).
                    _carried++;
                    _ends[end]++;
                    _retried += retry ? 1 : 0;
                    _keys[key] = new RowState(end, Retried: retry, WasParked: end == ParkedEnd);
                    return;
                }

                if (retry && !state.Retried)
                {
                    _retried++;
                }

                Move(key, state, state with { End = end, Retried = state.Retried || retry, WasParked = state.WasParked || end == ParkedEnd });
            }
        }

        // Under the gate: a key moves from its old lane to its new one.
        private void Move(string key, RowState from, RowState to)
        {
            _ends[from.End]--;
            _ends[to.End]++;
            _released += (IsReleased(to) ? 1 : 0) - (IsReleased(from) ? 1 : 0);
            _keys[key] = to;
        }

        private static bool IsReleased(RowState state) => state.WasParked && state.End != ParkedEnd;

        public RowBalance Snapshot(string destination, EntityKind kind)
        {
            lock (_gate)
            {
                return new RowBalance(destination, kind, _staged, _carried, _ends[SentEnd], _ends[ParkedEnd], _ends[QuarantinedEnd], _ends[DeadEnd],
                    _ends[PendingEnd], _retried, _released);
            }
        }

        private const int PendingEnd = 0, ParkedEnd = 1, QuarantinedEnd = 2, DeadEnd = 3, SentEnd = 4;

        private static int EndOf(OutboxStatus status) => status switch
        {
            OutboxStatus.Parked => ParkedEnd,
            OutboxStatus.Quarantined => QuarantinedEnd,
            OutboxStatus.Dead => DeadEnd,
            _ => PendingEnd,
        };

        private readonly record struct RowState(int End, bool Retried, bool WasParked);
    }
}

/// <summary>Where one source record went in a pass.</summary>
internal enum SourceOutcome
{
    Unchanged,
    Changed,
    Skipped,
    Rejected,
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
    IReadOnlyList<PlannedChange> DryRunChanges, DateTimeOffset? WindowFrom, DateTimeOffset? WindowUntil)
{
    /// <summary>In a dry run: the records it could not project or map, with the reason (first 1000); they are skipped, not fatal.</summary>
    public IReadOnlyList<DryRunSkip> DryRunSkipped { get; init; } = [];
}

/// <summary>A record a dry run skipped because it could not be projected or mapped.</summary>
public sealed record DryRunSkip(string Destination, EntityKind Entity, string Key, string Reason);

/// <summary>What a dry run collects as it goes: the changes it would send and the records it skips.</summary>
internal sealed class DryRunPlan
{
    private const int MaxSkipped = 1000;

    public List<PlannedChange> Changes { get; } = [];

    public List<DryRunSkip> Skipped { get; } = [];

    public void Skip(PassOptions pass, string destination, EntityKind entity, string key, string reason)
    {
        if (pass.DryRun && Skipped.Count < MaxSkipped)
        {
            Skipped.Add(new DryRunSkip(destination, entity, key, reason));
        }
    }
}

/// <summary>A change a dry run would send.</summary>
public sealed record PlannedChange(string Destination, EntityKind Entity, string Key, IReadOnlyDictionary<string, string?> Before,
    IReadOnlyDictionary<string, string?> Changes)
{
    /// <summary>
    /// A planned change as every output shows it: a person's values (customers, their orders and events) masked — names,
    /// emails, birth dates, phones — and consent states in clear; catalogue and stock values in clear (not personal data).
    /// </summary>
    public static PlannedChange Masked(string destination, EntityKind entity, string key, IReadOnlyDictionary<string, string?> before,
        IReadOnlyDictionary<string, string?> changes, IReadOnlySet<string> consentFields)
    {
        if (entity is EntityKind.Product or EntityKind.Stock)
        {
            return new PlannedChange(destination, entity, key, before, changes);
        }

        return new PlannedChange(destination, entity, key, Mask(before, consentFields), Mask(changes, consentFields));
    }

    private static Dictionary<string, string?> Mask(IReadOnlyDictionary<string, string?> fields, IReadOnlySet<string> consentFields) =>
        fields.ToDictionary(f => f.Key, f => consentFields.Contains(f.Key) || string.IsNullOrEmpty(f.Value)
            ? f.Value
            : f.Value.Contains('@', StringComparison.Ordinal) ? Tributary.Core.Rules.Masking.Email(f.Value) : Tributary.Core.Rules.Masking.Text(f.Value),
            StringComparer.Ordinal);
}

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
