using System.Globalization;
using System.Text.Json;
using Tributary.Connectors.Commercetools.Api;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

/// <summary>
/// Maps a ProductProjection onto one canonical <see cref="Product"/> per variant SKU, or says why a variant (or the whole
/// projection) cannot be mapped. Product-level fields (names, slugs, descriptions, categories, published) are shared by the
/// variants; prices, images and attributes are the variant's own, with the master's first image standing in for a variant that
/// has none.
/// </summary>
internal static class ProductMapper
{
    /// <summary>Maps the variants of <paramref name="p"/>; <paramref name="channelKey"/> resolves a price's channel id to its key.</summary>
    /// <param name="p">The projection.</param>
    /// <param name="options">The mapping options.</param>
    /// <param name="channelKey">Channel id → key; null when unknown (the id is used then).</param>
    /// <param name="now">The server's time, for price validity; null keeps every price.</param>
    /// <param name="products">The variants mapped.</param>
    /// <param name="rejected">The variants (or the projection) that could not be mapped.</param>
    public static void Map(ProductProjectionDto p, CommercetoolsSourceOptions options, Func<string, string?> channelKey, DateTimeOffset? now,
        List<CanonicalRecord> products, List<SourceRejection> rejected)
    {
        if (string.IsNullOrEmpty(p.Id))
        {
            rejected.Add(new SourceRejection(EntityKind.Product, string.Empty, "the product has no id", Summarize(p, null)));
            return;
        }

        if (p.MasterVariant is null)
        {
            rejected.Add(new SourceRejection(EntityKind.Product, p.Id, "the product has no masterVariant", Summarize(p, p.Id)));
            return;
        }

        var names = Localized(p.Name, options);
        var descriptions = Localized(p.Description, options);
        var slugs = Localized(p.Slug, options);
        var categories = (p.Categories ?? []).Select(c => c.Id).OfType<string>().ToList();
        var masterImage = FirstImage(p.MasterVariant);
        foreach (var variant in (p.Variants ?? []).Prepend(p.MasterVariant))
        {
            if (string.IsNullOrWhiteSpace(variant.Sku))
            {
                rejected.Add(new SourceRejection(EntityKind.Product, $"{p.Id}#{variant.Id.ToString(CultureInfo.InvariantCulture)}",
                    $"variant {variant.Id} of product {p.Id} has no SKU, and products are keyed by SKU", Summarize(p, p.Id)));
                continue;
            }

            try
            {
                products.Add(new Product
                {
                    Sku = variant.Sku,
                    ProductId = p.Id,
                    SourceVersion = p.Version,
                    ModifiedAt = p.LastModifiedAt,
                    Names = names,
                    Descriptions = descriptions,
                    Urls = slugs.ToDictionary(kv => kv.Key, kv => Url(options.ProductUrlTemplate, kv.Key, kv.Value, variant.Sku, p), StringComparer.Ordinal),
                    Prices = Prices(variant, options, channelKey, now),
                    ImageUrl = FirstImage(variant) ?? masterImage,
                    CategoryPath = categories,
                    Brand = Attribute(variant, options.BrandAttribute, options),
                    Active = p.Published ?? true,
                    Attributes = (variant.Attributes ?? [])
                        .Where(a => !string.IsNullOrEmpty(a.Name))
                        .GroupBy(a => a.Name!, StringComparer.Ordinal)
                        .ToDictionary(g => g.Key, g => Text(g.First().Value, options), StringComparer.Ordinal),
                });
            }
            catch (OrderMapper.Unmappable e)
            {
                rejected.Add(new SourceRejection(EntityKind.Product, variant.Sku, $"variant {variant.Sku} of product {p.Id}: {e.Message}", Summarize(p, p.Id)));
            }
        }
    }

    /// <summary>A short summary for the quarantine trace (catalogue data holds no personal data).</summary>
    public static string Summarize(ProductProjectionDto? p, string? id) => p is null
        ? $"id={id}"
        : $"id={p.Id}, version={p.Version}, key={p.Key}, variants={1 + (p.Variants?.Count ?? 0)}, published={p.Published}, lastModifiedAt={p.LastModifiedAt:O}";

    /// <summary>The variant's SKUs, master first.</summary>
    public static IEnumerable<ProductVariantDto> AllVariants(ProductProjectionDto p) =>
        p.MasterVariant is null ? p.Variants ?? [] : (p.Variants ?? []).Prepend(p.MasterVariant);

    private static List<ProductPrice> Prices(ProductVariantDto variant, CommercetoolsSourceOptions options, Func<string, string?> channelKey,
        DateTimeOffset? now)
    {
        var prices = new List<ProductPrice>();
        foreach (var price in variant.Prices ?? [])
        {
            var field = $"price {price.Id ?? "without id"}";
            var value = OrderMapper.ReadMoney(price.Value, $"{field} value", currency: null);

            // Customer-group prices are not the public price, and prices out of their validity are not offered now.
            if (price.CustomerGroup is not null
                || (now is { } t && ((price.ValidFrom is { } from && from > t) || (price.ValidUntil is { } until && until <= t)))
                || (options.Currencies.Count > 0 && !options.Currencies.Contains(value.Currency, StringComparer.OrdinalIgnoreCase))
                || (options.Country is { } country && price.Country is { } scoped && !string.Equals(scoped, country, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var special = price.Discounted is { } d ? OrderMapper.ReadMoney(d.Value, $"{field} discounted value", value.Currency) : (Money?)null;
            var channel = price.Channel?.Id is { } id ? channelKey(id) ?? id : null;
            prices.Add(new ProductPrice(value, special, price.Country, channel));
        }

        return prices;
    }

    private static IReadOnlyDictionary<string, string> Localized(IReadOnlyDictionary<string, string>? values, CommercetoolsSourceOptions options) =>
        (values ?? new Dictionary<string, string>())
            .Where(kv => !string.IsNullOrWhiteSpace(kv.Value) && (options.Locales.Count == 0 || options.Locales.Contains(kv.Key, StringComparer.OrdinalIgnoreCase)))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static string? FirstImage(ProductVariantDto variant) => variant.Images?.Select(i => i.Url).FirstOrDefault(u => !string.IsNullOrWhiteSpace(u));

    private static string Url(string template, string locale, string slug, string sku, ProductProjectionDto p) => template
        .Replace("{locale}", locale, StringComparison.Ordinal)
        .Replace("{slug}", Uri.EscapeDataString(slug), StringComparison.Ordinal)
        .Replace("{sku}", Uri.EscapeDataString(sku), StringComparison.Ordinal)
        .Replace("{key}", Uri.EscapeDataString(p.Key ?? string.Empty), StringComparison.Ordinal)
        .Replace("{id}", Uri.EscapeDataString(p.Id ?? string.Empty), StringComparison.Ordinal);

    private static string? Attribute(ProductVariantDto variant, string name, CommercetoolsSourceOptions options) =>
        variant.Attributes?.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal)) is { } attribute ? Text(attribute.Value, options) : null;

    /// <summary>
    /// An attribute value as text: text and numbers as they are; an enum by its label (a localized enum's label in the preferred
    /// locale); a LocalizedString in the preferred locale; anything else (sets, references, money) as its JSON.
    /// </summary>
    private static string? Text(JsonElement value, CommercetoolsSourceOptions options) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Object when value.TryGetProperty("label", out var label) => Text(label, options),
        JsonValueKind.Object when value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String) => Preferred(value, options),
        _ => value.GetRawText(),
    };

    private static string? Preferred(JsonElement localized, CommercetoolsSourceOptions options)
    {
        foreach (var locale in options.Locales.Append(options.Locale ?? "en"))
        {
            if (localized.TryGetProperty(locale, out var text) && text.ValueKind == JsonValueKind.String)
            {
                return text.GetString();
            }
        }

        return localized.EnumerateObject().Select(p => p.Value.GetString()).FirstOrDefault();
    }
}
