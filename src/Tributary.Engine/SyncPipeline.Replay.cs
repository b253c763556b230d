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
        var reread = await RereadAsync(rows.Select(r => (r.Entity, r.Key)), cancellationToken);
        var found = reread.Found;

        // Records the source no longer has stay in their lane: sending their old values would be wrong. Records the source
        // still cannot give stay too: in quarantine with this try's reason when the cause is permanent, untouched when it is
        // passing (try the replay again).
        var requeued = found.Count == 0 ? 0 : await _store.RequeueAsync(new ReplaySelection(lane, Keys: found.Select(r => r.Key).ToList()),
            _time.GetUtcNow(), cancellationToken);
        await StageRecordsAsync(found, new PassOptions(), counters, cancellationToken);
        await LaneAsync(reread.Failed.Where(f => f.Failure.Lane is not null).ToList(), counters, cancellationToken);

        var report = await RunPassAsync(new PassOptions(), counters, cancellationToken);
        return new ReplayReport(requeued, reread.Missing, report) { NotReread = reread.Failed.Select(f => f.Key).ToList() };
    }
}

/// <summary>What a replay did.</summary>
/// <param name="Requeued">Rows moved back from the lane.</param>
/// <param name="MissingAtSource">Keys the source no longer has (left as they were, for a person to decide).</param>
/// <param name="Pass">The delivery pass that followed.</param>
public sealed record ReplayReport(int Requeued, IReadOnlyList<string> MissingAtSource, PassReport Pass)
{
    /// <summary>Keys the source could not give this time (unmappable, refused, or down); they stay in a lane with the reason.</summary>
    public IReadOnlyList<string> NotReread { get; init; } = [];
}
