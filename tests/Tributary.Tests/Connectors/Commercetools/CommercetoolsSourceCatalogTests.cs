using Tributary.Connectors.Commercetools;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Sandbox.Commercetools;
using Tributary.Tests.Sandbox.Commercetools;

namespace Tributary.Tests.Connectors.Commercetools;

[Connector]
public sealed class CommercetoolsSourceCatalogTests
{
    private static readonly DateTimeOffset Start = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static CommercetoolsSource Source(EmulatorHarness h, CommercetoolsSourceOptions? options = null) =>
        CommercetoolsSource.Create(new CommercetoolsClientOptions
        {
            ApiUrl = h.Server.CommercetoolsUrl,
            AuthUrl = h.Server.CommercetoolsUrl,
            ProjectKey = "demo",
            ClientId = "sandbox-client",
            ClientSecret = "sandbox-secret",
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        }, options ?? new CommercetoolsSourceOptions(), TimeProvider.System);

    private static async Task<List<SourcePage>> ReadAllAsync(ISourceConnector source, SourceReadRequest request)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in source.ReadAsync(request, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    private static async Task<EmulatorHarness> ShopAsync()
    {
        var h = await EmulatorHarness.StartAsync();
        h.Emulator.AddChannel(new SandboxChannel { Id = "c-web", Key = "web-eu", Roles = [SandboxChannel.InventorySupply] });
        h.Emulator.AddChannel(new SandboxChannel { Id = "c-ber", Key = "store-berlin", Roles = [SandboxChannel.InventorySupply] });
        h.Emulator.AddChannel(new SandboxChannel { Id = "c-b2b", Key = "b2b-wh", Roles = [SandboxChannel.InventorySupply] });
        return h;
    }

    /// <summary>A jacket: JKT-S (master) and JKT-M, in en/de/fr, EUR 100 (special 80), GBP 90 for GB, EUR 95 on the Berlin channel.</summary>
    private static SandboxProduct Jacket(string id = "prod-jacket") => new()
    {
        Id = id,
        Key = "jacket",
        Name = new() { ["en"] = "Jacket", ["de"] = "Jacke", ["fr"] = "Veste" },
        Slug = new() { ["en"] = "jacket", ["de"] = "jacke", ["fr"] = "veste" },
        Description = new() { ["en"] = "Warm.", ["de"] = "Warm.", ["fr"] = "Chaude." },
        CategoryIds = ["cat-outer", "cat-sale"],
        MasterVariant = new SandboxVariant
        {
            Id = 1,
            Sku = "JKT-S",
            Images = ["https://img.example.com/jkt-1.jpg", "https://img.example.com/jkt-2.jpg"],
            Attributes = new() { ["brand"] = "Kestrel", ["size"] = "S", ["material"] = new Dictionary<string, object?> { ["key"] = "wool", ["label"] = "Wool" } },
            Prices =
            [
                new SandboxPrice("pe", SandboxMoney.Of(100m, "EUR"), Discounted: SandboxMoney.Of(80m, "EUR")),
                new SandboxPrice("pg", SandboxMoney.Of(90m, "GBP"), Country: "GB"),
                new SandboxPrice("pc", SandboxMoney.Of(95m, "EUR"), ChannelId: "c-ber"),
            ],
        },
        Variants =
        [
            new SandboxVariant
            {
                Id = 2, Sku = "JKT-M", Attributes = new() { ["brand"] = "Kestrel", ["size"] = "M" },
                Prices = [new SandboxPrice("pm", SandboxMoney.Of(105m, "EUR"))],
            },
        ],
        CreatedAt = Start,
        LastModifiedAt = Start,
    };

    private static SandboxProduct Simple(string id, string sku, DateTimeOffset modified) => new()
    {
        Id = id,
        Name = new() { ["en"] = sku },
        Slug = new() { ["en"] = sku.ToLowerInvariant() },
        MasterVariant = new SandboxVariant { Sku = sku, Prices = [new SandboxPrice($"{sku}-eur", SandboxMoney.Of(10m, "EUR"))] },
        CreatedAt = modified,
        LastModifiedAt = modified,
    };

    [Fact]
    public async Task ReadAsync_Products_EachVariantBecomesOneRecordAndLastKeyIsTheProductId()
    {
        await using var h = await ShopAsync();
        h.Emulator.AddProduct(Jacket("prod-a"));
        h.Emulator.AddProduct(Simple("prod-b", "CAP-1", Start));
        h.Emulator.AddProduct(Simple("prod-c", "SOCK-1", Start));
        using var source = Source(h);

        var pages = await ReadAllAsync(source, new SourceReadRequest(EntityKind.Product, null, null, null, PageSize: 2));

        pages.Select(p => p.LastKey).ShouldBe(["prod-b", "prod-c"]);
        pages[0].Records.Select(r => r.Key).ShouldBe(["JKT-S", "JKT-M", "CAP-1"]);
        pages.SelectMany(p => p.Records).OfType<Product>().Select(p => p.ProductId).ShouldBe(["prod-a", "prod-a", "prod-b", "prod-c"]);
    }

    [Fact]
    public async Task ReadAsync_ProductsAfterKey_ResumesAfterThatProduct()
    {
        await using var h = await ShopAsync();
        h.Emulator.AddProduct(Jacket("prod-a"));
        h.Emulator.AddProduct(Simple("prod-b", "CAP-1", Start));
        using var source = Source(h);

        var pages = await ReadAllAsync(source, new SourceReadRequest(EntityKind.Product, null, null, "prod-a"));

        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(["CAP-1"]);
    }

    [Fact]
    public async Task ReadAsync_ProductsIncrementalWindow_OnlyProductsModifiedInside()
    {
        await using var h = await ShopAsync();
        for (var i = 0; i < 10; i++)
        {
            h.Emulator.AddProduct(Simple($"prod-{i:D2}", $"SKU-{i:D2}", Start.AddMinutes(i)));
        }

        using var source = Source(h);

        var pages = await ReadAllAsync(source, new SourceReadRequest(EntityKind.Product, Start.AddMinutes(3), Start.AddMinutes(6), null));

        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(["SKU-03", "SKU-04", "SKU-05"]);
    }

    [Fact]
    public async Task Map_Product_PricesPerCurrencyCountryAndChannelWithSpecialPrice()
    {
        await using var h = await ShopAsync();
        h.Emulator.AddProduct(Jacket());
        using var source = Source(h);

        var product = (Product)(await source.GetAsync(EntityKind.Product, "JKT-S", CancellationToken.None))!;

        product.Prices.ShouldBe(
        [
            new ProductPrice(new Money(100m, "EUR"), new Money(80m, "EUR")),
            new ProductPrice(new Money(90m, "GBP"), null, "GB"),
            new ProductPrice(new Money(95m, "EUR"), null, null, "store-berlin"),
        ]);
        product.SourceVersion.ShouldBe(1);
        product.ModifiedAt.ShouldBe(Start);
    }

    [Fact]
    public async Task Map_Product_CurrencyAndCountryScopingLimitPrices()
    {
        await using var h = await ShopAsync();
        h.Emulator.AddProduct(Jacket());
        using var source = Source(h, new CommercetoolsSourceOptions { Currencies = ["EUR"], Country = "DE" });

        var product = (Product)(await source.GetAsync(EntityKind.Product, "JKT-S", CancellationToken.None))!;

        product.Prices.Select(p => p.Price).ShouldBe([new Money(100m, "EUR"), new Money(95m, "EUR")]);
    }

    [Fact]
    public async Task Map_Product_NamesUrlsDescriptionsImageCategoriesBrandAndAttributes()
    {
        await using var h = await ShopAsync();
        h.Emulator.AddProduct(Jacket());
        using var source = Source(h, new CommercetoolsSourceOptions { Locales = ["en", "de"] });

        var master = (Product)(await source.GetAsync(EntityKind.Product, "JKT-S", CancellationToken.None))!;
        var medium = (Product)(await source.GetAsync(EntityKind.Product, "JKT-M", CancellationToken.None))!;

        master.Names.ShouldBe(new Dictionary<string, string> { ["en"] = "Jacket", ["de"] = "Jacke" });
        master.Urls.ShouldBe(new Dictionary<string, string>
        {
            ["en"] = "https://shop.example.com/en/p/jacket",
            ["de"] = "https://shop.example.com/de/p/jacke",
        });
        master.Descriptions.Keys.ShouldBe(["en", "de"], ignoreOrder: true);
        master.ImageUrl.ShouldBe("https://img.example.com/jkt-1.jpg");
        master.CategoryPath.ShouldBe(["cat-outer", "cat-sale"]);
        master.Brand.ShouldBe("Kestrel");
        master.Active.ShouldBeTrue();
        master.Attributes["size"].ShouldBe("S");
        master.Attributes["material"].ShouldBe("Wool");
        medium.ImageUrl.ShouldBe("https://img.example.com/jkt-1.jpg");
        medium.Attributes["size"].ShouldBe("M");
        medium.Prices.ShouldBe([new ProductPrice(new Money(105m, "EUR"))]);
    }

    [Fact]
    public async Task Map_ProductUrlTemplate_UsesThePlaceholders()
    {
        await using var h = await ShopAsync();
        h.Emulator.AddProduct(Jacket());
        using var source = Source(h, new CommercetoolsSourceOptions { ProductUrlTemplate = "https://x.example/{locale}/{key}/{sku}?s={slug}", Locales = ["fr"] });

        var product = (Product)(await source.GetAsync(EntityKind.Product, "JKT-M", CancellationToken.None))!;

        product.Urls.ShouldBe(new Dictionary<string, string> { ["fr"] = "https://x.example/fr/jacket/JKT-M?s=veste" });
    }

    [Fact]
    public async Task ReadAsync_MalformedProducts_RejectedWithReasonOthersRead()
    {
        await using var h = await ShopAsync();
        var jacket = Jacket("prod-a");
        jacket.Variants.Add(new SandboxVariant { Id = 3, Prices = [new SandboxPrice("px", SandboxMoney.Of(1m, "EUR"))] });
        h.Emulator.AddProduct(jacket);
        var badMoney = Simple("prod-b", "BAD-1", Start);
        badMoney.MasterVariant.Prices = [new SandboxPrice("pb", new SandboxMoney("EURO", 100))];
        h.Emulator.AddProduct(badMoney);
        h.Emulator.AddProduct(Simple("prod-c", "OK-1", Start));
        using var source = Source(h);

        var pages = await ReadAllAsync(source, new SourceReadRequest(EntityKind.Product, null, null, null));

        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(["JKT-S", "JKT-M", "OK-1"]);
        var rejected = pages.SelectMany(p => p.Rejected).ToList();
        rejected.Select(r => r.Key).ShouldBe(["prod-a#3", "BAD-1"]);
        rejected[0].Reason.ShouldContain("has no SKU");
        rejected[1].Reason.ShouldContain("currencyCode");
        rejected.ShouldAllBe(r => r.Entity == EntityKind.Product);
    }

    [Fact]
    public async Task GetAsync_UnpublishedProduct_NullInCurrentViewInactiveInStaged()
    {
        await using var h = await ShopAsync();
        h.Emulator.AddProduct(Jacket());
        h.Emulator.RemoveProduct("prod-jacket").ShouldBeTrue();
        using var current = Source(h);
        using var staged = Source(h, new CommercetoolsSourceOptions { StagedProducts = true });

        (await current.GetAsync(EntityKind.Product, "JKT-S", CancellationToken.None)).ShouldBeNull();
        var product = (Product)(await staged.GetAsync(EntityKind.Product, "JKT-S", CancellationToken.None))!;

        product.Active.ShouldBeFalse();
        product.SourceVersion.ShouldBe(2);
    }

    [Fact]
    public async Task Stock_AtsOverIncludedChannelsMinusSafetyStock_ReservedNeverCounted()
    {
        await using var h = await ShopAsync();
        h.Emulator.SetStock("JKT-S", "web-eu", 10, 6);
        h.Emulator.SetStock("JKT-S", "store-berlin", 5, 5);
        h.Emulator.SetStock("JKT-S", "b2b-wh", 100, 100);
        using var source = Source(h, new CommercetoolsSourceOptions
        {
            StockChannels = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "web-eu", "store-berlin" },
            SafetyStock = 2,
        });

        var stock = (StockLevel)(await source.GetAsync(EntityKind.Stock, "JKT-S", CancellationToken.None))!;

        stock.AvailableToSell.ShouldBe(6 + 5 - 2);
        stock.Locations.ShouldBe([new StockLocation("b2b-wh", 100, 0), new StockLocation("store-berlin", 5, 0), new StockLocation("web-eu", 10, 4)],
            ignoreOrder: true);
    }

    [Fact]
    public async Task Stock_AllChannelsByDefault_SafetyStockPerSkuFlooredAtZero()
    {
        await using var h = await ShopAsync();
        h.Emulator.SetStock("A", "web-eu", 3, 1);
        h.Emulator.SetStock("A", "b2b-wh", 2, 2);
        h.Emulator.SetStock("B", "web-eu", 3, 3);
        h.Emulator.SetStock("B", null, 4, 4);
        using var source = Source(h, new CommercetoolsSourceOptions
        {
            SafetyStock = 1,
            SafetyStockBySku = new Dictionary<string, decimal> { ["A"] = 10 },
        });

        var pages = await ReadAllAsync(source, new SourceReadRequest(EntityKind.Stock, null, null, null));

        var levels = pages.SelectMany(p => p.Records).Cast<StockLevel>().ToList();
        levels.Select(l => (l.Sku, l.AvailableToSell)).ShouldBe([("A", 0m), ("B", 6m)]);
        levels[1].Locations.Select(l => l.Location).ShouldBe(["default", "web-eu"], ignoreOrder: true);
    }

    [Fact]
    public async Task Stock_ExcludedChannel_Ignored()
    {
        await using var h = await ShopAsync();
        h.Emulator.SetStock("A", "b2b-wh", 50, 50);
        h.Emulator.SetStock("A", "web-eu", 0, 0);
        using var source = Source(h, new CommercetoolsSourceOptions
        {
            StockChannels = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "web-eu", "store-berlin" },
        });

        var stock = (StockLevel)(await source.GetAsync(EntityKind.Stock, "A", CancellationToken.None))!;

        stock.AvailableToSell.ShouldBe(0);
        stock.Locations.Count.ShouldBe(2);
    }

    [Fact]
    public async Task ReadAsync_StockPagedBySku_SkuCutByThePageArrivesWhole()
    {
        await using var h = await ShopAsync();
        foreach (var sku in new[] { "A", "B", "C" })
        {
            h.Emulator.SetStock(sku, "web-eu", 5, 5);
            h.Emulator.SetStock(sku, "store-berlin", 1, 1);
            h.Emulator.SetStock(sku, "b2b-wh", 2, 2);
        }

        using var source = Source(h);

        var pages = await ReadAllAsync(source, new SourceReadRequest(EntityKind.Stock, null, null, null, PageSize: 4));

        var levels = pages.SelectMany(p => p.Records).Cast<StockLevel>().ToList();
        levels.Select(l => l.Sku).ShouldBe(["A", "B", "C"]);
        levels.ShouldAllBe(l => l.Locations.Count == 3 && l.AvailableToSell == 8);
        pages.ShouldAllBe(p => p.LastKey == p.Records[p.Records.Count - 1].Key);
    }

    [Fact]
    public async Task ReadAsync_IncrementalStock_ReturnsTheWholeSkuOfAChangedEntry()
    {
        var clock = new TestClock(Start);
        await using var h = await EmulatorHarness.StartAsync(clock);
        h.Emulator.AddChannel(new SandboxChannel { Id = "c-web", Key = "web-eu" });
        h.Emulator.AddChannel(new SandboxChannel { Id = "c-ber", Key = "store-berlin" });
        h.Emulator.SetStock("A", "web-eu", 5, 5);
        h.Emulator.SetStock("A", "store-berlin", 7, 7);
        h.Emulator.SetStock("B", "web-eu", 1, 1);
        clock.Advance(TimeSpan.FromMinutes(10));
        h.Emulator.SetStock("A", "store-berlin", 7, 3);
        using var source = Source(h);

        var pages = await ReadAllAsync(source, new SourceReadRequest(EntityKind.Stock, Start.AddMinutes(5), Start.AddMinutes(15), null));

        var level = pages.SelectMany(p => p.Records).Cast<StockLevel>().Single();
        level.Sku.ShouldBe("A");
        level.Locations.Count.ShouldBe(2);
        level.AvailableToSell.ShouldBe(5 + 3);
        level.ModifiedAt.ShouldBe(Start.AddMinutes(10));
        pages[^1].LastKey.ShouldBe("A");
    }

    [Fact]
    public async Task GetAsync_StockOfUnknownSku_Null()
    {
        await using var h = await ShopAsync();
        using var source = Source(h);

        (await source.GetAsync(EntityKind.Stock, "NOPE", CancellationToken.None)).ShouldBeNull();
        (await source.GetAsync(EntityKind.Product, "NOPE", CancellationToken.None)).ShouldBeNull();
    }
    [Fact]
    public async Task Stock_PageServedOutOfSkuOrder_ReadStopsNamingThePage_BeforeItIsUsed()
    {
        await using var h = await ShopAsync();
        foreach (var sku in new[] { "A-1", "A-2", "B-1", "B-2", "C-1", "C-2" })
        {
            h.Emulator.SetStock(sku, "web-eu", 5, 0);
        }

        using var source = Source(h);
        h.Emulator.ServePagesOutOfOrder(count: 1, afterPages: 1);
        var served = new List<SourcePage>();

        var error = await Should.ThrowAsync<Tributary.Connectors.Http.KeysetOrderException>(async () =>
        {
            await foreach (var page in source.ReadAsync(new SourceReadRequest(EntityKind.Stock, null, null, null, PageSize: 2), CancellationToken.None))
            {
                served.Add(page);
            }
        });

        error.Page.ShouldBe(2);
        error.Message.ShouldStartWith("commercetools served page 2 of the stock read out of sku order");
        served.Select(p => p.LastKey).ShouldBe(["A-2"], "the page out of order is never handed on, so no cursor moves past it");
    }
}
