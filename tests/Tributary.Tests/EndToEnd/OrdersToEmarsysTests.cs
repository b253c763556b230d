using System.Text.Json;
using Tributary.Core.Rules;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.EndToEnd;

/// <summary>commercetools orders into Emarsys sales data, events and derived contact fields, through the real engine.</summary>
[EndToEnd]
public class OrdersToEmarsysTests
{
    /// <summary>Starts the sandbox with the store under test (the default SQLite file here; derived classes choose another).</summary>
    protected virtual Task<SandboxHarness> StartAsync(int customers) => SandboxHarness.StartAsync(customers);

    private static bool InScope(SandboxOrder o) =>
        o.Store is not ("marketplace" or "b2b")
        && !(o.CustomFields.TryGetValue("salesChannel", out var ch) && ch is string c && !c.Equals("dtc", StringComparison.OrdinalIgnoreCase));

    private static List<string> TriggerKeys(SandboxHarness h) =>
        h.Sandbox.Emarsys.Triggers.Select(t => t.TriggerId ?? string.Empty).ToList();

    [Fact]
    public async Task Backfill_SendsEachLineOnce_AfterItsContact_NeverOutOfScope_AndStartsNoJourneyForOldOrders()
    {
        await using var h = await StartAsync(300);
        h.SeedOrders(500);
        var sync = h.Sync(orders: true);

        var backfill = await h.PassAsync(sync: sync);
        backfill.ShouldBalance(h.LastLanes, new Dictionary<Tributary.Core.Model.EntityKind, int>
        {
            [Tributary.Core.Model.EntityKind.Customer] = 300,
            [Tributary.Core.Model.EntityKind.Order] = h.Sandbox.Commercetools.Orders.Count,
        });
        var outOfScopeCount = h.Sandbox.Commercetools.Orders.Count(o => !InScope(o));
        backfill.Counters.Sources.Single(s => s.Entity == Tributary.Core.Model.EntityKind.Order).Skipped.ShouldBeGreaterThanOrEqualTo(outOfScopeCount);
        var rows = h.Sandbox.Emarsys.SalesRows;
        var uploads = h.Sandbox.Emarsys.SalesUploads;

        rows.ShouldNotBeEmpty();
        var outOfScope = h.Sandbox.Commercetools.Orders.Where(o => !InScope(o)).Select(o => o.OrderNumber ?? o.Id!).ToHashSet();
        outOfScope.ShouldNotBeEmpty();
        rows.ShouldAllBe(r => !outOfScope.Contains(r["order"]));
        var positive = rows.Where(r => !r["quantity"].StartsWith('-')).Select(r => $"{r["order"]}|{r["item"]}").ToList();
        positive.Distinct().Count().ShouldBe(positive.Count);
        var contacts = h.Sandbox.Emarsys.Contacts.Select(c => c.Fields[SandboxHarness.KeyField]).ToHashSet();
        rows.Where(r => r.TryGetValue("customer", out var c) && !string.IsNullOrEmpty(c)).ShouldAllBe(r => contacts.Contains(r["customer"]));
        // The seeded history is older than the event horizon: a backfill must not start journeys.
        h.Sandbox.Emarsys.Triggers.ShouldBeEmpty();

        await h.PassAsync(new Tributary.Engine.PassOptions(Full: true), sync);

        h.Sandbox.Emarsys.SalesUploads.ShouldBe(uploads);
        h.Sandbox.Emarsys.SalesRows.Count.ShouldBe(rows.Count);
    }

    [Fact]
    public async Task LiveOrder_PartialShipmentsAndARefund_OneEventEachAndNegativeLinesOnce()
    {
        await using var h = await StartAsync(50);
        var customer = h.ValidCustomers()[0];
        var sync = h.Sync(orders: true);
        await h.PassAsync(sync: sync);

        var orderId = h.Sandbox.Commercetools.AddOrder(new SandboxOrder
        {
            OrderNumber = "LIVE-1",
            CustomerId = customer.Id,
            CustomerEmail = customer.Email,
            OrderState = "Confirmed",
            PaymentState = "Paid",
            Store = "eu",
            TotalPrice = SandboxMoney.Of(60, "EUR"),
            LineItems =
            [
                new SandboxLineItem { Id = "line-a", Sku = "SKU-000101", Name = { ["en"] = "Shirt" }, Price = SandboxMoney.Of(20, "EUR"), Quantity = 1, TotalPrice = SandboxMoney.Of(20, "EUR") },
                new SandboxLineItem { Id = "line-b", Sku = "SKU-000102", Name = { ["en"] = "Socks" }, Price = SandboxMoney.Of(10, "EUR"), Quantity = 4, TotalPrice = SandboxMoney.Of(40, "EUR") },
            ],
        });
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.PassAsync(sync: sync);

        var firstDelivery = h.Sandbox.Commercetools.AddDelivery(orderId, [new SandboxDeliveryItem("line-a", 1)], new SandboxTracking("T-1", "DHL"));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.PassAsync(sync: sync);
        var secondDelivery = h.Sandbox.Commercetools.AddDelivery(orderId, [new SandboxDeliveryItem("line-b", 4)], new SandboxTracking("T-2", "DHL"));
        h.Sandbox.Commercetools.AddReturn(orderId, [new SandboxDeliveryItem("line-b", 2)]);
        h.Sandbox.Commercetools.AddRefund(orderId, 20, ["line-b"]);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.PassAsync(sync: sync);
        await h.PassAsync(new Tributary.Engine.PassOptions(Full: true), sync);

        var triggers = TriggerKeys(h);
        triggers.Count(k => k == $"ShipmentDispatched:{orderId}:{firstDelivery}").ShouldBe(1);
        triggers.Count(k => k == $"ShipmentDispatched:{orderId}:{secondDelivery}").ShouldBe(1);
        triggers.Count(k => k.StartsWith($"RefundIssued:{orderId}:", StringComparison.Ordinal)).ShouldBe(1);
        triggers.Count(k => k == $"OrderPlaced:{orderId}").ShouldBe(1);
        triggers.Count(k => k == $"FirstPurchase:{customer.Id}").ShouldBe(1);
        h.Sandbox.Emarsys.Triggers.ShouldAllBe(t => t.ExternalId == customer.Id);

        var lines = h.Sandbox.Emarsys.SalesRows.Where(r => r["order"] == "LIVE-1").ToList();
        lines.Count(r => r["item"] == "SKU-000101" && !r["quantity"].StartsWith('-')).ShouldBe(1);
        lines.Count(r => r["item"] == "SKU-000102" && !r["quantity"].StartsWith('-')).ShouldBe(1);
        var negative = lines.Where(r => r["quantity"].StartsWith('-')).ToList();
        negative.Count.ShouldBe(1);
        negative[0]["item"].ShouldBe("SKU-000102");
        decimal.Parse(negative[0]["quantity"], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(-2);

        var contact = (await h.ReadContactsAsync([customer.Id!]))[customer.Id!];
        contact["9003"].ShouldBe("1");
        contact["9004"].ShouldBe("40.00");
        // An order never touches consent: the opt-in is still what the customer record says.
        (contact.GetValueOrDefault("31") ?? string.Empty).ShouldBe(SandboxHarness.Expected(customer)["31"] ?? string.Empty);
        h.Sandbox.Emarsys.Contacts.Count(c => c.Fields[SandboxHarness.KeyField] == customer.Id).ShouldBe(1);
    }
}
