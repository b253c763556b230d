using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>The behaviour every <see cref="IDeliveredStateStore"/> must have.</summary>
[Storage]
public abstract class DeliveredStateStoreComplianceTests(StoreHarness harness) : StoreComplianceTests(harness)
{
    [Fact]
    public async Task GetDeliveredAsync_ThousandKeys_ReturnsOnlyThoseDelivered()
    {
        var entries = Enumerable.Range(0, 1000).Select(i => Entry($"c{i}")).ToArray();
        await StageAsync(entries);
        var leased = await LeaseAsync(max: 1000);
        await Store.CompleteAsync(leased.Where((_, i) => i % 2 == 0).Select(e => Sent(e)).ToList(), Ct);

        var delivered = await Store.GetDeliveredAsync(Emarsys, EntityKind.Customer, entries.Select(e => e.Key).ToList(), Ct);

        delivered.Count.ShouldBe(500);
        delivered["c0"].Hash.ShouldBe(entries[0].Hash);
        delivered.ContainsKey("c1").ShouldBeFalse();
        (await Store.GetDeliveredAsync(Dotdigital, EntityKind.Customer, ["c0"], Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task RemoveDeliveredAsync_SomeKeys_RemovesOnlyThoseAndCountsThem()
    {
        await DeliverAsync("c1");
        await DeliverAsync("c2");
        await DeliverAsync("c1", Dotdigital);

        var removed = await Store.RemoveDeliveredAsync(Emarsys, EntityKind.Customer, ["c1", "never-delivered"], Ct);

        removed.ShouldBe(1);
        (await DeliveredAsync("c1")).ShouldBeNull();
        (await DeliveredAsync("c2")).ShouldNotBeNull();
        (await DeliveredAsync("c1", Dotdigital)).ShouldNotBeNull();
        (await Store.RemoveDeliveredAsync(Emarsys, EntityKind.Customer, [], Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task ReadDeliveredAsync_MoreRowsThanOneChunk_AllInKeyOrderForThatDestinationAndEntity()
    {
        var keys = Enumerable.Range(0, 2100).Select(i => $"c{i:D5}").Reverse().ToArray();
        await StageAsync(keys.Select(k => Entry(k)).ToArray());
        await Store.CompleteAsync((await LeaseAsync(max: keys.Length)).Select(e => Sent(e)).ToList(), Ct);
        await DeliverAsync("other-destination", Dotdigital);
        await DeliverAsync("o1", entity: EntityKind.Order);

        var read = new List<DeliveredState>();
        await foreach (var row in Store.ReadDeliveredAsync(Emarsys, EntityKind.Customer, Ct))
        {
            read.Add(row);
        }

        read.Select(r => r.Key).ShouldBe(keys.Order(StringComparer.Ordinal).ToList());
        read.ShouldAllBe(r => r.Destination == Emarsys && r.Entity == EntityKind.Customer);
        read[0].Hash.ShouldBe(Entry(read[0].Key).Hash);
    }
}
