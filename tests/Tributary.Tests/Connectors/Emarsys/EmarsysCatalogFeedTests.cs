using Tributary.Connectors.Emarsys;
using Tributary.Core.Model;
using Tributary.Tests.Sandbox.Emarsys;

namespace Tributary.Tests.Connectors.Emarsys;

[Connector]
public class EmarsysCatalogFeedTests
{
    private static Dictionary<string, string?> Product(string item, string title = "Shoe", string active = "true") => new()
    {
        ["item"] = item,
        ["title"] = title,
        ["link"] = $"https://shop.example/{item}",
        ["image"] = $"https://cdn.example/{item}.jpg",
        ["category"] = "Men > Shoes",
        ["price"] = "10.00",
        ["msrp"] = "",
        ["brand"] = "Acme",
        ["description"] = "",
        ["group_id"] = "P-1",
        ["active"] = active,
    };

    private static Dictionary<string, string?> Stock(bool available, int ats = 3) =>
        new() { ["available"] = available ? "true" : "false", ["ats"] = ats.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static string Render(EmarsysCatalogueOptions options,
        params (IReadOnlyDictionary<string, string?> Product, IReadOnlyDictionary<string, string?>? Stock)[] items)
    {
        using var writer = new StringWriter();
        EmarsysCatalogFeed.Render(items, options, writer);
        return writer.ToString();
    }

    private static string[] Lines(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Columns_Defaults_AreTheDocumentedHeader() =>
        EmarsysCatalogFeed.Columns(new EmarsysCatalogueOptions())
            .ShouldBe(["item", "available", "title", "link", "image", "category", "price", "msrp", "brand", "description", "group_id"]);

    [Fact]
    public void Columns_LocalesCurrenciesAndCustom_AppendedInStableOrder()
    {
        var options = new EmarsysCatalogueOptions { StockColumn = "c_stock", Currencies = ["USD", "CHF"] };
        options.Locales["fr-FR"] = "fr";
        options.Locales["de-DE"] = "de";
        options.AttributeColumns["color"] = "c_color";

        EmarsysCatalogFeed.Columns(options).Skip(11).ShouldBe(["c_stock", "c_color", "title_de", "link_de", "description_de",
            "title_fr", "link_fr", "description_fr", "price_CHF", "msrp_CHF", "price_USD", "msrp_USD"]);
    }

    [Fact]
    public void Render_Rows_HeaderThenOneCrlfRowPerItem()
    {
        var csv = Render(new EmarsysCatalogueOptions(), (Product("SKU-1"), Stock(true)));

        csv.ShouldBe("item,available,title,link,image,category,price,msrp,brand,description,group_id\r\n"
            + "SKU-1,true,Shoe,https://shop.example/SKU-1,https://cdn.example/SKU-1.jpg,Men > Shoes,10.00,,Acme,,P-1\r\n");
    }

    [Fact]
    public void Render_CommaQuoteAndLineBreak_QuotedPerRfc4180()
    {
        var csv = Render(new EmarsysCatalogueOptions(), (Product("SKU-1", "Shoe, \"Trail\"\nEdition"), null));

        Lines(csv)[1].ShouldStartWith("SKU-1,false,\"Shoe, \"\"Trail\"\"\nEdition\",https://");
    }

    [Fact]
    public void Render_Availability_FromStockInactiveAndMissingStock()
    {
        var csv = Render(new EmarsysCatalogueOptions(),
            (Product("IN"), Stock(true)), (Product("OUT"), Stock(false, 0)), (Product("NONE"), null), (Product("RETIRED", active: "false"), Stock(true)));

        Lines(csv).Skip(1).Select(l => l.Split(',')[1]).ShouldBe(["true", "false", "false", "false"]);
    }

    [Fact]
    public void Render_AvailableWithoutStockOption_RendersItemsWithoutStockAvailable()
    {
        var csv = Render(new EmarsysCatalogueOptions { AvailableWithoutStock = true }, (Product("NONE"), null));

        Lines(csv)[1].Split(',')[1].ShouldBe("true");
    }

    [Fact]
    public void Render_StockColumn_WritesAts()
    {
        var csv = Render(new EmarsysCatalogueOptions { StockColumn = "c_stock" }, (Product("SKU-1"), Stock(true, 14)), (Product("SKU-2"), null));

        Lines(csv)[0].ShouldEndWith(",group_id,c_stock");
        Lines(csv)[1].ShouldEndWith(",P-1,14");
        Lines(csv)[2].ShouldEndWith(",P-1,");
    }

    [Fact]
    public void Render_RepeatedItem_WrittenOnceAndCounted()
    {
        using var writer = new StringWriter();

        var rows = EmarsysCatalogFeed.Render([(Product("SKU-1"), null), (Product(" SKU-1 ", "Other"), null), (Product(""), null)],
            new EmarsysCatalogueOptions(), writer);

        rows.ShouldBe(1);
        Lines(writer.ToString()).Length.ShouldBe(2);
    }

    [Fact]
    public async Task RenderAsync_SameOutputAsRender()
    {
        var options = new EmarsysCatalogueOptions();
        var items = new (IReadOnlyDictionary<string, string?>, IReadOnlyDictionary<string, string?>?)[] { (Product("A"), Stock(true)), (Product("B"), null) };
        await using var writer = new StringWriter();

        var rows = await EmarsysCatalogFeed.RenderAsync(items, options, writer, CancellationToken.None);

        rows.ShouldBe(2);
        writer.ToString().ShouldBe(Render(options, items));
    }

    [Theory]
    [InlineData(0, 10, true)]
    [InlineData(0, 0, true)]
    [InlineData(100, 96, true)]
    [InlineData(100, 95, true)]
    [InlineData(100, 94, false)]
    [InlineData(100, 50, false)]
    [InlineData(100, 0, false)]
    [InlineData(100, 130, true)]
    public void Guard_DropShare_AllowsWithinLimitOnly(int previous, int next, bool allowed)
    {
        var decision = EmarsysCatalogFeed.Guard(previous, next, EmarsysCatalogueOptions.DefaultMaxDropShare);

        decision.Allowed.ShouldBe(allowed);
        decision.Reason.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Guard_HalfGone_ReasonSaysWhatWouldVanish() =>
        EmarsysCatalogFeed.Guard(200, 100, 0.05).Reason.ShouldContain("100 (50 %) would vanish");

    [Fact]
    public async Task Feed_ProjectedAndRendered_ImportsIntoEmulatorAsProjected()
    {
        await using var fixture = await EmarsysConnectorFixture.StartAsync(destination: d =>
        {
            d.Catalogue.Enabled = true;
            d.Catalogue.Locales["de-DE"] = "de";
            d.Catalogue.Currencies.Add("CHF");
        });
        await using var feed = await CatalogFeedServer.StartAsync();
        var shoe = fixture.Destination.Project(EmarsysCatalogueProjectionTests.Shoe()).Fields;
        var cap = fixture.Destination.Project(EmarsysCatalogueProjectionTests.Shoe() with { Sku = "SKU-2", Brand = "Acme, Inc." }).Fields;
        var stock = fixture.Destination.Project(new StockLevel { Sku = "SKU-1", AvailableToSell = 4 }).Fields;
        using (var writer = new StringWriter())
        {
            EmarsysCatalogFeed.Render([(shoe, stock), (cap, null)], fixture.Destination.CatalogueOptions, writer);
            feed.Body = writer.ToString();
        }

        var import = await fixture.Emulator.FetchCatalogAsync(feed.Url, null, null);

        import.Error.ShouldBeNull();
        var items = fixture.Emulator.CatalogItems;
        items.Select(i => (i["item"], i["available"])).ShouldBe([("SKU-1", "true"), ("SKU-2", "false")]);
        items[0]["title_de"].ShouldBe("Trailschuh");
        items[0]["price"].ShouldBe("129.00");
        items[0]["msrp"].ShouldBe("149.00");
        items[0]["price_CHF"].ShouldBe("139.00");
        items[1]["brand"].ShouldBe("Acme, Inc.");
    }
}
