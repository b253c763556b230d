using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

public abstract partial class OutboxStoreComplianceTests
{
    [Fact]
    public async Task LeaseDueAsync_SeveralDue_OldestDueFirstThenEnqueueOrderUpToMax()
    {
        await StageAsync(Entry("late", due: T0.AddSeconds(2)));
        await StageAsync(Entry("first", due: T0), Entry("second", due: T0));
        await StageAsync(Entry("earliest", due: T0.AddSeconds(-5)));

        var leased = await Store.LeaseDueAsync(Emarsys, EntityKind.Customer, T0.AddSeconds(10), 3, TimeSpan.FromMinutes(1), Ct);

        leased.Select(e => e.Key).ShouldBe(["earliest", "first", "second"]);
    }

    [Fact]
    public async Task LeaseDueAsync_NotDueOrOtherLaneOrOtherDestination_NotLeased()
    {
        await StageAsync(Entry("future", due: T0.AddMinutes(1)), Entry("other-destination", destination: Dotdigital),
            Entry("order", entity: EntityKind.Order), Quarantined("bad", "invalid"), Entry("due"));

        (await LeaseAsync()).Select(e => e.Key).ShouldBe(["due"]);
    }

    [Fact]
    public async Task LeaseDueAsync_LeasedRow_NotLeasedAgainUntilLeaseEnds()
    {
        await StageAsync(Entry("c1"));
        var lease = TimeSpan.FromMinutes(5);

        (await Store.LeaseDueAsync(Emarsys, EntityKind.Customer, T0, 10, lease, Ct)).Count.ShouldBe(1);

        (await Store.LeaseDueAsync(Emarsys, EntityKind.Customer, T0.AddMinutes(4), 10, lease, Ct)).ShouldBeEmpty();
        (await Store.LeaseDueAsync(Emarsys, EntityKind.Customer, T0.AddMinutes(5), 10, lease, Ct)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task LeaseDueAsync_RealtimeRows_LeasedBeforeAnOlderBacklog()
    {
        await StageAsync(Entry("backlog-1", due: T0.AddMinutes(-10)), Entry("backlog-2", due: T0.AddMinutes(-10)));
        await StageAsync(Entry("late", due: T0) with { Lane = OutboxLane.Realtime }, Entry("early", due: T0.AddSeconds(-1)) with { Lane = OutboxLane.Realtime });
        await StageAsync(Entry("not-due", due: T0.AddMinutes(1)) with { Lane = OutboxLane.Realtime });

        var leased = await Store.LeaseDueAsync(Emarsys, EntityKind.Customer, T0, 3, TimeSpan.FromMinutes(1), Ct);

        leased.Select(e => e.Key).ShouldBe(["early", "late", "backlog-1"]);
        leased.Select(e => e.Lane).ShouldBe([OutboxLane.Realtime, OutboxLane.Realtime, OutboxLane.Bulk]);
        leased[0].NextAttemptAt.ShouldBe(T0.AddSeconds(-1));
    }

    [Fact]
    public async Task ReleaseLeasesAsync_LeasedRows_CanBeLeasedAgain()
    {
        await StageAsync(Entry("c1"), Entry("c2"));
        (await LeaseAsync()).Count.ShouldBe(2);

        await Store.ReleaseLeasesAsync(Ct);

        (await LeaseAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task NextDueAsync_NothingPending_IsNull()
    {
        await StageAsync(Quarantined("bad", "invalid"));

        (await Store.NextDueAsync(Emarsys, null, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task NextDueAsync_SeveralPending_IsEarliestForDestinationAndEntity()
    {
        await StageAsync(Entry("c1", due: T0.AddMinutes(3)), Entry("c2", due: T0.AddMinutes(2)),
            Entry("o1", entity: EntityKind.Order, due: T0.AddMinutes(1)), Entry("d1", destination: Dotdigital, due: T0));

        (await Store.NextDueAsync(Emarsys, EntityKind.Customer, Ct)).ShouldBe(T0.AddMinutes(2));
        (await Store.NextDueAsync(Emarsys, null, Ct)).ShouldBe(T0.AddMinutes(1));
        (await Store.NextDueAsync(Dotdigital, null, Ct)).ShouldBe(T0);
    }

    [Fact]
    public async Task NextDueAsync_OnlyLeasedRows_IsWhenTheLeaseEnds()
    {
        await StageAsync(Entry("c1"));
        await Store.LeaseDueAsync(Emarsys, EntityKind.Customer, T0, 10, TimeSpan.FromMinutes(5), Ct);

        (await Store.NextDueAsync(Emarsys, null, Ct)).ShouldBe(T0.AddMinutes(5));
    }
}
