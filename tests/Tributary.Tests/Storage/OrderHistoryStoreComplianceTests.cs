using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>The behaviour every <see cref="IOrderHistoryStore"/> must have.</summary>
[Storage]
public abstract class OrderHistoryStoreComplianceTests(StoreHarness harness) : StoreComplianceTests(harness)
{
    [Fact]
    public async Task RecordOrderFactsAsync_SeveralOrders_SummarisesEachCustomerTouched()
    {
        var summaries = await Store.RecordOrderFactsAsync([
            new OrderFact("cust-1", "o1", T0.AddDays(-10), 100m, "SEK", true),
            new OrderFact("cust-1", "o2", T0.AddDays(-2), 50.50m, "SEK", true),
            new OrderFact("cust-1", "o3", T0.AddDays(-1), 0m, "SEK", false),
            new OrderFact("cust-2", "o4", T0, 20m, "EUR", true),
        ], Ct);

        var ann = summaries.Single(s => s.CustomerId == "cust-1");
        ann.OrderCount.ShouldBe(2);
        ann.LifetimeValue.ShouldBe(150.50m);
        ann.Currency.ShouldBe("SEK");
        ann.FirstOrderAt.ShouldBe(T0.AddDays(-10));
        ann.LastOrderAt.ShouldBe(T0.AddDays(-2));
        var bo = summaries.Single(s => s.CustomerId == "cust-2");
        bo.OrderCount.ShouldBe(1);
        bo.LifetimeValue.ShouldBe(20m);
        summaries.Count.ShouldBe(2);
    }

    [Fact]
    public async Task RecordOrderFactsAsync_OrderRecordedAgain_ReplacesItsContribution()
    {
        await Store.RecordOrderFactsAsync([new OrderFact("cust-1", "o1", T0.AddDays(-3), 100m, "SEK", true),
            new OrderFact("cust-1", "o2", T0.AddDays(-1), 40m, "SEK", true)], Ct);
        await ReopenAsync();

        var summary = (await Store.RecordOrderFactsAsync([new OrderFact("cust-1", "o1", T0.AddDays(-3), 60m, "SEK", true)], Ct))
            .ShouldHaveSingleItem();

        summary.OrderCount.ShouldBe(2);
        summary.LifetimeValue.ShouldBe(100m);
        var cancelled = (await Store.RecordOrderFactsAsync([new OrderFact("cust-1", "o2", T0.AddDays(-1), 0m, "SEK", false)], Ct))
            .ShouldHaveSingleItem();
        cancelled.OrderCount.ShouldBe(1);
        cancelled.LifetimeValue.ShouldBe(60m);
    }
}
