using System.Globalization;
using Bogus;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Sandbox.Generator;

public sealed partial class ShopGenerator
{
    /// <summary>Number of SKUs in the generated catalogue.</summary>
    public const int CatalogueSize = 240;

    private List<CatalogueItem>? _catalogue;

    /// <summary>One SKU of the catalogue with its names and its price in each shop currency.</summary>
    /// <param name="Sku">The SKU, <c>SKU-000123</c>.</param>
    /// <param name="ProductId">Product id (UUID).</param>
    /// <param name="Names">Name per locale (<c>en</c>, <c>de</c>).</param>
    /// <param name="Prices">Unit price per currency code.</param>
    public sealed record CatalogueItem(string Sku, string ProductId, IReadOnlyDictionary<string, string> Names,
        IReadOnlyDictionary<string, SandboxMoney> Prices);

    /// <summary>The catalogue the generated orders buy from (deterministic for the seed).</summary>
    public IReadOnlyList<CatalogueItem> Catalogue => _catalogue ??= BuildCatalogue();

    private List<CatalogueItem> BuildCatalogue()
    {
        var en = new Faker("en") { Random = _orderRandom };
        var de = new Faker("de") { Random = _orderRandom };
        var items = new List<CatalogueItem>(CatalogueSize);
        for (var i = 0; i < CatalogueSize; i++)
        {
            var sku = $"SKU-{(100 + (i * 7)).ToString("D6", CultureInfo.InvariantCulture)}";
            var english = en.Commerce.ProductName();
            var german = _orderRandom.Bool(0.8f) ? de.Commerce.ProductName() : english;

            // Shelf prices end in .95 or .99 and sit between 5 and 250 in the shop currency.
            var euro = _orderRandom.Int(4, 249) + (_orderRandom.Bool() ? 0.95m : 0.99m);
            var pound = Math.Floor(euro * 0.86m) + 0.99m;
            var dollar = Math.Floor(euro * 1.08m) + 0.99m;
            items.Add(new CatalogueItem(
                sku,
                NewOrderId(),
                new Dictionary<string, string>(StringComparer.Ordinal) { ["en"] = english, ["de"] = german },
                new Dictionary<string, SandboxMoney>(StringComparer.Ordinal)
                {
                    ["EUR"] = SandboxMoney.Of(euro, "EUR"),
                    ["GBP"] = SandboxMoney.Of(pound, "GBP"),
                    ["USD"] = SandboxMoney.Of(dollar, "USD"),
                }));
        }

        return items;
    }

    private string NewOrderId()
    {
        var bytes = _orderRandom.Bytes(16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}
