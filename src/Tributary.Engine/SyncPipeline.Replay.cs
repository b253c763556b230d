using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    /// <summary>
    /// Replays records from a lane after their cause was fixed: each is re-read from the source, projected and diffed again
    /// (so a record fixed at the source goes out as it is now, and one still invalid is quarantined again with its reason),
    /// then delivered by a normal pass.
    /// </summary>
    public async Task<ReplayReport> ReplayAsync(OutboxStatus lane, IReadOnlyCollection<string>? keys, PassCounters? counters,
        CancellationToken cancellationToken)
    {
        counters ??= new PassCounters();
        var rows = (await _store.ListAsync(lane, null, int.MaxValue, cancellationToken))
            .Where(r => keys is null || keys.Contains(r.Key))
            .ToList();
        var (found, missing) = await RereadAsync(rows.Select(r => (r.Entity, r.Key)), cancellationToken);

        // Records the source no longer has stay in their lane: sending their old values would be wrong.
        var requeued = found.Count == 0 ? 0 : await _store.RequeueAsync(new ReplaySelection(lane, Keys: found.Select(r => r.Key).ToList()),
            _time.GetUtcNow(), cancellationToken);
        await StageRecordsAsync(found, new PassOptions(), counters, cancellationToken);

        var report = await RunPassAsync(new PassOptions(), counters, cancellationToken);
        return new ReplayReport(requeued, missing, report);
    }
}

/// <summary>What a replay did.</summary>
/// <param name="Requeued">Rows moved back from the lane.</param>
/// <param name="MissingAtSource">Keys the source no longer has (left as they were, for a person to decide).</param>
/// <param name="Pass">The delivery pass that followed.</param>
public sealed record ReplayReport(int Requeued, IReadOnlyList<string> MissingAtSource, PassReport Pass);
