using System.Globalization;
using Tributary.Connectors.Centra;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Sandbox;
using Tributary.Sandbox.Centra;

namespace Tributary.Tests.Connectors.Centra;

[Connector]
public sealed class CentraSourceTests
{
    internal static CentraSource Source(SandboxServer server, Action<CentraClientOptions>? configure = null, CentraSourceOptions? sourceOptions = null)
    {
        var options = new CentraClientOptions
        {
            BaseUrl = server.CentraUrl,
            Token = server.Centra.Options.Token,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(3),
        };
        configure?.Invoke(options);
        return CentraSource.Create(options, sourceOptions ?? new CentraSourceOptions(), TimeProvider.System);
    }

    private static Task<SandboxServer> StartAsync(Action<CentraEmulatorOptions>? configure = null)
    {
        var options = new SandboxOptions();
        configure?.Invoke(options.Centra);
        return SandboxServer.StartAsync(options, TimeProvider.System, CancellationToken.None);
    }

    private static async Task<List<CanonicalRecord>> ReadAllAsync(ISourceConnector source, EntityKind entity, int pageSize = 100)
    {
        var records = new List<CanonicalRecord>();
        await foreach (var page in source.ReadAsync(new SourceReadRequest(entity, null, null, null, pageSize), CancellationToken.None))
        {
            page.Rejected.ShouldBeEmpty();
            records.AddRange(page.Records);
        }

        return records;
    }

    private static void SeedCustomers(SandboxServer server, int count)
    {
        for (var i = 0; i < count; i++)
        {
            server.Centra.AddCustomer(new CentraSandboxCustomer { Email = $"c{i}@example.com" });
        }
    }

    [Fact]
    public async Task ReadAsync_TokenLacksPermission_ThrowsConfigFromTheErrorInside200()
    {
        await using var server = await StartAsync(o => o.Permissions.Remove("Customer:read"));
        using var source = Source(server);

        var e = await Should.ThrowAsync<CentraException>(() => ReadAllAsync(source, EntityKind.Customer));

        e.Kind.ShouldBe(FailureKind.Config);
        e.StatusCode.ShouldBe(200);
        e.PlatformCode.ShouldBe("authorization");
        e.Message.ShouldContain("Customer:read");
        e.Message.ShouldContain("Fix:");
    }

    [Fact]
    public async Task ExecuteAsync_QueryTheSchemaLacks_ThrowsConfig()
    {
        await using var server = await StartAsync();
        using var source = Source(server);

        var e = await Should.ThrowAsync<CentraException>(() => source.Client.ExecuteAsync("Carts", "query Carts { carts { id } }", null, CancellationToken.None));

        e.Kind.ShouldBe(FailureKind.Config);
        e.PlatformCode.ShouldBe("graphql");
    }

    [Fact]
    public async Task ReadAsync_WrongToken_ThrowsAuthWithoutTheToken()
    {
        await using var server = await StartAsync();
        using var source = Source(server, o => o.Token = "not-the-token");

        var e = await Should.ThrowAsync<CentraException>(() => ReadAllAsync(source, EntityKind.Customer));

        e.Kind.ShouldBe(FailureKind.Auth);
        e.Message.ShouldNotContain("not-the-token");
    }

    [Theory]
    [InlineData(FailureKind.Auth, 200, "authentication")]
    [InlineData(FailureKind.Config, 200, "authorization")]
    [InlineData(FailureKind.Config, 200, "graphql")]
    [InlineData(FailureKind.RateLimited, 200, "rate-limit")]
    [InlineData(FailureKind.NotFound, 200, "not-found")]
    [InlineData(FailureKind.Transient, 200, "internal")]
    [InlineData(FailureKind.RateLimited, 429, null)]
    [InlineData(FailureKind.Transient, 502, null)]
    [InlineData(FailureKind.Auth, 401, null)]
    public void Classify_CategoryOrStatus_GivesTheKind(FailureKind expected, int status, string? category) =>
        CentraException.Classify(status, category).ShouldBe(expected);

    [Fact]
    public async Task ReadAsync_Injected429s_WaitForRetryAfterAndComplete()
    {
        await using var server = await StartAsync(o => o.RetryAfterFormat = RetryAfterFormat.Seconds);
        SeedCustomers(server, 30);
        using var source = Source(server);
        server.Centra.Faults.Options.RetryAfterSeconds = 1;
        await source.GetClockAsync(CancellationToken.None);
        server.Centra.Faults.RateLimitNext(2);

        var records = await ReadAllAsync(source, EntityKind.Customer, pageSize: 10);

        records.Count.ShouldBe(30);
        server.Centra.Faults.Injected.ShouldBe(2);
        source.Client.Budget.ThrottledEvents.ShouldBe(2);
    }

    [Fact]
    public async Task ReadAsync_429WithoutRetries_ThrowsRateLimitedWithTheAnnouncedDelay()
    {
        await using var server = await StartAsync(o => o.RetryAfterFormat = RetryAfterFormat.Seconds);
        SeedCustomers(server, 3);
        using var source = Source(server, o => o.MaxRetries = 0);
        await source.GetClockAsync(CancellationToken.None);
        server.Centra.Faults.Options.RetryAfterSeconds = 7;
        server.Centra.Faults.RateLimitNext(1);

        var e = await Should.ThrowAsync<CentraException>(() => ReadAllAsync(source, EntityKind.Customer));

        e.Kind.ShouldBe(FailureKind.RateLimited);
        e.StatusCode.ShouldBe(429);
        e.RetryAfter.ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task ReadAsync_1000CustomersInSmallPages_NeverExceedsTheAccountLimit()
    {
        await using var server = await StartAsync();
        SeedCustomers(server, 1000);
        using var source = Source(server);

        var records = await ReadAllAsync(source, EntityKind.Customer, pageSize: 15);

        records.Select(r => r.Key).Distinct().Count().ShouldBe(1000);
        server.Centra.RequestCount.ShouldBeGreaterThan(server.Centra.Options.RequestsPerWindow);
        server.Centra.Throttled.ShouldBe(0);
        source.Client.RequestQuota!.Quota.ShouldBe(60);
    }

    [Fact]
    public async Task ReadAsync_MergedCustomer_SetsMergedIntoTheSurvivor()
    {
        await using var server = await StartAsync();
        var survivor = server.Centra.AddCustomer(new CentraSandboxCustomer { Email = "Ann@Example.com" });
        var guest = server.Centra.AddCustomer(new CentraSandboxCustomer { Email = "guest@example.com" });
        var other = server.Centra.AddCustomer(new CentraSandboxCustomer { Email = "other@example.com" });
        server.Centra.MergeCustomers(survivor, guest).ShouldBeTrue();
        using var source = Source(server);

        var customers = (await ReadAllAsync(source, EntityKind.Customer)).Cast<Customer>().ToDictionary(c => c.Key);

        customers[Key(guest)].MergedInto.ShouldBe(Key(survivor));
        customers[Key(survivor)].MergedInto.ShouldBeNull();
        customers[Key(other)].MergedInto.ShouldBeNull();
        ((Customer)(await source.GetAsync(EntityKind.Customer, Key(guest), CancellationToken.None))!).MergedInto.ShouldBe(Key(survivor));
    }

    [Fact]
    public async Task ReadAsync_PartialShipments_GiveTwoShipmentsWithTheirLines()
    {
        await using var server = await StartAsync();
        var number = server.Centra.AddOrder(Orders.PartiallyShipped(server.Centra.AddCustomer(new CentraSandboxCustomer { Email = "ann@example.com" })));
        using var source = Source(server);

        var order = (Order)(await ReadAllAsync(source, EntityKind.Order)).ShouldHaveSingleItem();

        order.Key.ShouldBe(Key(number));
        order.Shipments.Count.ShouldBe(2);
        order.Shipments.Select(s => s.ShipmentId).ShouldBe([$"{number}-1", $"{number}-2"]);
        order.Shipments[0].Lines.ShouldBe([new ShipmentLine(Key(number * 100 + 1), 1)]);
        order.Shipments[1].Lines.ShouldBe([new ShipmentLine(Key(number * 100 + 1), 1), new ShipmentLine(Key(number * 100 + 2), 1)]);
        order.Shipments.ShouldAllBe(s => s.ShippedAt != null && s.Carrier == "DHL");
        order.ShipmentState.ShouldBe("Partial");
        order.Refunds.ShouldHaveSingleItem().Amount.ShouldBe(new Money(20m, "EUR"));
        order.Lines.Select(l => l.Sku).ShouldBe(["SHIRT-RED-M", "CAP-BLK-OS"]);
        order.Total.ShouldBe(new Money(65m, "EUR"));
        order.Email.ShouldBe("ann@example.com");
        order.Status.ShouldBe(OrderStatus.Paid);
    }

    [Fact]
    public async Task ReadAsync_WholesaleStoreOrder_IsWholesaleAndDtcIsDtc()
    {
        await using var server = await StartAsync();
        var dtc = server.Centra.AddOrder(Orders.Simple(storeId: 1, "SHIPPED"));
        var wholesale = server.Centra.AddOrder(Orders.Simple(storeId: 2, "CONFIRMED"));
        var archived = server.Centra.AddOrder(Orders.Simple(storeId: 1, "ARCHIVED"));
        using var source = Source(server);

        var orders = (await ReadAllAsync(source, EntityKind.Order)).Cast<Order>().ToDictionary(o => o.Key);

        orders[Key(dtc)].Channel.ShouldBe(SalesChannelKind.Dtc);
        orders[Key(dtc)].Status.ShouldBe(OrderStatus.Completed);
        orders[Key(wholesale)].Channel.ShouldBe(SalesChannelKind.Wholesale);
        orders[Key(archived)].Status.ShouldBeNull();
        orders[Key(archived)].SourceStatus.ShouldBe("ARCHIVED");
    }

    [Fact]
    public async Task GetAsync_OrderByNumber_ReturnsItAndNullWhenMissing()
    {
        await using var server = await StartAsync();
        var number = server.Centra.AddOrder(Orders.Simple(storeId: 1, "PENDING"));
        using var source = Source(server);

        ((Order)(await source.GetAsync(EntityKind.Order, Key(number), CancellationToken.None))!).Status.ShouldBe(OrderStatus.Pending);
        (await source.GetAsync(EntityKind.Order, "99999", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task ReadAsync_Products_OneRecordPerSkuWithPricesPerPricelist()
    {
        await using var server = await StartAsync();
        server.Centra.AddProduct(Orders.Shirt());
        using var source = Source(server);

        var products = (await ReadAllAsync(source, EntityKind.Product)).Cast<Product>().ToList();

        products.Select(p => p.Sku).ShouldBe(["SHIRT-RED-L", "SHIRT-RED-M"]);
        var m = products[1];
        m.Names["en"].ShouldBe("Oxford shirt");
        m.Brand.ShouldBe("Acme");
        m.CategoryPath.ShouldBe(["Men", "Shirts"]);
        m.ImageUrl.ShouldBe("https://cdn.example.com/shirt-red.jpg");
        m.Active.ShouldBeTrue();
        m.Prices.ShouldBe([new ProductPrice(new Money(49m, "EUR"), new Money(39m, "EUR"), null, "EUR Retail"), new ProductPrice(new Money(55m, "USD"), null, null, "USD Retail")]);
    }

    [Fact]
    public async Task ReadAsync_Stock_SumsTheConfiguredWarehousesFlooredAtZero()
    {
        await using var server = await StartAsync();
        server.Centra.AddProduct(Orders.Shirt());
        server.Centra.SetStock("SHIRT-RED-M", 1, 7).ShouldBeTrue();
        server.Centra.SetStock("SHIRT-RED-M", 2, 5).ShouldBeTrue();
        server.Centra.SetStock("SHIRT-RED-M", 3, 100).ShouldBeTrue();
        server.Centra.SetStock("SHIRT-RED-L", 1, -2).ShouldBeTrue();
        using var source = Source(server, sourceOptions: new CentraSourceOptions { StockWarehouses = new HashSet<string> { "EU DC", "2" } });

        var stock = (await ReadAllAsync(source, EntityKind.Stock)).Cast<StockLevel>().ToDictionary(s => s.Sku);

        stock["SHIRT-RED-M"].AvailableToSell.ShouldBe(12);
        stock["SHIRT-RED-M"].Locations.Select(l => (l.Location, l.OnHand)).ShouldBe([("EU DC", 7m), ("US DC", 5m), ("Showroom", 100m)]);
        stock["SHIRT-RED-L"].AvailableToSell.ShouldBe(0);
    }

    [Fact]
    public async Task CheckAsync_WorkingToken_ReportsOkWithTheQuota()
    {
        await using var server = await StartAsync();
        using var source = Source(server);

        var report = await source.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeTrue();
        report.Checks[0].Message.ShouldContain("60 requests per 10 s");
    }

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Orders and products the tests seed.</summary>
internal static class Orders
{
    public static CentraSandboxOrder Simple(int storeId, string status) => new()
    {
        StoreId = storeId,
        Status = status,
        Email = "buyer@example.com",
        Lines = [new CentraSandboxOrderLine { Sku = "SHIRT-RED-M", ProductId = 1, ProductName = "Oxford shirt", Quantity = 1, UnitPrice = 49 }],
    };

    /// <summary>Two lines; shipment 1 carries one of line 1, shipment 2 the other of line 1 and one of line 2 (of two); one return.</summary>
    public static CentraSandboxOrder PartiallyShipped(int customerId)
    {
        var shipped = new DateTimeOffset(2024, 3, 2, 10, 0, 0, TimeSpan.Zero);
        return new CentraSandboxOrder
        {
            Number = 2001,
            CustomerId = customerId,
            Status = "PROCESSING",
            Lines =
            [
                new CentraSandboxOrderLine { Sku = "SHIRT-RED-M", ProductId = 1, ProductName = "Oxford shirt", Quantity = 2, UnitPrice = 20, UnitOriginalPrice = 25 },
                new CentraSandboxOrderLine { Sku = "CAP-BLK-OS", ProductId = 2, ProductName = "Cap", Quantity = 2, UnitPrice = 12.5m },
            ],
            Shipments =
            [
                new CentraSandboxShipment { IsShipped = true, ShippedAt = shipped, Carrier = "DHL", TrackingNumber = "T1", Lines = new() { [200101] = 1 } },
                new CentraSandboxShipment { IsShipped = true, ShippedAt = shipped.AddDays(1), Carrier = "DHL", TrackingNumber = "T2", Lines = new() { [200101] = 1, [200102] = 1 } },
            ],
            Returns =
            [
                new CentraSandboxReturn { IsCompleted = true, CompletedAt = shipped.AddDays(5), Lines = new() { [200101] = 1 }, RefundValue = 20 },
                new CentraSandboxReturn { IsCompleted = false, Lines = new() { [200102] = 1 }, RefundValue = 12.5m },
            ],
        };
    }

    public static CentraSandboxProduct Shirt() => new()
    {
        Name = "Oxford shirt",
        ProductNumber = "SHIRT",
        Brand = "Acme",
        Category = ["Men", "Shirts"],
        Variants =
        [
            new CentraSandboxVariant
            {
                Name = "Red",
                ImageUrl = "https://cdn.example.com/shirt-red.jpg",
                Sizes =
                [
                    new CentraSandboxSize { Sku = "SHIRT-RED-M", Description = "M", Prices = new() { [1] = 49, [2] = 55 }, SalePrices = new() { [1] = 39 } },
                    new CentraSandboxSize { Sku = "SHIRT-RED-L", Description = "L", Prices = new() { [1] = 49 } },
                ],
            },
        ],
    };
}
