using Tributary.Sandbox;
using Tributary.Sandbox.Commercetools;
using Tributary.Sandbox.Generator;

namespace Tributary.Demo;

/// <summary>What the demo seeds for the catalogue: SKUs in all, and the SKUs on shoppers' wishlists.</summary>
/// <param name="Skus">SKUs seeded.</param>
/// <param name="Watched">Wishlist lines seeded.</param>
/// <param name="WatchedSkus">The SKUs on wishlists (the ones whose stock the demo moves).</param>
public sealed record DemoCatalogue(int Skus, int Watched, IReadOnlyList<string> WatchedSkus)
{
    /// <summary>
    /// Seeds channels, products, inventory, and wishlists for one customer in fifty (each holding one of a few SKUs that start
    /// sold out in the storefront channels), so back-in-stock has someone to reach when the demo restocks them.
    /// </summary>
    public static DemoCatalogue Seed(SandboxServer sandbox, ShopGenerator generator, IReadOnlyList<SandboxCustomer> customers, int products)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(customers);
        var ct = sandbox.Commercetools;
        var catalogue = generator.Products(products);
        ct.AddChannels(ShopGenerator.Channels());
        ct.AddProducts(catalogue);
        ct.AddInventory(generator.Inventory(catalogue, ShopGenerator.Channels()));
        var watched = catalogue.Take(Math.Min(10, catalogue.Count)).Select(p => (Product: p, Variant: p.MasterVariant)).ToList();
        foreach (var (_, variant) in watched)
        {
            ct.SetStock(variant.Sku!, ShopGenerator.WebChannelKey, 0, 0);
            ct.SetStock(variant.Sku!, ShopGenerator.StoreChannelKey, 0, 0);
        }

        var lists = new List<SandboxShoppingList>();
        for (var i = 0; i < customers.Count && watched.Count > 0; i += 50)
        {
            var (product, variant) = watched[lists.Count % watched.Count];
            lists.Add(new SandboxShoppingList
            {
                CustomerId = customers[i].Id,
                Name = { ["en"] = "Wishlist" },
                LineItems = [new SandboxShoppingListLine($"line-{i}", product.Id!, variant.Id, variant.Sku, customers[i].CreatedAt)],
            });
        }

        ct.AddShoppingLists(lists);
        return new DemoCatalogue(catalogue.Sum(p => p.AllVariants.Count()), lists.Count, watched.Select(w => w.Variant.Sku!).ToList());
    }
}
