using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>The behaviour every <see cref="ILaneStore"/> must have: counting, listing, tracing, replaying and releasing.</summary>
[Storage]
public abstract class LaneStoreComplianceTests(StoreHarness harness) : StoreComplianceTests(harness)
{
    [Fact]
    public async Task CountLanesAsync_RowsInEveryLane_CountsAddUp()
    {
        await StageAsync(Entry("p1"), Entry("p2"), Entry("r1"), Entry("x1"), Quarantined("q1", "bad email"),
            Entry("d1", destination: Dotdigital), Entry("o1", entity: EntityKind.Order));
        var leased = (await LeaseAsync()).ToDictionary(e => e.Key);
        await Store.CompleteAsync([Failed(leased["r1"], OutboxStatus.Dead), Failed(leased["x1"], OutboxStatus.Parked)], Ct);

        var counts = await Store.CountLanesAsync(Ct);

        counts.Sum(c => c.Count).ShouldBe(7);
        Count(counts, Emarsys, EntityKind.Customer, OutboxStatus.Pending).ShouldBe(2);
        Count(counts, Emarsys, EntityKind.Customer, OutboxStatus.Dead).ShouldBe(1);
        Count(counts, Emarsys, EntityKind.Customer, OutboxStatus.Parked).ShouldBe(1);
        Count(counts, Emarsys, EntityKind.Customer, OutboxStatus.Quarantined).ShouldBe(1);
        Count(counts, Emarsys, EntityKind.Order, OutboxStatus.Pending).ShouldBe(1);
        Count(counts, Dotdigital, EntityKind.Customer, OutboxStatus.Pending).ShouldBe(1);
    }

    [Fact]
    public async Task ListAsync_Lane_NewestFirstWithinDestinationAndLimit()
    {
        await StageAsync(Quarantined("old", "r") with { EnqueuedAt = T0 }, Quarantined("new", "r") with { EnqueuedAt = T0.AddMinutes(2) },
            Quarantined("mid", "r") with { EnqueuedAt = T0.AddMinutes(1) }, Entry("pending"),
            Quarantined("elsewhere", "r") with { Destination = Dotdigital, EnqueuedAt = T0.AddMinutes(5) });

        (await Store.ListAsync(OutboxStatus.Quarantined, Emarsys, 10, Ct)).Select(e => e.Key).ShouldBe(["new", "mid", "old"]);
        (await Store.ListAsync(OutboxStatus.Quarantined, Emarsys, 2, Ct)).Select(e => e.Key).ShouldBe(["new", "mid"]);
        (await Store.ListAsync(OutboxStatus.Quarantined, null, 10, Ct)).Count.ShouldBe(4);
    }

    [Fact]
    public async Task RequeueAsync_ByKeys_MovesOnlyThoseBackToPendingDueNow()
    {
        await StageAsync(Entry("d1"), Entry("d2"), Entry("d3"));
        var leased = await LeaseAsync();
        await Store.CompleteAsync(leased.Select(e => Failed(e, OutboxStatus.Dead, kind: FailureKind.Invalid, code: 400)).ToList(), Ct);

        var moved = await Store.RequeueAsync(new ReplaySelection(OutboxStatus.Dead, Emarsys, EntityKind.Customer, ["d1", "d3", "unknown"]),
            T0.AddHours(1), Ct);

        moved.ShouldBe(2);
        var d1 = (await OutboxAsync("d1")).ShouldNotBeNull();
        d1.Status.ShouldBe(OutboxStatus.Pending);
        d1.Attempts.ShouldBe(0);
        d1.NextAttemptAt.ShouldBe(T0.AddHours(1));
        (await OutboxAsync("d2")).ShouldNotBeNull().Status.ShouldBe(OutboxStatus.Dead);
        (await LeaseAsync(T0.AddHours(1))).Select(e => e.Key).ShouldBe(["d1", "d3"], ignoreOrder: true);
    }

    [Fact]
    public async Task RequeueAsync_ByEnqueuedRange_FromInclusiveBeforeExclusive()
    {
        await StageAsync(Quarantined("q0", "r") with { EnqueuedAt = T0 }, Quarantined("q1", "r") with { EnqueuedAt = T0.AddHours(1) },
            Quarantined("q2", "r") with { EnqueuedAt = T0.AddHours(2) }, Quarantined("q3", "r") with { EnqueuedAt = T0.AddHours(3) });

        var moved = await Store.RequeueAsync(new ReplaySelection(OutboxStatus.Quarantined, EnqueuedFrom: T0.AddHours(1),
            EnqueuedBefore: T0.AddHours(3)), T0.AddHours(4), Ct);

        moved.ShouldBe(2);
        (await Store.ListAsync(OutboxStatus.Pending, null, 10, Ct)).Select(e => e.Key).ShouldBe(["q2", "q1"]);
        (await Store.ListAsync(OutboxStatus.Quarantined, null, 10, Ct)).Select(e => e.Key).ShouldBe(["q3", "q0"]);
    }

    [Fact]
    public async Task RequeueAsync_OtherDestinationOrEntity_NotMoved()
    {
        await StageAsync(Quarantined("q1", "r"), Quarantined("q2", "r") with { Destination = Dotdigital },
            Quarantined("q3", "r") with { Entity = EntityKind.Order });

        (await Store.RequeueAsync(new ReplaySelection(OutboxStatus.Quarantined, Dotdigital), T0, Ct)).ShouldBe(1);
        (await Store.RequeueAsync(new ReplaySelection(OutboxStatus.Quarantined, Entity: EntityKind.Order), T0, Ct)).ShouldBe(1);
        (await OutboxAsync("q1")).ShouldNotBeNull().Status.ShouldBe(OutboxStatus.Quarantined);
    }

    [Fact]
    public async Task RequeueAsync_RealtimeRow_ComesBackInTheBulkLane()
    {
        await StageAsync(Entry("c1") with { Lane = OutboxLane.Realtime });
        await Store.CompleteAsync([Failed(await LeaseOneAsync("c1"), OutboxStatus.Dead, kind: FailureKind.Invalid, code: 400)], Ct);

        (await Store.RequeueAsync(new ReplaySelection(OutboxStatus.Dead, Keys: ["c1"]), T0.AddHours(1), Ct)).ShouldBe(1);

        var row = (await OutboxAsync("c1")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Pending);
        row.Lane.ShouldBe(OutboxLane.Bulk);
    }

    [Fact]
    public async Task ReleaseDeliveredDependenciesAsync_Parked_WaitsUntilItsDependencyIsDelivered()
    {
        var contact = new DependencyKey(EntityKind.Customer, "c1");
        await StageAsync(Entry("o1", entity: EntityKind.Order) with { WaitingOn = contact });
        var leased = (await LeaseAsync(entity: EntityKind.Order)).ShouldHaveSingleItem();
        leased.WaitingOn.ShouldBe(contact);

        await Store.CompleteAsync([Failed(leased, OutboxStatus.Parked, kind: FailureKind.NotFound, code: 404, message: "contact missing")], Ct);

        var parked = (await OutboxAsync("o1", entity: EntityKind.Order)).ShouldNotBeNull();
        parked.Status.ShouldBe(OutboxStatus.Parked);
        parked.WaitingOn.ShouldBe(contact);
        await DeliverAsync("c2");
        await DeliverAsync("c1", Dotdigital);
        (await Store.ReleaseDeliveredDependenciesAsync(Emarsys, T0.AddMinutes(1), Ct)).ShouldBe(0);
        (await Store.ReleaseDeliveredDependenciesAsync(Dotdigital, T0.AddMinutes(1), Ct)).ShouldBe(0);

        await DeliverAsync("c1");
        (await Store.ReleaseDeliveredDependenciesAsync(Emarsys, T0.AddMinutes(1), Ct)).ShouldBe(1);

        var released = (await OutboxAsync("o1", entity: EntityKind.Order)).ShouldNotBeNull();
        released.Status.ShouldBe(OutboxStatus.Pending);
        released.NextAttemptAt.ShouldBe(T0.AddMinutes(1));
        (await LeaseAsync(T0.AddMinutes(1), entity: EntityKind.Order)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task GetAttemptsAsync_SeveralDeliveries_OldestFirstAndSurvivesDelivery()
    {
        await StageAsync(Entry("c1", version: 1));
        await Store.CompleteAsync([Failed(await LeaseOneAsync("c1"), OutboxStatus.Pending, at: T0.AddSeconds(1), next: T0.AddSeconds(2))], Ct);
        await Store.CompleteAsync([Sent(await LeaseOneAsync("c1", T0.AddSeconds(2)), at: T0.AddSeconds(3))], Ct);

        var attempts = await Store.GetAttemptsAsync(Emarsys, EntityKind.Customer, "c1", Ct);

        attempts.Select(a => (a.Outcome, a.At)).ShouldBe([("retry", T0.AddSeconds(1)), ("sent", T0.AddSeconds(3))]);
        (await Store.GetAttemptsAsync(Dotdigital, EntityKind.Customer, "c1", Ct)).ShouldBeEmpty();
    }

    private static long Count(IReadOnlyList<LaneCount> counts, string destination, EntityKind entity, OutboxStatus status) =>
        counts.SingleOrDefault(c => c.Destination == destination && c.Entity == entity && c.Status == status)?.Count ?? 0;
}
