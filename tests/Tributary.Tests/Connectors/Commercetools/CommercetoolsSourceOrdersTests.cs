using Tributary.Connectors.Commercetools;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Sandbox.Commercetools;
using Tributary.Tests.Sandbox.Commercetools;

namespace Tributary.Tests.Connectors.Commercetools;

[Connector]
public sealed class CommercetoolsSourceOrdersTests
{
    private static readonly DateTimeOffset Start = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static CommercetoolsSource Source(EmulatorHarness h, CommercetoolsSourceOptions? sourceOptions = null) =>
        CommercetoolsSource.Create(new CommercetoolsClientOptions
        {
            ApiUrl = h.Server.CommercetoolsUrl,
            AuthUrl = h.Server.CommercetoolsUrl,
            ProjectKey = "demo",
            ClientId = "sandbox-client",
            ClientSecret = "sandbox-secret",
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        }, sourceOptions ?? new CommercetoolsSourceOptions(), TimeProvider.System);

    private static async Task<List<SourcePage>> ReadAllAsync(ISourceConnector source, SourceReadRequest request)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in source.ReadAsync(request, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    private static SourceReadRequest Full(int pageSize = 500) => new(EntityKind.Order, null, null, null, pageSize);

    private static async Task<Order> ReadOneAsync(EmulatorHarness h, string id, CommercetoolsSourceOptions? options = null)
    {
        using var source = Source(h, options);
        return (Order)(await source.GetAsync(EntityKind.Order, id, CancellationToken.None))!;
    }

    private static List<string> Seed(EmulatorHarness h, int count)
    {
        var ids = new List<string>();
        h.Emulator.AddOrders(Enumerable.Range(0, count).Select(i =>
        {
            var o = EmulatorHarness.Order($"c{i}@example.com", Start.AddSeconds(i));
            ids.Add(o.Id = Guid.NewGuid().ToString());
            return o;
        }));
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    [Fact]
    public void Entities_CustomersOrdersProductsAndStock()
    {
        using var source = CommercetoolsSource.Create(new CommercetoolsClientOptions { ProjectKey = "demo" }, new CommercetoolsSourceOptions(),
            TimeProvider.System);

        source.Entities.ShouldBe([EntityKind.Customer, EntityKind.Order, EntityKind.Product, EntityKind.Stock], ignoreOrder: true);
    }

    [Fact]
    public async Task ReadAsync_FullReadOf1100Orders_EachOnceInIdOrder()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var ids = Seed(h, 1100);
        using var source = Source(h);

        var pages = await ReadAllAsync(source, Full());

        pages.Select(p => p.Records.Count).ShouldBe([500, 500, 100]);
        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(ids);
        pages.SelectMany(p => p.Records).ShouldAllBe(r => r is Order);
    }

    [Fact]
    public async Task ReadAsync_IncrementalWindow_ReturnsOnlyOrdersModifiedInside()
    {
        await using var h = await EmulatorHarness.StartAsync();
        Seed(h, 60);
        using var source = Source(h);
        var from = Start.AddSeconds(10);
        var before = Start.AddSeconds(35);

        var pages = await ReadAllAsync(source, new SourceReadRequest(EntityKind.Order, from, before, null, PageSize: 10));

        var records = pages.SelectMany(p => p.Records).ToList();
        records.Count.ShouldBe(25);
        records.ShouldAllBe(r => r.ModifiedAt >= from && r.ModifiedAt < before);
        records.Select(r => r.Key).ShouldBe(records.Select(r => r.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Map_Order_LinesTotalsStatusAndProvenance()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order(modified: Start, configure: o =>
        {
            o.OrderNumber = "ORD-1001";
            o.CustomerId = "cust-1";
            o.ShipmentState = "Pending";
            o.TaxedPrice = new SandboxTaxedPrice(SandboxMoney.Of(37.80m, "EUR"), SandboxMoney.Of(44.98m, "EUR"));
            o.LineItems[0].DiscountedPrice = SandboxMoney.Of(17.99m, "EUR");
            o.LineItems[0].TotalPrice = SandboxMoney.Of(35.98m, "EUR");
        }));

        var order = await ReadOneAsync(h, id, new CommercetoolsSourceOptions { Locale = "de" });

        order.SourceId.ShouldBe(id);
        order.OrderNumber.ShouldBe("ORD-1001");
        order.CustomerId.ShouldBe("cust-1");
        order.Email.ShouldBe("ann@example.com");
        order.SourceStatus.ShouldBe("Confirmed");
        order.Status.ShouldBe(OrderStatus.Paid);
        order.PaymentStatus.ShouldBe("Paid");
        order.ShipmentState.ShouldBe("Pending");
        order.Store.ShouldBe("eu");
        order.Channel.ShouldBe(SalesChannelKind.Dtc);
        order.Currency.ShouldBe("EUR");
        order.Total.ShouldBe(new Money(44.98m, "EUR"));
        order.PlacedAt.ShouldBe(Start.AddDays(-1));
        order.ModifiedAt.ShouldBe(Start);
        order.SourceVersion.ShouldBe(1);
        order.Lines.Count.ShouldBe(2);
        order.Lines[0].ShouldBe(new OrderLine("li-1", "SKU-000001", order.Lines[0].ProductId, 2, new Money(19.99m, "EUR"),
            new Money(35.98m, "EUR"), new Money(4.00m, "EUR"), "Hemd"));
        order.Lines[1].Name.ShouldBe("Socks");
        order.Lines[1].Discount.ShouldBeNull();
        order.Shipments.ShouldBeEmpty();
        order.Refunds.ShouldBeEmpty();
    }

    [Fact]
    public async Task Map_CompletedAt_IsThePlacedTime()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order(modified: Start, configure: o => o.CompletedAt = Start.AddDays(-30)));

        (await ReadOneAsync(h, id)).PlacedAt.ShouldBe(Start.AddDays(-30));
    }

    [Fact]
    public async Task Map_TwoDeliveries_TwoShipmentsWithLinesAndTracking()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order());
        var first = h.Emulator.AddDelivery(id, [new SandboxDeliveryItem("li-1", 1)], new SandboxTracking("TRK1", "DHL"));
        var partial = await ReadOneAsync(h, id);
        var second = h.Emulator.AddDelivery(id, [new SandboxDeliveryItem("li-1", 1), new SandboxDeliveryItem("li-2", 1)],
            new SandboxTracking("1Z999", "UPS"));

        var order = await ReadOneAsync(h, id);

        partial.ShipmentState.ShouldBe("Partial");
        partial.Shipments.Count.ShouldBe(1);
        order.ShipmentState.ShouldBe("Shipped");
        order.Shipments.Select(s => s.ShipmentId).ShouldBe([first!, second!]);
        order.Shipments[0].Lines.ShouldBe([new ShipmentLine("li-1", 1)]);
        order.Shipments[0].Carrier.ShouldBe("DHL");
        order.Shipments[0].TrackingNumber.ShouldBe("TRK1");
        order.Shipments[0].ShippedAt.ShouldNotBeNull();
        order.Shipments[1].Lines.ShouldBe([new ShipmentLine("li-1", 1), new ShipmentLine("li-2", 1)]);
        order.Shipments[1].TrackingNumber.ShouldBe("1Z999");
        order.SourceVersion.ShouldBe(3);
    }

    [Fact]
    public async Task Map_ReturnsAndRefunds_OneRefundPerTransactionWithTheReturnedLines()
    {
        var time = new TestClock(Start);
        await using var h = await EmulatorHarness.StartAsync(time);
        var id = h.Emulator.AddOrder(EmulatorHarness.Order(configure: o => o.OrderState = "Complete"));
        h.Emulator.AddReturn(id, [new SandboxDeliveryItem("li-1", 1)]);
        time.Advance(TimeSpan.FromHours(1));
        var firstRefund = h.Emulator.AddRefund(id, 19.99m);
        h.Emulator.AddReturn(id, [new SandboxDeliveryItem("li-2", 1)]);
        time.Advance(TimeSpan.FromHours(1));
        var secondRefund = h.Emulator.AddRefund(id, 5m);
        time.Advance(TimeSpan.FromHours(1));
        var goodwill = h.Emulator.AddRefund(id, 2.50m);

        var order = await ReadOneAsync(h, id);

        order.Status.ShouldBe(OrderStatus.Completed);
        order.Refunds.Select(r => r.RefundId).ShouldBe([firstRefund!, secondRefund!, goodwill!]);
        order.Refunds[0].ShouldBe(new Refund(firstRefund!, order.Refunds[0].Lines, new Money(19.99m, "EUR"), Start.AddHours(1)));
        order.Refunds[0].Lines.ShouldBe([new ShipmentLine("li-1", 1)]);
        order.Refunds[1].Lines.ShouldBe([new ShipmentLine("li-2", 1)]);
        order.Refunds[1].Amount.ShouldBe(new Money(5m, "EUR"));
        order.Refunds[2].Lines.ShouldBeEmpty();
        order.Refunds[2].Amount.ShouldBe(new Money(2.50m, "EUR"));
    }

    [Fact]
    public async Task Map_FailedRefundTransaction_IsNotARefund()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var paymentId = h.Emulator.AddPayment(new SandboxPayment
        {
            AmountPlanned = SandboxMoney.Of(44.98m, "EUR"),
            Transactions =
            [
                new SandboxTransaction("t-charge", Start, "Charge", SandboxMoney.Of(44.98m, "EUR")),
                new SandboxTransaction("t-refund", Start, "Refund", SandboxMoney.Of(5m, "EUR"), "Failure"),
            ],
        });
        var id = h.Emulator.AddOrder(EmulatorHarness.Order(configure: o => o.PaymentIds = [paymentId]));

        (await ReadOneAsync(h, id)).Refunds.ShouldBeEmpty();
    }

    [Fact]
    public async Task Map_Cancelled_MapsToCancelled()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order());
        h.Emulator.SetOrderState(id, "Cancelled");

        var order = await ReadOneAsync(h, id);

        order.Status.ShouldBe(OrderStatus.Cancelled);
        order.SourceStatus.ShouldBe("Cancelled");
    }

    [Theory]
    [InlineData("marketplace", null, SalesChannelKind.Marketplace)]
    [InlineData("b2b", null, SalesChannelKind.Wholesale)]
    [InlineData("eu", null, SalesChannelKind.Dtc)]
    [InlineData("eu", "marketplace", SalesChannelKind.Marketplace)]
    [InlineData("uk", "Wholesale", SalesChannelKind.Wholesale)]
    [InlineData("us", "POS", SalesChannelKind.Pos)]
    [InlineData("marketplace", "dtc", SalesChannelKind.Dtc)]
    public async Task Map_StoreAndChannelField_ClassifyTheSalesChannel(string store, string? field, SalesChannelKind expected)
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order(configure: o =>
        {
            o.Store = store;
            if (field is not null)
            {
                o.CustomTypeId = "order-type";
                o.CustomFields["salesChannel"] = field;
            }
        }));

        (await ReadOneAsync(h, id)).Channel.ShouldBe(expected);
    }

    [Fact]
    public async Task Map_StatusMapWithoutOpen_OpenOrderHasNullStatus()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order(configure: o => o.OrderState = "Open"));
        var options = new CommercetoolsSourceOptions();
        options.OrderStatusMap.Remove("Open");

        var order = await ReadOneAsync(h, id, options);

        order.SourceStatus.ShouldBe("Open");
        order.Status.ShouldBeNull();
    }

    [Fact]
    public async Task Map_GuestWithoutEmail_EmailAndCustomerAreNull()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddOrder(EmulatorHarness.Order(email: null));

        var order = await ReadOneAsync(h, id);

        order.Email.ShouldBeNull();
        order.CustomerId.ShouldBeNull();
    }

    [Fact]
    public async Task ReadAsync_MalformedOrders_RejectedWithReasonsWhileThePageContinues()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var ids = Seed(h, 5);
        var noSku = h.Emulator.AddOrder(EmulatorHarness.Order("bad@example.com", configure: o => o.LineItems[1].Sku = null));
        var badChannel = h.Emulator.AddOrder(EmulatorHarness.Order(configure: o => o.CustomFields["salesChannel"] = "carrier-pigeon"));
        var mixedCurrency = h.Emulator.AddOrder(EmulatorHarness.Order(configure: o => o.LineItems[0].TotalPrice = SandboxMoney.Of(39.98m, "USD")));
        using var source = Source(h);

        var pages = await ReadAllAsync(source, Full());

        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(ids);
        var rejected = pages.SelectMany(p => p.Rejected).ToDictionary(r => r.Key);
        rejected.Keys.ShouldBe([noSku, badChannel, mixedCurrency], ignoreOrder: true);
        rejected.Values.ShouldAllBe(r => r.Entity == EntityKind.Order);
        rejected[noSku].Reason.ShouldContain("no SKU");
        rejected[noSku].Raw!.ShouldNotContain("bad@example.com");
        rejected[badChannel].Reason.ShouldContain("carrier-pigeon");
        rejected[mixedCurrency].Reason.ShouldContain("USD");
    }

    [Fact]
    public async Task GetAsync_UnknownOrder_ReturnsNull()
    {
        await using var h = await EmulatorHarness.StartAsync();
        using var source = Source(h);

        (await source.GetAsync(EntityKind.Order, "nope", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task ReadAsync_ClientWithoutOrderScope_ThrowsConfigNamingViewOrders()
    {
        await using var h = await EmulatorHarness.StartAsync(configure: o => o.Scopes = ["view_customers"]);
        using var source = Source(h);

        var e = await Should.ThrowAsync<CommercetoolsException>(() => ReadAllAsync(source, Full()));

        e.Kind.ShouldBe(FailureKind.Config);
        e.Message.ShouldContain("view_orders:demo");
    }
}
