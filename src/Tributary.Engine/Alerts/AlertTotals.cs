using Tributary.Core.Contracts;

namespace Tributary.Engine.Alerts;

/// <summary>Cumulative delivery totals of a running service, fed from each pass's counters, for <see cref="AlertSnapshot"/>s.</summary>
public sealed class AlertTotals
{
    private long _delivered, _failed, _changes;

    /// <summary>Adds what one pass (sweep, heal, real-time round) did.</summary>
    public void Add(PassCounters counters)
    {
        Interlocked.Add(ref _delivered, counters.Sent);
        Interlocked.Add(ref _failed, counters.Retried + counters.Dead);
        Interlocked.Add(ref _changes, counters.Changed);
    }

    /// <summary>Counts notifications received (each one says the source changed).</summary>
    public void AddSourceChanges(long count) => Interlocked.Add(ref _changes, count);

    /// <summary>A snapshot with these totals.</summary>
    public AlertSnapshot Snapshot(string pipeline, IReadOnlyList<LaneCount> lanes, IReadOnlyDictionary<string, long> throttles,
        long feedGuardTrips = 0, string? feedRefusal = null, IReadOnlyDictionary<string, long>? consentConflicts = null) =>
        new(pipeline, lanes, Interlocked.Read(ref _delivered), Interlocked.Read(ref _failed), Interlocked.Read(ref _changes), throttles,
            feedGuardTrips, feedRefusal, consentConflicts);
}
