using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// The pass balance, asserted: every source record read is in exactly one outcome, every destination row in exactly one lane,
/// and — given the store's lanes after a pass that began with an empty store (or re-read every record that waits) — the rows
/// the pass says are parked, quarantined, dead or pending are exactly the rows the store holds in those lanes.
/// </summary>
internal static class BalanceAssertions
{
    public static void ShouldBalance(this PassReport report, IReadOnlyList<LaneCount>? lanes = null, IReadOnlyDictionary<EntityKind, int>? read = null)
    {
        var c = report.Counters;
        var sources = c.Sources;
        foreach (var s in sources)
        {
            (s.Unchanged + s.Changed + s.Skipped + s.Rejected).ShouldBe(s.Read,
                $"{s.Entity}: read {s.Read} = unchanged {s.Unchanged} + changed {s.Changed} + skipped {s.Skipped} + rejected {s.Rejected}");
            s.Changed.ShouldBeLessThanOrEqualTo(s.Read, $"{s.Entity}: changed counts source records, never derived rows");
        }

        c.Read.ShouldBe(sources.Sum(s => s.Read));
        c.SkippedReasons.Values.Sum().ShouldBe(c.Skipped, "every skipped record is counted under a reason");
        foreach (var (entity, expected) in read ?? new Dictionary<EntityKind, int>())
        {
            (sources.FirstOrDefault(s => s.Entity == entity)?.Read ?? 0).ShouldBe(expected, $"{entity} records read");
        }

        foreach (var r in c.Rows)
        {
            (r.Sent + r.Parked + r.Quarantined + r.Dead + r.Pending).ShouldBe(r.Staged + r.Carried,
                $"{r.Destination} {r.Kind}: staged {r.Staged} + from before {r.Carried} = sent {r.Sent} + parked {r.Parked} + quarantined {r.Quarantined} " +
                $"+ dead {r.Dead} + pending {r.Pending}");
            r.Retried.ShouldBeLessThanOrEqualTo(r.Staged + r.Carried, $"{r.Destination} {r.Kind}: retried counts rows, not attempts");
        }

        if (lanes is null)
        {
            return;
        }

        var rows = c.Rows.ToDictionary(r => (r.Destination, r.Kind));
        var held = lanes.Where(l => l.Count > 0).GroupBy(l => (l.Destination, l.Entity)).ToList();
        foreach (var group in held)
        {
            rows.ShouldContainKey(group.Key, $"{group.Key.Destination} {group.Key.Entity} holds rows the pass does not account for");
        }

        foreach (var ((destination, kind), r) in rows)
        {
            long Lane(OutboxStatus status) => lanes.Where(l => l.Destination == destination && l.Entity == kind && l.Status == status).Sum(l => l.Count);
            r.Parked.ShouldBe(Lane(OutboxStatus.Parked), $"{destination} {kind} parked, against the store");
            r.Quarantined.ShouldBe(Lane(OutboxStatus.Quarantined), $"{destination} {kind} quarantined, against the store");
            r.Dead.ShouldBe(Lane(OutboxStatus.Dead), $"{destination} {kind} dead, against the store");
            r.Pending.ShouldBe(Lane(OutboxStatus.Pending), $"{destination} {kind} pending, against the store");
        }
    }
}
