using System.Globalization;
using System.Text;
using Bogus;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Sandbox.Generator;

public sealed partial class ShopGenerator
{
    /// <summary>Share of products unfit for a marketing feed: no image on any variant, or a variant without prices.</summary>
    public const double InvalidProductShare = 0.02;

    /// <summary>Key of the web shop's warehouse channel (storefront stock).</summary>
    public const string WebChannelKey = "web-eu";

    /// <summary>Key of the Berlin store's channel (storefront stock).</summary>
    public const string StoreChannelKey = "store-berlin";

    /// <summary>Key of the wholesale warehouse channel (not storefront stock; pipelines exclude it).</summary>
    public const string WholesaleChannelKey = "b2b-wh";

    private static readonly string[] Brands = ["Nordlicht", "Atelier Vert", "Harbor & Pine", "Kestrel", "Moss Lane", "Brightwater"];
    private static readonly string[] Colors = ["black", "white", "navy", "olive", "sand", "red"];
    private static readonly string[] Sizes = ["S", "M", "L", "XL"];

    /// <summary>Ids of the categories products are filed under (the emulator does not serve the categories themselves).</summary>
    public static readonly IReadOnlyList<string> CategoryIds =
    [
        "5d1f8c2e-3a4b-4c6d-8e9f-0a1b2c3d4e01", "5d1f8c2e-3a4b-4c6d-8e9f-0a1b2c3d4e02", "5d1f8c2e-3a4b-4c6d-8e9f-0a1b2c3d4e03",
        "5d1f8c2e-3a4b-4c6d-8e9f-0a1b2c3d4e04", "5d1f8c2e-3a4b-4c6d-8e9f-0a1b2c3d4e05", "5d1f8c2e-3a4b-4c6d-8e9f-0a1b2c3d4e06",
    ];

    private int _productCursor;
    private Faker? _frenchFaker;

    /// <summary>
    /// The three supply channels of the shop, with fixed ids: <see cref="WebChannelKey"/> and <see cref="StoreChannelKey"/> serve
    /// the storefront (InventorySupply and ProductDistribution), <see cref="WholesaleChannelKey"/> only holds wholesale stock.
    /// </summary>
    public static IReadOnlyList<SandboxChannel> Channels() =>
    [
        Channel("0c5e7a10-1111-4a6b-9c01-3d2e1f000001", WebChannelKey, "Web shop EU warehouse", SandboxChannel.InventorySupply, SandboxChannel.ProductDistribution),
        Channel("0c5e7a10-1111-4a6b-9c01-3d2e1f000002", StoreChannelKey, "Store Berlin", SandboxChannel.InventorySupply, SandboxChannel.ProductDistribution),
        Channel("0c5e7a10-1111-4a6b-9c01-3d2e1f000003", WholesaleChannelKey, "Wholesale warehouse", SandboxChannel.InventorySupply),
    ];

    /// <summary>
    /// Generates <paramref name="count"/> more products (later calls continue the catalogue), one per product group of the
    /// catalogue, extending it when needed: names, slugs and descriptions in en, de and fr; per variant an EUR price, a GBP price
    /// for GB and a USD price for US, some discounted; images; the <c>brand</c>, <c>color</c> and <c>size</c> attributes;
    /// one or two categories. About <see cref="InvalidProductShare"/> lack every image or a variant's prices.
    /// </summary>
    public IReadOnlyList<SandboxProduct> Products(int count)
    {
        var needed = _productCursor + count;
        _ = Catalogue;
        while (_productGroups.Count < needed || (_productGroups.Count == needed && _groupFill > 0))
        {
            ExtendCatalogue();
        }

        var list = new List<SandboxProduct>(count);
        for (; _productCursor < needed; _productCursor++)
        {
            var (start, size) = _productGroups[_productCursor];
            list.Add(BuildProduct(Catalogue.Skip(start).Take(size).ToList()));
        }

        return list;
    }

    /// <summary>
    /// Stock for every SKU of <paramref name="products"/> over <paramref name="channels"/>: an entry in the first channel always,
    /// in the others for most SKUs; some out of stock (with a restock time), some with reservations (available below on stock).
    /// </summary>
    public IReadOnlyList<SandboxInventoryEntry> Inventory(IEnumerable<SandboxProduct> products, IEnumerable<SandboxChannel> channels)
    {
        var supply = channels.ToList();
        var entries = new List<SandboxInventoryEntry>();
        foreach (var sku in products.SelectMany(p => p.AllVariants).Select(v => v.Sku).OfType<string>())
        {
            for (var c = 0; c < supply.Count; c++)
            {
                if (c > 0 && !_stockRandom.Bool(0.6f))
                {
                    continue;
                }

                var onStock = _stockRandom.Bool(0.08f) ? 0 : _stockRandom.Int(1, 200);
                var reserved = onStock > 0 && _stockRandom.Bool(0.3f) ? _stockRandom.Int(1, Math.Min(onStock, 10)) : 0;
                var modified = ReferenceTime - TimeSpan.FromMinutes(_stockRandom.Int(1, 30 * 24 * 60));
                entries.Add(new SandboxInventoryEntry
                {
                    Id = NewStockId(),
                    Version = _stockRandom.Int(1, 40),
                    Sku = sku,
                    SupplyChannelId = supply[c].Id,
                    QuantityOnStock = onStock,
                    AvailableQuantity = onStock - reserved,
                    RestockableInDays = onStock == 0 ? _stockRandom.Int(3, 21) : null,
                    CreatedAt = modified - TimeSpan.FromDays(_stockRandom.Int(1, 300)),
                    LastModifiedAt = modified,
                });
            }
        }

        return entries;
    }

    private SandboxProduct BuildProduct(List<CatalogueItem> skus)
    {
        var head = skus[0];
        _frenchFaker ??= new Faker("fr") { Random = _productRandom };
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["en"] = head.Names["en"],
            ["de"] = head.Names["de"],
            ["fr"] = _productRandom.Bool(0.8f) ? _frenchFaker.Commerce.ProductName() : head.Names["en"],
        };
        var created = ReferenceTime - TimeSpan.FromMinutes(_productRandom.Int(60, 2 * 365 * 24 * 60));
        var brand = _productRandom.ArrayElement(Brands);
        var color = _productRandom.ArrayElement(Colors);
        var product = new SandboxProduct
        {
            Id = head.ProductId,
            Version = _productRandom.Int(1, 12),
            Key = $"P-{head.Sku[4..]}",
            Name = names,
            Slug = names.ToDictionary(kv => kv.Key, kv => $"{Slugify(kv.Value)}-{head.Sku[4..]}", StringComparer.Ordinal),
            Description = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["en"] = _productRandom.Bool(0.9f) ? $"{names["en"]} by {brand}, in {color}. Made to last." : string.Empty,
                ["de"] = $"{names["de"]} von {brand}.",
                ["fr"] = $"{names["fr"]} par {brand}.",
            },
            CategoryIds = [.. _productRandom.ArrayElements(CategoryIds.ToArray(), _productRandom.Int(1, 2))],
            CreatedAt = created,
            LastModifiedAt = created + ((ReferenceTime - created) * _productRandom.Double()),
        };
        product.Description = product.Description.Where(kv => kv.Value.Length > 0).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

        var variants = skus.Select((item, i) => BuildVariant(item, i + 1, brand, color, skus.Count)).ToList();
        var invalid = _productRandom.Double();
        if (invalid < InvalidProductShare / 2)
        {
            variants.ForEach(v => v.Images.Clear());
        }
        else if (invalid < InvalidProductShare)
        {
            variants[_productRandom.Int(0, variants.Count - 1)].Prices.Clear();
        }

        product.MasterVariant = variants[0];
        product.Variants = variants.Skip(1).ToList();
        return product;
    }

    private SandboxVariant BuildVariant(CatalogueItem item, int id, string brand, string color, int variantCount)
    {
        var discount = _productRandom.Bool(0.15f) ? _productRandom.Int(10, 30) : 0;
        var prices = new List<SandboxPrice>();
        foreach (var (currency, country) in new[] { ("EUR", (string?)null), ("GBP", "GB"), ("USD", "US") })
        {
            var value = item.Prices[currency];
            SandboxMoney? discounted = discount == 0 ? null : value with { CentAmount = value.CentAmount * (100 - discount) / 100 };
            prices.Add(new SandboxPrice($"{item.Sku}-{currency}", value, country, Discounted: discounted,
                DiscountId: discount == 0 ? null : "9a8b7c6d-0000-4000-8000-00000000d15c"));
        }

        var images = Enumerable.Range(1, id == 1 ? _productRandom.Int(1, 3) : 1)
            .Select(n => $"https://images.example.com/products/{item.Sku}/{n}.jpg")
            .ToList();
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["brand"] = brand, ["color"] = color };
        if (variantCount > 1)
        {
            attributes["size"] = Sizes[(id - 1) % Sizes.Length];
        }

        return new SandboxVariant { Id = id, Sku = item.Sku, Prices = prices, Images = images, Attributes = attributes };
    }

    private static string Slugify(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if ((c == ' ' || c == '-') && sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        return sb.ToString().TrimEnd('-');
    }

    private static SandboxChannel Channel(string id, string key, string name, params string[] roles) => new()
    {
        Id = id,
        Version = 1,
        Key = key,
        Roles = [.. roles],
        Name = new Dictionary<string, string>(StringComparer.Ordinal) { ["en"] = name },
        CreatedAt = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        LastModifiedAt = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    private string NewStockId()
    {
        var bytes = _stockRandom.Bytes(16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString(null, CultureInfo.InvariantCulture);
    }
}
