using System.Globalization;
using Bogus;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Sandbox.Generator;

public sealed partial class ShopGenerator
{
    /// <summary>Number of SKUs in the base catalogue, the part generated orders buy from.</summary>
    public const int CatalogueSize = 240;

    private List<CatalogueItem>? _catalogue;

    /// <summary>Consecutive catalogue items that are the variants of one product.</summary>
    private readonly List<(int Start, int Count)> _productGroups = [];

    /// <summary>Items still to join the last product group.</summary>
    private int _groupFill;

    private Faker? _catalogueEn;
    private Faker? _catalogueDe;

    /// <summary>One SKU of the catalogue with its names and its price in each shop currency.</summary>
    /// <param name="Sku">The SKU, <c>SKU-000123</c>.</param>
    /// <param name="ProductId">Id (UUID) of the product the SKU is a variant of; variants of one product share it.</param>
    /// <param name="Names">Name per locale (<c>en</c>, <c>de</c>), the product's name.</param>
    /// <param name="Prices">Unit price per currency code.</param>
    public sealed record CatalogueItem(string Sku, string ProductId, IReadOnlyDictionary<string, string> Names,
        IReadOnlyDictionary<string, SandboxMoney> Prices);

    /// <summary>
    /// The catalogue (deterministic for the seed): the first <see cref="CatalogueSize"/> SKUs, which orders buy from, and the SKUs
    /// <see cref="Products"/> added when it needed more. Consecutive SKUs are grouped into products of one to four variants.
    /// </summary>
    public IReadOnlyList<CatalogueItem> Catalogue => _catalogue ??= BuildCatalogue();

    private List<CatalogueItem> BuildCatalogue()
    {
        var items = new List<CatalogueItem>(CatalogueSize);
        for (var i = 0; i < CatalogueSize; i++)
        {
            items.Add(NextCatalogueItem(items));
        }

        return items;
    }

    /// <summary>Adds one SKU beyond the base catalogue (orders never buy these, so the orders generated stay the same).</summary>
    private void ExtendCatalogue() => ((List<CatalogueItem>)Catalogue).Add(NextCatalogueItem((List<CatalogueItem>)Catalogue));

    /// <summary>
    /// The next SKU, drawn from the catalogue's own stream: the catalogue is the same whether orders or products touch it first.
    /// </summary>
    private CatalogueItem NextCatalogueItem(List<CatalogueItem> items)
    {
        var random = _catalogueRandom;
        _catalogueEn ??= new Faker("en") { Random = random };
        _catalogueDe ??= new Faker("de") { Random = random };
        var i = items.Count;
        var sku = $"SKU-{(100 + (i * 7)).ToString("D6", CultureInfo.InvariantCulture)}";
        var english = _catalogueEn.Commerce.ProductName();
        var german = random.Bool(0.8f) ? _catalogueDe.Commerce.ProductName() : english;

        // Shelf prices end in .95 or .99 and sit between 5 and 250 in the shop currency.
        var euro = random.Int(4, 249) + (random.Bool() ? 0.95m : 0.99m);
        var pound = Math.Floor(euro * 0.86m) + 0.99m;
        var dollar = Math.Floor(euro * 1.08m) + 0.99m;
        IReadOnlyDictionary<string, string> names = new Dictionary<string, string>(StringComparer.Ordinal) { ["en"] = english, ["de"] = german };
        string productId;
        if (_groupFill == 0)
        {
            _groupFill = random.Int(1, 4);
            _productGroups.Add((i, _groupFill));
            productId = NewCatalogueId();
        }
        else
        {
            var head = items[_productGroups[^1].Start];
            productId = head.ProductId;
            names = head.Names;
        }

        _groupFill--;
        return new CatalogueItem(
            sku,
            productId,
            names,
            new Dictionary<string, SandboxMoney>(StringComparer.Ordinal)
            {
                ["EUR"] = SandboxMoney.Of(euro, "EUR"),
                ["GBP"] = SandboxMoney.Of(pound, "GBP"),
                ["USD"] = SandboxMoney.Of(dollar, "USD"),
            });
    }

    private string NewOrderId()
    {
        var bytes = _orderRandom.Bytes(16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    private string NewCatalogueId()
    {
        var bytes = _catalogueRandom.Bytes(16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}
