using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Emarsys;

[Connector]
public class EmarsysCatalogueProjectionTests
{
    private static EmarsysDestination Destination(Action<EmarsysCatalogueOptions>? configure = null)
    {
        var options = new EmarsysDestinationOptions();
        options.Catalogue.Enabled = true;
        configure?.Invoke(options.Catalogue);
        return EmarsysDestination.Create(new EmarsysClientOptions { User = "u", Secret = "s" }, options, TimeProvider.System);
    }

    internal static Product Shoe() => new()
    {
        Sku = "SKU-1",
        ProductId = "P-1",
        Names = new Dictionary<string, string> { ["en"] = "Trail Shoe", ["de-DE"] = "Trailschuh" },
        Urls = new Dictionary<string, string> { ["en"] = "https://shop.example/x/sku-1", ["de-DE"] = "https://shop.example/de/x/sku-1" },
        Descriptions = new Dictionary<string, string> { ["en"] = "Light.\r\nGrippy\tsole." },
        Prices =
        [
            new ProductPrice(new Money(149.00m, "EUR"), new Money(129.00m, "EUR")),
            new ProductPrice(new Money(139.00m, "CHF")),
            new ProductPrice(new Money(99.00m, "EUR"), Country: "AT"),
        ],
        ImageUrl = "https://cdn.example/sku-1.jpg",
        CategoryPath = ["Men", "Shoes"],
        Brand = "Acme",
        Attributes = new Dictionary<string, string?> { ["color"] = "red" },
    };

    [Fact]
    public void Supports_CatalogueDisabled_TakesNoProductsOrStock()
    {
        var off = EmarsysDestination.Create(new EmarsysClientOptions { User = "u", Secret = "s" }, new EmarsysDestinationOptions(),
            TimeProvider.System);

        off.Supports(EntityKind.Product).ShouldBeFalse();
        off.Supports(EntityKind.Stock).ShouldBeFalse();
        off.Project(Shoe()).QuarantineReason.ShouldNotBeNull();
        Destination().Supports(EntityKind.Product).ShouldBeTrue();
        Destination().Supports(EntityKind.Stock).ShouldBeTrue();
        Destination().Semantics(EntityKind.Product).ShouldBe(DeliverySemantics.Upsert);
    }

    [Fact]
    public void Project_FullProduct_MapsCatalogueColumns()
    {
        var projection = Destination().Project(Shoe());

        projection.QuarantineReason.ShouldBeNull();
        projection.Fields.ShouldBe(new Dictionary<string, string?>
        {
            ["item"] = "SKU-1",
            ["title"] = "Trail Shoe",
            ["link"] = "https://shop.example/x/sku-1",
            ["image"] = "https://cdn.example/sku-1.jpg",
            ["category"] = "Men > Shoes",
            ["price"] = "129.00",
            ["msrp"] = "149.00",
            ["brand"] = "Acme",
            ["description"] = "Light. Grippy sole.",
            ["group_id"] = "P-1",
            ["active"] = "true",
        }, ignoreOrder: true);
    }

    [Fact]
    public void Project_NoSpecialPrice_PriceIsListPriceAndMsrpEmpty()
    {
        var projection = Destination().Project(Shoe() with { Prices = [new ProductPrice(new Money(10m, "EUR"))] });

        projection.Fields["price"].ShouldBe("10.00");
        projection.Fields["msrp"].ShouldBe(string.Empty);
    }

    [Fact]
    public void Project_LocalesAndCurrencies_WritesSuffixedColumns()
    {
        var projection = Destination(c =>
        {
            c.Locales["de"] = "de";
            c.Locales["fr"] = "fr";
            c.Currencies.AddRange(["CHF", "usd"]);
        }).Project(Shoe());

        projection.QuarantineReason.ShouldBeNull();
        projection.Fields["title_de"].ShouldBe("Trailschuh");
        projection.Fields["link_de"].ShouldBe("https://shop.example/de/x/sku-1");
        projection.Fields["description_de"].ShouldBe(string.Empty);
        projection.Fields["title_fr"].ShouldBe(string.Empty);
        projection.Fields["price_CHF"].ShouldBe("139.00");
        projection.Fields["msrp_CHF"].ShouldBe(string.Empty);
        projection.Fields["price_USD"].ShouldBe(string.Empty);
    }

    [Fact]
    public void Project_PriceCountry_PrefersCountryPriceOverUnscoped()
    {
        var projection = Destination(c => c.PriceCountry = "AT").Project(Shoe());

        projection.Fields["price"].ShouldBe("99.00");
        projection.Fields["msrp"].ShouldBe(string.Empty);
    }

    [Fact]
    public void Project_AttributeColumn_WritesCustomField() =>
        Destination(c => c.AttributeColumns["color"] = "c_color").Project(Shoe()).Fields["c_color"].ShouldBe("red");

    [Fact]
    public void Project_MissingMandatoryFields_QuarantinedNamingEachField()
    {
        var projection = Destination().Project(Shoe() with
        {
            Names = new Dictionary<string, string> { ["de-DE"] = "Trailschuh" },
            ImageUrl = null,
            Prices = [new ProductPrice(new Money(10m, "CHF"))],
        });

        projection.Fields.ShouldBeEmpty();
        projection.QuarantineReason.ShouldBe("missing mandatory catalogue fields: title (no name in locale 'en'), "
            + "image (no image URL), price (no EUR price without country or channel)");
    }

    [Fact]
    public void Project_MissingLink_QuarantinedNamingLink() =>
        Destination().Project(Shoe() with { Urls = new Dictionary<string, string>() }).QuarantineReason
            .ShouldBe("missing mandatory catalogue field: link (no URL in locale 'en')");

    [Fact]
    public void Project_RelativeImage_Quarantined() =>
        Destination().Project(Shoe() with { ImageUrl = "/img/sku-1.jpg" }).QuarantineReason
            .ShouldBe("catalogue field image is not an absolute http(s) URL");

    [Fact]
    public void Project_LanguageOnlyLocale_FindsRegionalName() =>
        Destination(c => c.DefaultLocale = "de").Project(Shoe()).Fields["title"].ShouldBe("Trailschuh");

    [Fact]
    public void Project_InactiveProduct_StillProjectedAsInactive() =>
        Destination().Project(Shoe() with { Active = false }).Fields["active"].ShouldBe("false");

    [Theory]
    [InlineData(12, "true", "12")]
    [InlineData(0, "false", "0")]
    [InlineData(-3, "false", "0")]
    public void Project_Stock_AvailableFromAtsAndWaitsForProduct(decimal ats, string available, string atsText)
    {
        var projection = Destination().Project(new StockLevel { Sku = "SKU-1", AvailableToSell = ats });

        projection.Fields.ShouldBe(new Dictionary<string, string?> { ["available"] = available, ["ats"] = atsText }, ignoreOrder: true);
        projection.DependsOn.ShouldBe(new DependencyKey(EntityKind.Product, "SKU-1"));
    }

    [Fact]
    public void Create_InvalidCatalogueOptions_Throws()
    {
        Should.Throw<ArgumentException>(() => Destination(c => c.Currencies.Add("EURO"))).Message.ShouldContain("EURO");
        Should.Throw<ArgumentException>(() => Destination(c => c.AttributeColumns["color"] = "color")).Message.ShouldContain("c_");
        Should.Throw<ArgumentException>(() => Destination(c => c.MaxDropShare = 2)).Message.ShouldContain("MaxDropShare");
    }

    [Fact]
    public async Task DeliverAsync_ProductsAndStock_AcceptsAllWithoutCallingEmarsys()
    {
        await using var fixture = await EmarsysConnectorFixture.StartAsync(destination: d => d.Catalogue.Enabled = true);
        var fields = fixture.Destination.Project(Shoe()).Fields;
        fixture.Emulator.ResetCounters();

        var products = await fixture.Destination.DeliverAsync(EntityKind.Product, [new DeliveryItem("SKU-1", fields, fields)],
            CancellationToken.None);
        var stock = await fixture.Destination.DeliverAsync(EntityKind.Stock,
            [new DeliveryItem("SKU-1", new Dictionary<string, string?> { ["available"] = "true" }, new Dictionary<string, string?>())],
            CancellationToken.None);

        products.Failures.ShouldBeEmpty();
        stock.Failures.ShouldBeEmpty();
        fixture.Emulator.RequestCount.ShouldBe(0);
    }
}
