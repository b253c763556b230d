using System.Net;
using System.Text.Json;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.Sandbox.Commercetools;

public sealed partial class CommercetoolsEmulatorTests
{
    private static async Task<(EmulatorHarness Harness, List<string> Ids)> SeededOrdersAsync(int count)
    {
        var h = await EmulatorHarness.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(h.Emulator.AddOrder(EmulatorHarness.Order($"c{i}@example.com", Start.AddMinutes(i), o =>
            {
                o.OrderNumber = $"ORD-{i:D3}";
                o.OrderState = i % 4 == 0 ? "Cancelled" : "Confirmed";
                o.Store = i % 2 == 0 ? "eu" : "marketplace";
                if (i % 5 == 0)
                {
                    o.CustomTypeId = "order-type";
                    o.CustomFields["salesChannel"] = "marketplace";
                }
            })));
        }

        ids.Sort(StringComparer.Ordinal);
        return (h, ids);
    }

    [Fact]
    public async Task Orders_IdCursorSortedAscending_ReturnsTheNextPageInIdOrder()
    {
        var (h, ids) = await SeededOrdersAsync(30);
        await using var _ = h;

        var (_, body) = await h.GetAsync($"demo/orders?sort=id+asc&limit=10&withTotal=false&where={Q($"id > \"{ids[9]}\"")}");

        Ids(body).ShouldBe(ids.Skip(10).Take(10));
        body.TryGetProperty("total", out var _).ShouldBeFalse();
    }

    [Fact]
    public async Task Orders_WindowWithVariables_ReturnsOnlyOrdersModifiedInside()
    {
        var (h, _) = await SeededOrdersAsync(30);
        await using var __ = h;
        var since = Start.AddMinutes(10).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var until = Start.AddMinutes(20).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var (_, body) = await h.GetAsync(
            $"demo/orders?limit=500&where={Q("lastModifiedAt >= :since and lastModifiedAt < :until")}&var.since={Q(since)}&var.until={Q(until)}");

        body.GetProperty("count").GetInt32().ShouldBe(10);
        body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("orderNumber").GetString())
            .Order(StringComparer.Ordinal).ShouldBe(Enumerable.Range(10, 10).Select(i => $"ORD-{i:D3}"));
    }

    [Theory]
    [InlineData("orderState = \"Cancelled\"", 8)]
    [InlineData("store(key = \"marketplace\")", 15)]
    [InlineData("custom(fields(salesChannel = \"marketplace\"))", 6)]
    [InlineData("lineItems(variant(sku = \"SKU-000002\"))", 30)]
    [InlineData("orderNumber in (\"ORD-001\", \"ORD-002\")", 2)]
    public async Task Orders_Predicate_FiltersLikeThePlatform(string predicate, int expected)
    {
        var (h, _) = await SeededOrdersAsync(30);
        await using var __ = h;

        var (_, body) = await h.GetAsync($"demo/orders?limit=500&where={Q(predicate)}");

        body.GetProperty("total").GetInt64().ShouldBe(expected);
    }

    [Theory]
    [InlineData("limit=501")]
    [InlineData("offset=10001")]
    [InlineData("sort=email+asc")]
    [InlineData("where=unknownField+%3D+%22x%22")]
    public async Task Orders_InvalidParameter_Returns400InvalidInput(string query)
    {
        await using var h = await EmulatorHarness.StartAsync();

        var (response, body) = await h.GetAsync($"demo/orders?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("errors")[0].GetProperty("code").GetString().ShouldBe("InvalidInput");
    }

    [Fact]
    public async Task Orders_TokenWithoutOrderScope_Returns403NamingViewOrders()
    {
        await using var h = await EmulatorHarness.StartAsync(configure: o => o.Scopes = ["view_customers"]);

        var (response, body) = await h.GetAsync("demo/orders");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        body.GetProperty("message").GetString()!.ShouldContain("view_orders:demo");
    }

    [Fact]
    public async Task GetOrder_ByIdAndByOrderNumber_ReturnsTheOrderInRealShape()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order(configure: o => o.OrderNumber = "ORD-1001"));

        var (_, byId) = await h.GetAsync($"demo/orders/{id}");
        var (_, byNumber) = await h.GetAsync("demo/orders/order-number=ORD-1001");

        byNumber.GetProperty("id").GetString().ShouldBe(id);
        byId.GetProperty("orderNumber").GetString().ShouldBe("ORD-1001");
        byId.GetProperty("store").GetProperty("typeId").GetString().ShouldBe("store");
        byId.GetProperty("store").GetProperty("key").GetString().ShouldBe("eu");
        byId.GetProperty("origin").GetString().ShouldBe("Customer");
        var total = byId.GetProperty("totalPrice");
        total.GetProperty("type").GetString().ShouldBe("centPrecision");
        total.GetProperty("centAmount").GetInt64().ShouldBe(4498);
        total.GetProperty("fractionDigits").GetInt32().ShouldBe(2);
        var line = byId.GetProperty("lineItems")[0];
        line.GetProperty("variant").GetProperty("sku").GetString().ShouldBe("SKU-000001");
        line.GetProperty("name").GetProperty("de").GetString().ShouldBe("Hemd");
        line.GetProperty("price").GetProperty("value").GetProperty("centAmount").GetInt64().ShouldBe(1999);
        line.GetProperty("quantity").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task GetOrder_Unknown_Returns404ResourceNotFound()
    {
        await using var h = await EmulatorHarness.StartAsync();

        var (byId, _) = await h.GetAsync("demo/orders/nope");
        var (byNumber, body) = await h.GetAsync("demo/orders/order-number=nope");

        byId.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        byNumber.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        body.GetProperty("errors")[0].GetProperty("code").GetString().ShouldBe("ResourceNotFound");
    }

    [Fact]
    public async Task Orders_ExpandPayments_InlinesThePaymentObjectsOnlyWhenAsked()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order());
        var transaction = h.Emulator.AddRefund(id, 5m);

        var (_, plain) = await h.GetAsync("demo/orders");
        var (_, expanded) = await h.GetAsync($"demo/orders?expand={Q("paymentInfo.payments[*]")}");

        var plainRef = plain.GetProperty("results")[0].GetProperty("paymentInfo").GetProperty("payments")[0];
        plainRef.GetProperty("typeId").GetString().ShouldBe("payment");
        plainRef.TryGetProperty("obj", out var _).ShouldBeFalse();
        var obj = expanded.GetProperty("results")[0].GetProperty("paymentInfo").GetProperty("payments")[0].GetProperty("obj");
        obj.GetProperty("id").GetString().ShouldBe(plainRef.GetProperty("id").GetString());
        var refund = obj.GetProperty("transactions").EnumerateArray().Single(t => t.GetProperty("type").GetString() == "Refund");
        refund.GetProperty("id").GetString().ShouldBe(transaction);
        refund.GetProperty("state").GetString().ShouldBe("Success");
        refund.GetProperty("amount").GetProperty("centAmount").GetInt64().ShouldBe(500);
    }

    [Fact]
    public async Task GetPayment_ById_ReturnsThePayment()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var paymentId = h.Emulator.AddPayment(new SandboxPayment { AmountPlanned = SandboxMoney.Of(44.98m, "EUR") });

        var (response, body) = await h.GetAsync($"demo/payments/{paymentId}");
        var (missing, _) = await h.GetAsync("demo/payments/nope");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("amountPlanned").GetProperty("centAmount").GetInt64().ShouldBe(4498);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AddDelivery_PartThenRest_PartialThenShippedWithTrackingAndVersionBumps()
    {
        var time = new TestClock(Start);
        await using var h = await EmulatorHarness.StartAsync(time);
        var id = h.Emulator.AddOrder(EmulatorHarness.Order());

        time.Advance(TimeSpan.FromMinutes(1));
        h.Emulator.AddDelivery(id, [new SandboxDeliveryItem("li-1", 1)], new SandboxTracking("TRK1", "DHL")).ShouldNotBeNull();
        var afterFirst = h.Emulator.GetOrder(id)!;
        time.Advance(TimeSpan.FromMinutes(1));
        h.Emulator.AddDelivery(id, [new SandboxDeliveryItem("li-1", 1), new SandboxDeliveryItem("li-2", 1)]);

        afterFirst.ShipmentState.ShouldBe("Partial");
        afterFirst.Version.ShouldBe(2);
        afterFirst.LastModifiedAt.ShouldBe(Start.AddMinutes(1));
        var (_, body) = await h.GetAsync($"demo/orders/{id}");
        body.GetProperty("shipmentState").GetString().ShouldBe("Shipped");
        body.GetProperty("version").GetInt64().ShouldBe(3);
        var deliveries = body.GetProperty("shippingInfo").GetProperty("deliveries");
        deliveries.GetArrayLength().ShouldBe(2);
        deliveries[0].GetProperty("items")[0].GetProperty("id").GetString().ShouldBe("li-1");
        deliveries[0].GetProperty("parcels")[0].GetProperty("trackingData").GetProperty("trackingId").GetString().ShouldBe("TRK1");
        deliveries[1].GetProperty("parcels")[0].TryGetProperty("trackingData", out var _).ShouldBeFalse();
    }

    [Fact]
    public async Task AddReturnThenRefund_ReturnedItemsRefundedAndRefundTransactionOnThePayment()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order());
        h.Emulator.AddReturn(id, [new SandboxDeliveryItem("li-1", 1)], "RET1").ShouldBeTrue();
        var beforeRefund = h.Emulator.GetOrder(id)!.ReturnInfo.Single().Items.Single();

        var transaction = h.Emulator.AddRefund(id, 19.99m, ["li-1"]);

        beforeRefund.PaymentState.ShouldBe("Initial");
        var order = h.Emulator.GetOrder(id)!;
        order.ReturnInfo.Single().Items.Single().PaymentState.ShouldBe("Refunded");
        order.ReturnInfo.Single().ReturnTrackingId.ShouldBe("RET1");
        var payment = h.Emulator.GetPayment(order.PaymentIds.Single())!;
        payment.Transactions.Select(t => t.Type).ShouldBe(["Charge", "Refund"]);
        payment.Transactions[1].Id.ShouldBe(transaction);
        payment.Transactions[1].Amount.ShouldBe(SandboxMoney.Of(19.99m, "EUR"));
        order.Version.ShouldBe(3);
    }

    [Fact]
    public async Task StoryHelpers_UnknownOrder_ReportNotFound()
    {
        await using var h = await EmulatorHarness.StartAsync();

        h.Emulator.AddDelivery("nope", [new SandboxDeliveryItem("li-1", 1)]).ShouldBeNull();
        h.Emulator.AddReturn("nope", [new SandboxDeliveryItem("li-1", 1)]).ShouldBeFalse();
        h.Emulator.AddRefund("nope", 1m).ShouldBeNull();
        h.Emulator.SetOrderState("nope", "Cancelled").ShouldBeFalse();
    }

    [Fact]
    public async Task SetOrderState_Cancelled_ServedWithBumpedVersion()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order());

        h.Emulator.SetOrderState(id, "Cancelled").ShouldBeTrue();
        h.Emulator.SetShipmentState(id, "Delayed").ShouldBeTrue();

        var (_, body) = await h.GetAsync($"demo/orders/{id}");
        body.GetProperty("orderState").GetString().ShouldBe("Cancelled");
        body.GetProperty("shipmentState").GetString().ShouldBe("Delayed");
        body.GetProperty("version").GetInt64().ShouldBe(3);
    }
}
