using System.Text.Json;
using Tributary.Core.Model;

namespace Tributary.Connectors.Centra.Mapping;

/// <summary>Maps a Centra size node (one SKU, with its variant, product and prices) onto the canonical <see cref="Product"/>.</summary>
internal static class ProductMapper
{
    public static Product Map(JsonElement size, CentraSourceOptions options)
    {
        var sku = Node.Required(size, "SKU");
        var modified = Node.Time(size, "updatedAt") ?? throw new UnmappableException($"size {sku} has no updatedAt");
        var product = Node.Obj(size, "product") ?? throw new UnmappableException($"size {sku} has no product");
        var variant = Node.Obj(size, "productVariant");
        var name = Node.Text(product, "name");

        var prices = new List<ProductPrice>();
        foreach (var p in Node.List(size, "prices"))
        {
            var price = Node.Money(p, "price", null) ?? throw new UnmappableException($"size {sku} has a price without a value");
            var sale = Node.Money(p, "salePrice", price.Currency);
            prices.Add(new ProductPrice(price, sale is { } s && s.Amount < price.Amount ? s : null, null,
                Node.Text(p, "pricelist", "name") ?? Node.Text(p, "pricelist", "id")));
        }

        var category = Node.List(product, "categories").FirstOrDefault();
        var path = category.ValueKind == JsonValueKind.Object
            ? Node.List(category, "name").Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToList()
            : [];
        var active = string.Equals(Node.Text(product, "status"), "ACTIVE", StringComparison.OrdinalIgnoreCase)
                     && (variant is not { } v || string.Equals(Node.Text(v, "status") ?? "ACTIVE", "ACTIVE", StringComparison.OrdinalIgnoreCase));

        return new Product
        {
            Sku = sku,
            ProductId = Node.Text(product, "id"),
            SourceVersion = modified.ToUnixTimeMilliseconds(),
            ModifiedAt = modified,
            Names = name is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [options.DefaultLocale] = name },
            Urls = options.ProductUrlTemplate is { Length: > 0 } template
                ? new Dictionary<string, string> { [options.DefaultLocale] = Link(template, options.DefaultLocale, sku, Node.Text(product, "productNumber"), Node.Text(product, "id")) }
                : new Dictionary<string, string>(),
            Prices = prices,
            ImageUrl = variant is { } vm ? Node.List(vm, "media").Select(m => Node.Text(m, "url")).FirstOrDefault(u => u is not null) : null,
            CategoryPath = path,
            Brand = Node.Text(product, "brand", "name"),
            Active = active,
            Attributes = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["productNumber"] = Node.Text(product, "productNumber"),
                ["variant"] = variant is { } vn ? Node.Text(vn, "name") : null,
                ["size"] = Node.Text(size, "description"),
                ["ean"] = Node.Text(size, "EAN"),
            },
        };
    }

    private static string Link(string template, string locale, string sku, string? productNumber, string? productId) => template
        .Replace("{locale}", Uri.EscapeDataString(locale), StringComparison.Ordinal)
        .Replace("{sku}", Uri.EscapeDataString(sku), StringComparison.Ordinal)
        .Replace("{productNumber}", Uri.EscapeDataString(productNumber ?? string.Empty), StringComparison.Ordinal)
        .Replace("{productId}", Uri.EscapeDataString(productId ?? string.Empty), StringComparison.Ordinal);
}
