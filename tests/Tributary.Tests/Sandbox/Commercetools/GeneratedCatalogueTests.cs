using Tributary.Sandbox.Commercetools;
using Tributary.Sandbox.Generator;

namespace Tributary.Tests.Sandbox.Commercetools;

/// <summary>The generated catalogue, as the emulator serves it to a shop seeded from the generator.</summary>
[Connector]
public sealed class GeneratedCatalogueTests
{
    [Fact]
    public void Products_SameSeed_SameCatalogueAndOrdersUnchanged()
    {
        var a = new ShopGenerator(5);
        var b = new ShopGenerator(5);
        var ordersBefore = new ShopGenerator(5).Orders(new ShopGenerator(5).Customers(200), 300).Select(o => o.OrderNumber + o.LineItems[0].Sku);

        var productsA = a.Products(150);
        var productsB = b.Products(150);
        var ordersAfter = a.Orders(new ShopGenerator(5).Customers(200), 300).Select(o => o.OrderNumber + o.LineItems[0].Sku);

        productsA.Select(p => (p.Id, p.MasterVariant.Sku, p.Name["fr"])).ShouldBe(productsB.Select(p => (p.Id, p.MasterVariant.Sku, p.Name["fr"])));
        ordersAfter.ShouldBe(ordersBefore);
    }

    [Fact]
    public void Products_ManyProducts_VariantsLocalesPricesAndAboutTwoPercentUnfit()
    {
        var generator = new ShopGenerator(11);
        var products = generator.Products(2000);

        var skus = products.SelectMany(p => p.AllVariants).Select(v => v.Sku!).ToList();
        skus.Distinct().Count().ShouldBe(skus.Count);
        generator.Catalogue.Count.ShouldBeGreaterThan(ShopGenerator.CatalogueSize);
        products.ShouldAllBe(p => p.Variants.Count <= 3 && p.Name.Count == 3 && p.Slug.Count == 3);
        products.Select(p => p.Variants.Count + 1).Distinct().Order().ShouldBe([1, 2, 3, 4]);
        products.SelectMany(p => p.AllVariants).SelectMany(v => v.Prices).Select(p => p.Value.CurrencyCode).Distinct().Order().ShouldBe(["EUR", "GBP", "USD"]);
        products.SelectMany(p => p.AllVariants).Count(v => v.Prices.Any(p => p.Discounted is not null)).ShouldBeGreaterThan(0);
        products.ShouldAllBe(p => p.MasterVariant.Attributes.ContainsKey("brand") && p.CategoryIds.Count > 0);
        var unfit = products.Count(p => p.AllVariants.All(v => v.Images.Count == 0) || p.AllVariants.Any(v => v.Prices.Count == 0));
        (unfit / (double)products.Count).ShouldBeInRange(0.01, 0.035);
        products.Take(10).SelectMany(p => p.AllVariants).Select(v => v.Sku)
            .ShouldBe(generator.Catalogue.Take(products.Take(10).Sum(p => p.Variants.Count + 1)).Select(c => c.Sku));
    }

    [Fact]
    public async Task Inventory_SeededShop_EveryVariantHasStockInTheWebChannel()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var generator = new ShopGenerator(3);
        var channels = ShopGenerator.Channels();
        var products = generator.Products(40);
        h.Emulator.AddChannels(channels);
        h.Emulator.AddProducts(products);
        h.Emulator.AddInventory(generator.Inventory(products, channels));

        var web = channels.Single(c => c.Key == ShopGenerator.WebChannelKey).Id;
        var (_, body) = await h.GetAsync($"demo/inventory?limit=500&where={Uri.EscapeDataString($"supplyChannel(id = \"{web}\")")}");
        var (_, served) = await h.GetAsync("demo/product-projections?limit=500");

        body.GetProperty("total").GetInt64().ShouldBe(products.Sum(p => p.Variants.Count + 1));
        served.GetProperty("count").GetInt32().ShouldBe(40);
        h.Emulator.Inventory.ShouldAllBe(e => e.AvailableQuantity <= e.QuantityOnStock && e.AvailableQuantity >= 0);
        h.Emulator.Inventory.Select(e => e.SupplyChannelId).Distinct().Count().ShouldBe(3);
    }
}
