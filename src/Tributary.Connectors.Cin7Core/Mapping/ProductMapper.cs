using System.Text.Json;
using Tributary.Connectors.Cin7Core.Api;
using Tributary.Core.Model;

namespace Tributary.Connectors.Cin7Core.Mapping;

/// <summary>Maps a Cin7 Core product (one SKU; variants are separate products) onto the canonical <see cref="Product"/>.</summary>
internal static class ProductMapper
{
    public static Product Map(ProductDto p, Cin7CoreSourceOptions options, string currency)
    {
        var sku = Wire.Required(p.Sku, "SKU");
        var modified = Wire.RequiredTime(p.LastModifiedOn, "LastModifiedOn");
        var tiers = p.PriceTiers is { Count: > 0 } t
            ? t.Where(kv => kv.Value > 0).ToList()
            : p.PriceTier1 is > 0 ? [new KeyValuePair<string, decimal>(options.RetailPriceTier, p.PriceTier1.Value)] : [];
        var prices = tiers
            .OrderBy(kv => string.Equals(kv.Key, options.RetailPriceTier, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new ProductPrice(new Money(kv.Value, currency), Channel: kv.Key))
            .ToList();
        var images = (p.Attachments ?? [])
            .Where(a => Wire.Trimmed(a.DownloadUrl) is not null
                        && (a.ContentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ?? LooksLikeImage(a.FileName)))
            .OrderByDescending(a => IsTrue(a.IsDefault))
            .ToList();
        var name = Wire.Trimmed(p.Name);
        var category = Wire.Trimmed(p.Category);

        return new Product
        {
            Sku = sku,
            ProductId = Wire.Trimmed(p.Id)?.ToLowerInvariant(),
            SourceVersion = modified.ToUnixTimeMilliseconds(),
            ModifiedAt = modified,
            Names = name is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [options.DefaultLocale] = name },
            Descriptions = Wire.Trimmed(p.Description) is { } d ? new Dictionary<string, string> { [options.DefaultLocale] = d } : new Dictionary<string, string>(),
            Prices = prices,
            ImageUrl = images.Select(a => a.DownloadUrl!.Trim()).FirstOrDefault(),
            CategoryPath = category is null ? [] : category.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Brand = Wire.Trimmed(p.Brand),
            Active = !string.Equals(Wire.Trimmed(p.Status), "Deprecated", StringComparison.OrdinalIgnoreCase),
            Attributes = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["type"] = Wire.Trimmed(p.Type),
                ["barcode"] = Wire.Trimmed(p.Barcode),
                ["status"] = Wire.Trimmed(p.Status),
            },
        };
    }

    private static bool IsTrue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => bool.TryParse(value.GetString(), out var b) && b,
        _ => false,
    };

    private static bool LooksLikeImage(string? fileName) =>
        fileName is not null && (fileName.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)
                                 || fileName.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".webp", StringComparison.OrdinalIgnoreCase)
                                 || fileName.EndsWith(".gif", StringComparison.OrdinalIgnoreCase));
}
