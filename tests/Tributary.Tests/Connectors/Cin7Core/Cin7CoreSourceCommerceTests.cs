using Tributary.Connectors.Cin7Core;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Sandbox.Cin7Core;
using static Tributary.Tests.Connectors.Cin7Core.Cin7CoreSourceTests;
using static Tributary.Tests.Connectors.Cin7Core.Cin7CoreTestHost;

namespace Tributary.Tests.Connectors.Cin7Core;

/// <summary>Orders, products and stock read from the emulator.</summary>
[Connector]
public sealed class Cin7CoreSourceCommerceTests
{
    private static readonly DateTimeOffset Shipped1 = new(2024, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static Cin7CoreSourceOptions StockOptions() => new()
    {
        NonSellableLocations = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Quarantine" },
        WholesaleLocations = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Wholesale Warehouse" },
    };

    private static Cin7SandboxSale PartiallyShipped(Guid customer) => new()
    {
        CustomerId = customer,
        CustomerName = "Ann Lee",
        Email = "ann@example.com",
        Status = "BACKORDERED",
        SourceChannel = "Shopify",
        PaymentStatus = "PAID",
        Lines = [new("SHIRT-RED-M", 2, 20m, "Shirt red M"), new("CAP-BLK-OS", 1, 25m, "Cap", Discount: 20)],
        Fulfilments =
        [
            new() { Lines = [new("SHIRT-RED-M", 1, 20m)], Shipped = true, ShipmentDate = Shipped1, Carrier = "DHL", TrackingNumber = "TRK1", TrackingUrl = "https://track.example/TRK1" },
            new() { Lines = [new("SHIRT-RED-M", 1, 20m), new("CAP-BLK-OS", 1, 25m)] },
        ],
        CreditNotes = [new("CR-1", 5m, Shipped1.AddDays(1))],
    };

    [Fact]
    public async Task ReadAsync_PartialShipment_OneShipmentPerShippedFulfilmentWithLinesAndTracking()
    {
        await using var server = await StartAsync();
        var customer = server.Cin7Core.AddCustomer(Customer("Ann Lee", Contact("ann@example.com", isDefault: true)));
        var id = server.Cin7Core.AddSale(PartiallyShipped(customer));
        using var source = Source(server);

        var order = (Order)(await ReadAllAsync(source, EntityKind.Order)).ShouldHaveSingleItem();

        order.Key.ShouldBe(Key(id));
        order.OrderNumber.ShouldBe("SO-00001");
        order.CustomerId.ShouldBe(Key(customer));
        order.Email.ShouldBe("ann@example.com");
        order.SourceStatus.ShouldBe("BACKORDERED");
        order.Status.ShouldBe(OrderStatus.Pending);
        order.PaymentStatus.ShouldBe("PAID");
        order.ShipmentState.ShouldBe("Partial");
        order.Channel.ShouldBe(SalesChannelKind.Dtc);
        order.Lines.Select(l => (l.LineId, l.Quantity, l.UnitPrice.Amount, l.LineTotal.Amount)).ShouldBe([("SHIRT-RED-M", 2m, 20m, 40m), ("CAP-BLK-OS", 1m, 25m, 20m)]);
        order.Lines[1].Discount.ShouldBe(new Money(5m, "EUR"));
        order.Total.ShouldBe(new Money(60m, "EUR"));
        var shipment = order.Shipments.ShouldHaveSingleItem();
        shipment.ShipmentId.ShouldBe("1");
        shipment.Lines.ShouldBe([new ShipmentLine("SHIRT-RED-M", 1)]);
        shipment.ShippedAt.ShouldBe(Shipped1);
        (shipment.Carrier, shipment.TrackingNumber, shipment.TrackingUrl).ShouldBe(("DHL", "TRK1", "https://track.example/TRK1"));
        order.Refunds.ShouldHaveSingleItem().Amount.ShouldBe(new Money(5m, "EUR"));
        server.Cin7Core.RequestCount.ShouldBe(2);
    }

    [Fact]
    public async Task ReadAsync_SecondFulfilmentShips_TwoShipmentsAndShipped()
    {
        await using var server = await StartAsync();
        var id = server.Cin7Core.AddSale(PartiallyShipped(Guid.NewGuid()));
        server.Cin7Core.UpdateSale(id, s =>
        {
            s.Status = "SHIPPED";
            s.Fulfilments[1] = s.Fulfilments[1] with { Shipped = true, ShipmentDate = Shipped1.AddDays(2), Carrier = "UPS", TrackingNumber = "TRK2" };
        }).ShouldBeTrue();
        using var source = Source(server);

        var order = (Order)(await source.GetAsync(EntityKind.Order, Key(id), CancellationToken.None))!;

        order.Shipments.Select(s => s.ShipmentId).ShouldBe(["1", "2"]);
        order.Shipments[1].Lines.ShouldBe([new ShipmentLine("SHIRT-RED-M", 1), new ShipmentLine("CAP-BLK-OS", 1)]);
        order.ShipmentState.ShouldBe("Shipped");
        order.Status.ShouldBe(OrderStatus.Completed);
    }

    [Theory]
    [InlineData("Shopify", SalesChannelKind.Dtc)]
    [InlineData("Amazon_US", SalesChannelKind.Marketplace)]
    [InlineData("B2B Portal", SalesChannelKind.Wholesale)]
    [InlineData("Shopify POS", SalesChannelKind.Pos)]
    [InlineData("My Own Shop", SalesChannelKind.Dtc)]
    [InlineData(null, SalesChannelKind.Wholesale)]
    public async Task ReadAsync_SourceChannel_MapsToTheChannelKind(string? sourceChannel, SalesChannelKind expected)
    {
        await using var server = await StartAsync();
        server.Cin7Core.AddSale(new Cin7SandboxSale { SourceChannel = sourceChannel, Lines = [new("SKU-1", 1, 10m)] });
        using var source = Source(server);

        ((Order)(await ReadAllAsync(source, EntityKind.Order)).ShouldHaveSingleItem()).Channel.ShouldBe(expected);
    }

    [Fact]
    public async Task ReadAsync_StatusMap_UnmappedQuoteIsNullAndVoidedCancelled()
    {
        await using var server = await StartAsync();
        var quote = server.Cin7Core.AddSale(new Cin7SandboxSale { Status = "ESTIMATED", Lines = [new("SKU-1", 1, 10m)] });
        var voided = server.Cin7Core.AddSale(new Cin7SandboxSale { Status = "VOIDED", Lines = [new("SKU-1", 1, 10m)] });
        using var source = Source(server);

        var byKey = (await ReadAllAsync(source, EntityKind.Order)).Cast<Order>().ToDictionary(o => o.Key);

        byKey[Key(quote)].Status.ShouldBeNull();
        byKey[Key(quote)].SourceStatus.ShouldBe("ESTIMATED");
        byKey[Key(voided)].Status.ShouldBe(OrderStatus.Cancelled);
    }

    [Fact]
    public async Task ReadAsync_OrdersResumedAfterAKey_FetchesNoDetailOfEarlierSales()
    {
        await using var server = await StartAsync();
        var keys = Enumerable.Range(0, 6).Select(_ => Key(server.Cin7Core.AddSale(new Cin7SandboxSale { Lines = [new("SKU-1", 1, 10m)] })))
            .Order(StringComparer.Ordinal).ToList();
        using var source = Source(server);

        var records = new List<CanonicalRecord>();
        await foreach (var page in source.ReadAsync(new SourceReadRequest(EntityKind.Order, null, null, keys[3], 2), CancellationToken.None))
        {
            page.LastKey.ShouldBe(page.Records[^1].Key);
            records.AddRange(page.Records);
        }

        records.Select(r => r.Key).ShouldBe(keys.Skip(4));
        server.Cin7Core.RequestCount.ShouldBe(1 + 2);
    }

    [Fact]
    public async Task ReadAsync_Products_SkuNameTiersStatusAndDefaultImage()
    {
        await using var server = await StartAsync();
        server.Cin7Core.AddProduct(new Cin7SandboxProduct
        {
            Sku = "SHIRT-RED-M", Name = "Shirt red M", Brand = "Acme", Category = "Apparel/Shirts",
            PriceTiers = new() { ["Tier 1"] = 29.95m, ["Tier 2"] = 18m },
            Images = ["https://img.example/shirt-1.jpg", "https://img.example/shirt-2.jpg"],
        });
        server.Cin7Core.AddProduct(new Cin7SandboxProduct { Sku = "OLD-1", Name = "Old", Status = "Deprecated", PriceTiers = new() { ["Tier 1"] = 5m } });
        using var source = Source(server);

        var products = (await ReadAllAsync(source, EntityKind.Product)).Cast<Product>().ToList();

        products.Select(p => p.Sku).ShouldBe(["OLD-1", "SHIRT-RED-M"]);
        var shirt = products[1];
        shirt.Names["en"].ShouldBe("Shirt red M");
        shirt.Prices.Select(p => (p.Channel, p.Price)).ShouldBe([("Tier 1", new Money(29.95m, "EUR")), ("Tier 2", new Money(18m, "EUR"))]);
        shirt.ImageUrl.ShouldBe("https://img.example/shirt-1.jpg");
        shirt.CategoryPath.ShouldBe(["Apparel", "Shirts"]);
        shirt.Brand.ShouldBe("Acme");
        shirt.Active.ShouldBeTrue();
        products[0].Active.ShouldBeFalse();
        (await source.GetAsync(EntityKind.Product, "SHIRT-RED", CancellationToken.None)).ShouldBeNull();
        (await source.GetAsync(EntityKind.Product, "SHIRT-RED-M", CancellationToken.None))!.Key.ShouldBe("SHIRT-RED-M");
    }

    [Fact]
    public async Task ReadAsync_Stock_AllocatedQuarantineAndWholesaleNeverCountedInAts()
    {
        await using var server = await StartAsync();
        server.Cin7Core.AddProduct(new Cin7SandboxProduct { Sku = "SHIRT-RED-M", Name = "Shirt" });
        server.Cin7Core.SetStock(new("SHIRT-RED-M", "Main Warehouse", OnHand: 12, Allocated: 2, Bin: "A1"));
        server.Cin7Core.SetStock(new("SHIRT-RED-M", "Quarantine", OnHand: 5, Allocated: 0));
        server.Cin7Core.SetStock(new("SHIRT-RED-M", "Wholesale Warehouse", OnHand: 40, Allocated: 10));
        using var source = Source(server, sourceOptions: StockOptions());

        var level = (StockLevel)(await ReadAllAsync(source, EntityKind.Stock)).ShouldHaveSingleItem();

        level.AvailableToSell.ShouldBe(10m);
        level.Locations.ShouldBe(
        [
            new StockLocation("Main Warehouse", 12, 2),
            new StockLocation("Quarantine", 5, 0, NonSellable: 5),
            new StockLocation("Wholesale Warehouse", 40, 10, Reserved: 30),
        ]);
        level.Locations.Sum(l => l.OnHand - l.Allocated - l.Reserved - l.NonSellable).ShouldBe(level.AvailableToSell);
    }

    [Fact]
    public async Task ReadAsync_SafetyStockAndOversold_FlooredAtZeroPerSkuOverride()
    {
        await using var server = await StartAsync();
        server.Cin7Core.SetStock(new("A", "Main Warehouse", OnHand: 10, Allocated: 0));
        server.Cin7Core.SetStock(new("B", "Main Warehouse", OnHand: 10, Allocated: 0));
        server.Cin7Core.SetStock(new("C", "Main Warehouse", OnHand: 3, Allocated: 5));
        server.Cin7Core.SetStock(new("C", "Quarantine", OnHand: 50, Allocated: 0));
        var options = StockOptions();
        options.SafetyStock = 2;
        options.SafetyStockBySku["B"] = 7;
        using var source = Source(server, sourceOptions: options);

        var ats = (await ReadAllAsync(source, EntityKind.Stock)).Cast<StockLevel>().ToDictionary(s => s.Sku, s => s.AvailableToSell);

        ats.ShouldBe(new Dictionary<string, decimal> { ["A"] = 8, ["B"] = 3, ["C"] = 0 });
    }

    [Fact]
    public async Task ReadAsync_SoldOutProduct_ReportedAtZeroAndGetAsyncToo()
    {
        await using var server = await StartAsync();
        server.Cin7Core.AddProduct(new Cin7SandboxProduct { Sku = "GONE-1", Name = "Sold out" });
        server.Cin7Core.SetStock(new("GONE-1", "Main Warehouse", OnHand: 0, Allocated: 0));
        using var source = Source(server, sourceOptions: StockOptions());

        var level = (StockLevel)(await ReadAllAsync(source, EntityKind.Stock)).ShouldHaveSingleItem();

        level.Sku.ShouldBe("GONE-1");
        level.AvailableToSell.ShouldBe(0);
        level.Locations.ShouldBeEmpty();
        ((StockLevel)(await source.GetAsync(EntityKind.Stock, "GONE-1", CancellationToken.None))!).AvailableToSell.ShouldBe(0);
        (await source.GetAsync(EntityKind.Stock, "NEVER-EXISTED", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task GetAsync_DeletedOrMissingSale_ReturnsNull()
    {
        await using var server = await StartAsync();
        using var source = Source(server);

        (await source.GetAsync(EntityKind.Order, Guid.NewGuid().ToString(), CancellationToken.None)).ShouldBeNull();
    }
}
