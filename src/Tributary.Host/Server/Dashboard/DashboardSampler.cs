using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;

namespace Tributary.Host.Server.Dashboard;

/// <summary>
/// Keeps one snapshot a minute for the last 24 hours, in memory and bounded, for the dashboard's charts and freshness: lane
/// counts, totals of the passes the host ran, each budget's grants and each source watermark. Also keeps the duration of every
/// pass (bounded) for the latency percentiles.
/// </summary>
public sealed class DashboardSampler
{
    /// <summary>24 hours of one snapshot a minute.</summary>
    public const int Capacity = 24 * 60;

    /// <summary>Most pass durations kept; a busy real-time lane runs a round a second, so a day would not fit.</summary>
    public const int MaxPasses = 20_000;

    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly PipelineRuntime _runtime;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Queue<DashboardSnapshot> _snapshots = new();
    private readonly Queue<PassSample> _passes = new();
    private readonly Dictionary<(string Destination, EntityKind Entity), DateTimeOffset> _deliveredThrough = [];
    private long _read, _sent, _quarantined, _dead, _retried, _calls;
    private readonly Dictionary<EntityKind, SourceBalance> _sources = [];
    private readonly Dictionary<(string Destination, EntityKind Kind), RowBalance> _rows = [];
    private PassBalanceView? _latest;

    public DashboardSampler(PipelineRuntime runtime, TimeProvider time)
    {
        _runtime = runtime;
        _time = time;
    }

    /// <summary>Snapshots, oldest first.</summary>
    public IReadOnlyList<DashboardSnapshot> Snapshots
    {
        get
        {
            lock (_gate)
            {
                return [.. _snapshots];
            }
        }
    }

    /// <summary>Counts a pass the host ran (sweep, heal, real-time round, replay) into the totals and the latency record.</summary>
    public void Observe(string kind, PassReport report)
    {
        var c = report.Counters;
        lock (_gate)
        {
            _read += c.Read;
            _sent += c.Sent;
            _quarantined += c.Quarantined;
            _dead += c.Dead;
            _retried += c.Retried;
            _calls += c.Calls;
            _passes.Enqueue(new PassSample(_time.GetUtcNow(), kind, report.Duration, c.Sent));
            var sources = c.Sources;
            var rows = c.Rows;
            foreach (var b in sources)
            {
                _sources[b.Entity] = _sources.TryGetValue(b.Entity, out var t)
                    ? t with { Read = t.Read + b.Read, Unchanged = t.Unchanged + b.Unchanged, Changed = t.Changed + b.Changed, Skipped = t.Skipped + b.Skipped, Rejected = t.Rejected + b.Rejected }
                    : b;
            }

            foreach (var r in rows)
            {
                _rows[(r.Destination, r.Kind)] = _rows.TryGetValue((r.Destination, r.Kind), out var t)
                    ? t with
                    {
                        Staged = t.Staged + r.Staged, Carried = t.Carried + r.Carried, Sent = t.Sent + r.Sent, Parked = t.Parked + r.Parked,
                        Quarantined = t.Quarantined + r.Quarantined, Dead = t.Dead + r.Dead, Pending = t.Pending + r.Pending, Retried = t.Retried + r.Retried,
                        Released = t.Released + r.Released,
                    }
                    : r;
            }

            if (sources.Count > 0 || rows.Count > 0)
            {
                // The latest pass that did something: a quiet real-time round must not hide the sweep before it.
                _latest = new PassBalanceView(kind, _time.GetUtcNow(), report.Duration.TotalSeconds, sources, rows);
            }

            while (_passes.Count > MaxPasses)
            {
                _passes.Dequeue();
            }
        }
    }

    /// <summary>Totals of the passes observed since start, as of now.</summary>
    public Totals CurrentTotals()
    {
        lock (_gate)
        {
            return new Totals(_read, _sent, _quarantined, _dead, _retried, _calls);
        }
    }

    /// <summary>The pass balance: the latest pass that read or delivered anything, and the sums of every pass since start.</summary>
    public BalanceView Balance()
    {
        lock (_gate)
        {
            return new BalanceView(_latest, new PassBalanceView("since start", null, null, _sources.OrderBy(kv => kv.Key).Select(kv => kv.Value).ToList(),
                _rows.OrderBy(kv => kv.Key.Destination, StringComparer.Ordinal).ThenBy(kv => kv.Key.Kind).Select(kv => kv.Value).ToList()));
        }
    }

    /// <summary>Latency percentiles of the passes of one kind over a window ending now.</summary>
    public LatencySummary Latency(string kind, TimeSpan window)
    {
        var since = _time.GetUtcNow() - window;
        double[] durations;
        lock (_gate)
        {
            durations = _passes.Where(p => p.Kind == kind && p.At >= since).Select(p => p.Duration.TotalMilliseconds).Order().ToArray();
        }

        return new LatencySummary(kind, durations.Length, Percentile(durations, 0.50), Percentile(durations, 0.90), Percentile(durations, 0.99),
            durations.Length == 0 ? null : durations[^1]);
    }

    /// <summary>Takes a snapshot now (the loop calls it every minute; tests call it directly).</summary>
    public async Task<DashboardSnapshot> SampleAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lanes = await _runtime.Store.CountLanesAsync(cancellationToken);
        var watermarks = new Dictionary<EntityKind, DateTimeOffset?>();
        foreach (var entity in _runtime.Source.Entities)
        {
            watermarks[entity] = SweepCursor.Parse(await _runtime.Store.GetCursorAsync(_runtime.Source.Name, entity, cancellationToken)).Watermark;
        }

        var budgets = _runtime.Destinations.ToDictionary(d => d.Name, d => d.Budget.Granted, StringComparer.Ordinal);
        lock (_gate)
        {
            var freshness = new List<Freshness>();
            foreach (var destination in _runtime.Destinations)
            {
                foreach (var entity in Enum.GetValues<EntityKind>().Where(destination.Connector.Supports))
                {
                    var seen = watermarks.GetValueOrDefault(entity) ?? watermarks.GetValueOrDefault(EntityKind.Order);
                    var backlog = lanes.Where(l => l.Destination == destination.Name && l.Entity == entity && l.Status == OutboxStatus.Pending).Sum(l => l.Count);
                    if (seen is { } until && backlog == 0)
                    {
                        // Nothing is waiting: every change seen up to the watermark has been delivered.
                        _deliveredThrough[(destination.Name, entity)] = until;
                    }

                    DateTimeOffset? through = _deliveredThrough.TryGetValue((destination.Name, entity), out var t) ? t : null;
                    double? lag = seen is { } s && through is { } d ? Math.Max(0, (s - d).TotalSeconds) : null;
                    freshness.Add(new Freshness(destination.Name, entity, seen, through, lag, backlog));
                }
            }

            var snapshot = new DashboardSnapshot(now, lanes, _read, _sent, _quarantined, _dead, _retried, _calls, budgets, freshness);
            _snapshots.Enqueue(snapshot);
            while (_snapshots.Count > Capacity)
            {
                _snapshots.Dequeue();
            }

            return snapshot;
        }
    }

    /// <summary>Samples once a minute until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(cancellationToken);
                await Task.Delay(Interval, _time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Data.Common.DbException)
            {
                // A busy store misses one sample; the chart shows a gap, the next minute samples again.
                await Task.Delay(Interval, _time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Per-minute series between consecutive snapshots, for the charts.</summary>
    public IReadOnlyList<SeriesPoint> Series()
    {
        var snapshots = Snapshots;
        var points = new List<SeriesPoint>(snapshots.Count);
        for (var i = 0; i < snapshots.Count; i++)
        {
            var current = snapshots[i];
            var previous = i == 0 ? null : snapshots[i - 1];
            var minutes = previous is null ? 0 : Math.Max((current.At - previous.At).TotalMinutes, 1e-6);
            var budgetUse = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var d in _runtime.Destinations)
            {
                var granted = current.BudgetGranted.GetValueOrDefault(d.Name) - (previous?.BudgetGranted.GetValueOrDefault(d.Name) ?? 0);
                budgetUse[d.Name] = previous is null || d.Budget.RequestsPerMinute is not > 0 ? null : 100.0 * granted / minutes / d.Budget.RequestsPerMinute.Value;
            }

            points.Add(new SeriesPoint(
                current.At,
                previous is null ? null : (current.Sent - previous.Sent) / minutes,
                previous is null ? null : (current.Read - previous.Read) / minutes,
                current.Lanes.Where(l => l.Status == OutboxStatus.Pending).Sum(l => l.Count),
                current.Lanes.Where(l => l.Status is OutboxStatus.Quarantined or OutboxStatus.Dead).Sum(l => l.Count),
                current.Freshness.Select(f => f.LagSeconds).Where(l => l is not null).DefaultIfEmpty(null).Max(),
                budgetUse));
        }

        return points;
    }

    private static double? Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private sealed record PassSample(DateTimeOffset At, string Kind, TimeSpan Duration, long Sent);
}

/// <summary>One minute's view of the pipeline.</summary>
public sealed record DashboardSnapshot(DateTimeOffset At, IReadOnlyList<LaneCount> Lanes, long Read, long Sent, long Quarantined, long Dead,
    long Retried, long Calls, IReadOnlyDictionary<string, long> BudgetGranted, IReadOnlyList<Freshness> Freshness);

/// <summary>
/// How far a destination trails its source for one entity: <paramref name="SourceSeenUntil"/> is the source watermark (newest
/// point up to which changes were read), <paramref name="DeliveredThrough"/> the watermark at the last moment nothing was
/// waiting, <paramref name="LagSeconds"/> the difference (0 when caught up).
/// </summary>
public sealed record Freshness(string Destination, EntityKind Entity, DateTimeOffset? SourceSeenUntil, DateTimeOffset? DeliveredThrough,
    double? LagSeconds, long Backlog);

/// <summary>Pass durations in milliseconds.</summary>
public sealed record LatencySummary(string Kind, int Count, double? P50, double? P90, double? P99, double? Max);

/// <summary>One point of the 24-hour charts.</summary>
public sealed record SeriesPoint(DateTimeOffset At, double? SentPerMinute, double? ReadPerMinute, long Backlog, long Failed, double? FreshnessLagSeconds,
    IReadOnlyDictionary<string, double?> BudgetUsePercent);

/// <summary>One pass's balance (or the sums of several): source records per entity and destination rows per destination and kind.</summary>
public sealed record PassBalanceView(string Kind, DateTimeOffset? At, double? DurationSeconds, IReadOnlyList<SourceBalance> Sources,
    IReadOnlyList<RowBalance> Rows);

/// <summary>The balance the dashboard shows: the latest pass that did something, and every pass since start.</summary>
public sealed record BalanceView(PassBalanceView? Latest, PassBalanceView SinceStart);
