using System.Net;
using System.Text.Json;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.Sandbox.Commercetools;

public sealed partial class CommercetoolsEmulatorTests
{
    private const string BerlinId = "chan-berlin";
    private const string WebId = "chan-web";

    /// <summary>A shirt (SKU-A master, SKU-B variant) with EUR prices: generic 20.00 (discounted 15.00), DE 22.00, Berlin channel 18.00.</summary>
    private static SandboxProduct Shirt(string? id = null) => new()
    {
        Id = id,
        Key = "shirt",
        Name = new() { ["en"] = "Shirt", ["de"] = "Hemd" },
        Slug = new() { ["en"] = "shirt", ["de"] = "hemd" },
        CategoryIds = ["cat-1"],
        MasterVariant = new SandboxVariant
        {
            Id = 1,
            Sku = "SKU-A",
            Images = ["https://img.example.com/a.jpg"],
            Attributes = new() { ["brand"] = "Kestrel" },
            Prices =
            [
                new SandboxPrice("p1", SandboxMoney.Of(20m, "EUR"), Discounted: SandboxMoney.Of(15m, "EUR")),
                new SandboxPrice("p2", SandboxMoney.Of(22m, "EUR"), Country: "DE"),
                new SandboxPrice("p3", SandboxMoney.Of(18m, "EUR"), ChannelId: BerlinId),
                new SandboxPrice("p4", SandboxMoney.Of(17m, "GBP"), Country: "GB"),
            ],
        },
        Variants = [new SandboxVariant { Id = 2, Sku = "SKU-B", Prices = [new SandboxPrice("p5", SandboxMoney.Of(21m, "EUR"))] }],
        CreatedAt = Start,
        LastModifiedAt = Start,
    };

    private static async Task<EmulatorHarness> CatalogAsync(Action<CommercetoolsEmulatorOptions>? configure = null)
    {
        var h = await EmulatorHarness.StartAsync(configure: configure);
        h.Emulator.AddChannel(new SandboxChannel { Id = WebId, Key = "web-eu", Roles = [SandboxChannel.InventorySupply] });
        h.Emulator.AddChannel(new SandboxChannel { Id = BerlinId, Key = "store-berlin", Roles = [SandboxChannel.InventorySupply, SandboxChannel.ProductDistribution] });
        h.Emulator.AddProduct(Shirt("prod-1"));
        h.Emulator.AddProduct(new SandboxProduct
        {
            Id = "prod-2", Name = new() { ["en"] = "Cap" }, Slug = new() { ["en"] = "cap" },
            MasterVariant = new SandboxVariant { Sku = "SKU-C", Prices = [new SandboxPrice("p6", SandboxMoney.Of(9m, "EUR"))] },
            CreatedAt = Start, LastModifiedAt = Start.AddMinutes(5),
        });
        h.Emulator.SetStock("SKU-A", "web-eu", 10, 7).ShouldBeTrue();
        h.Emulator.SetStock("SKU-A", "store-berlin", 4, 4).ShouldBeTrue();
        h.Emulator.SetStock("SKU-B", "web-eu", 0, 0).ShouldBeTrue();
        return h;
    }

    private static IEnumerable<JsonElement> Results(JsonElement body) => body.GetProperty("results").EnumerateArray();

    [Fact]
    public async Task ProductProjections_CurrentView_HidesUnpublishedAndStagedShowsIt()
    {
        await using var h = await CatalogAsync();
        h.Emulator.RemoveProduct("prod-2").ShouldBeTrue();

        var (_, current) = await h.GetAsync("demo/product-projections");
        var (_, staged) = await h.GetAsync("demo/product-projections?staged=true");
        var (missing, _) = await h.GetAsync("demo/product-projections/prod-2");

        Ids(current).ShouldBe(["prod-1"]);
        Results(staged).Select(r => (r.GetProperty("id").GetString(), r.GetProperty("published").GetBoolean()))
            .ShouldBe([("prod-1", true), ("prod-2", false)]);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        h.Emulator.GetProduct("prod-2")!.Version.ShouldBe(2);
    }

    [Fact]
    public async Task ProductProjections_StagedWithPublishedOnlyScope_Forbidden()
    {
        await using var h = await CatalogAsync(o => o.Scopes = ["view_published_products"]);
        var token = await h.TokenAsync();

        var (current, _) = await h.SendAsync(HttpMethod.Get, "demo/product-projections", token);
        var (staged, body) = await h.SendAsync(HttpMethod.Get, "demo/product-projections?staged=true", token);

        current.StatusCode.ShouldBe(HttpStatusCode.OK);
        staged.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        body.GetProperty("errors")[0].GetProperty("code").GetString().ShouldBe("insufficient_scope");
    }

    [Theory]
    [InlineData("masterVariant(sku = \"SKU-A\") or variants(sku = \"SKU-A\")", "prod-1")]
    [InlineData("masterVariant(sku = \"SKU-B\") or variants(sku = \"SKU-B\")", "prod-1")]
    [InlineData("masterVariant(sku = \"SKU-C\") or variants(sku = \"SKU-C\")", "prod-2")]
    [InlineData("lastModifiedAt > \"2030-05-06T07:10:00.000Z\"", "prod-2")]
    [InlineData("id = \"prod-2\"", "prod-2")]
    public async Task ProductProjections_Predicate_FiltersLikeThePlatform(string predicate, string expected)
    {
        await using var h = await CatalogAsync();

        var (_, body) = await h.GetAsync($"demo/product-projections?where={Q(predicate)}");

        Ids(body).ShouldBe([expected]);
    }

    [Theory]
    [InlineData("priceCurrency=EUR", "p1")]
    [InlineData("priceCurrency=EUR&priceCountry=DE", "p2")]
    [InlineData("priceCurrency=EUR&priceCountry=FR", "p1")]
    [InlineData("priceCurrency=EUR&priceChannel=" + BerlinId, "p3")]
    [InlineData("priceCurrency=EUR&priceCountry=DE&priceChannel=" + BerlinId, "p2")]
    [InlineData("priceCurrency=GBP&priceCountry=GB", "p4")]
    public async Task ProductProjections_PriceSelection_AddsTheMostSpecificPrice(string parameters, string expectedPriceId)
    {
        await using var h = await CatalogAsync();

        var (_, body) = await h.GetAsync($"demo/product-projections?where={Q("id = \"prod-1\"")}&{parameters}");

        var master = Results(body).Single().GetProperty("masterVariant");
        master.GetProperty("price").GetProperty("id").GetString().ShouldBe(expectedPriceId);
        master.GetProperty("prices").GetArrayLength().ShouldBe(4);
    }

    [Fact]
    public async Task ProductProjections_NoPriceInCurrencyOrNoSelection_NoPriceField()
    {
        await using var h = await CatalogAsync();

        var (_, usd) = await h.GetAsync($"demo/product-projections?where={Q("id = \"prod-1\"")}&priceCurrency=USD");
        var (_, none) = await h.GetAsync($"demo/product-projections?where={Q("id = \"prod-1\"")}");
        var (bad, _) = await h.GetAsync("demo/product-projections?priceCountry=DE");

        Results(usd).Single().GetProperty("masterVariant").TryGetProperty("price", out _).ShouldBeFalse();
        Results(none).Single().GetProperty("masterVariant").TryGetProperty("price", out _).ShouldBeFalse();
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ProductProjections_Shape_LocalizedStringsVariantsPricesAndDiscount()
    {
        await using var h = await CatalogAsync();

        var (_, body) = await h.GetAsync($"demo/product-projections?where={Q("id = \"prod-1\"")}");

        var p = Results(body).Single();
        p.GetProperty("name").GetProperty("de").GetString().ShouldBe("Hemd");
        p.GetProperty("slug").GetProperty("en").GetString().ShouldBe("shirt");
        p.GetProperty("categories")[0].GetProperty("typeId").GetString().ShouldBe("category");
        var price = p.GetProperty("masterVariant").GetProperty("prices")[0];
        price.GetProperty("value").GetProperty("centAmount").GetInt64().ShouldBe(2000);
        price.GetProperty("discounted").GetProperty("value").GetProperty("centAmount").GetInt64().ShouldBe(1500);
        p.GetProperty("masterVariant").GetProperty("attributes")[0].GetProperty("name").GetString().ShouldBe("brand");
        p.GetProperty("variants")[0].GetProperty("sku").GetString().ShouldBe("SKU-B");
        p.GetProperty("variants")[0].GetProperty("id").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task SetPrice_ChangesValueAndDiscount_BumpsVersion()
    {
        await using var h = await CatalogAsync();

        h.Emulator.SetPrice("SKU-B", "EUR", 30m, 25m).ShouldBeTrue();
        h.Emulator.SetPrice("SKU-B", "USD", 33m).ShouldBeTrue();
        h.Emulator.SetPrice("SKU-404", "EUR", 1m).ShouldBeFalse();

        var product = h.Emulator.GetProduct("prod-1")!;
        product.Version.ShouldBe(3);
        product.Variants[0].Prices.Select(p => (p.Value.CurrencyCode, p.Value.CentAmount, p.Discounted?.CentAmount))
            .ShouldBe([("EUR", 3000L, (long?)2500), ("USD", 3300L, null)]);
    }

    [Theory]
    [InlineData("sku = \"SKU-A\"", 2)]
    [InlineData("supplyChannel(id = \"" + BerlinId + "\")", 1)]
    [InlineData("sku in (\"SKU-A\", \"SKU-B\") and supplyChannel(id = \"" + WebId + "\")", 2)]
    [InlineData("availableQuantity < quantityOnStock", -1)]
    public async Task Inventory_Predicate_FiltersLikeThePlatform(string predicate, int expected)
    {
        await using var h = await CatalogAsync();

        var (response, body) = await h.GetAsync($"demo/inventory?where={Q(predicate)}");

        if (expected < 0)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            return;
        }

        body.GetProperty("total").GetInt64().ShouldBe(expected);
    }

    [Fact]
    public async Task Inventory_SortedBySku_EntryShapeAndSetStockVersion()
    {
        await using var h = await CatalogAsync();
        h.Emulator.SetStock("SKU-A", "web-eu", 12, 9).ShouldBeTrue();
        h.Emulator.SetStock("SKU-A", "nowhere", 1, 1).ShouldBeFalse();

        var (_, body) = await h.GetAsync("demo/inventory?sort=sku+asc&sort=id+asc");

        Results(body).Select(r => r.GetProperty("sku").GetString()).ShouldBe(["SKU-A", "SKU-A", "SKU-B"]);
        var web = Results(body).Single(r => r.GetProperty("sku").GetString() == "SKU-A"
                                            && r.GetProperty("supplyChannel").GetProperty("id").GetString() == WebId);
        web.GetProperty("supplyChannel").GetProperty("typeId").GetString().ShouldBe("channel");
        web.GetProperty("quantityOnStock").GetInt64().ShouldBe(12);
        web.GetProperty("availableQuantity").GetInt64().ShouldBe(9);
        web.GetProperty("version").GetInt64().ShouldBe(2);
    }

    [Fact]
    public async Task Channels_Query_KeysAndRoles()
    {
        await using var h = await CatalogAsync();

        var (_, body) = await h.GetAsync($"demo/channels?where={Q("key = \"store-berlin\"")}");

        var channel = Results(body).Single();
        channel.GetProperty("id").GetString().ShouldBe(BerlinId);
        channel.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["InventorySupply", "ProductDistribution"]);
    }
}
