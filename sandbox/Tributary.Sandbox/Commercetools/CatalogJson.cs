using System.Text.Json;

namespace Tributary.Sandbox.Commercetools;

/// <summary>The price selection parameters of a product projections query.</summary>
/// <param name="Currency">priceCurrency (required for a selection).</param>
/// <param name="Country">priceCountry.</param>
/// <param name="ChannelId">priceChannel.</param>
internal sealed record PriceSelection(string Currency, string? Country, string? ChannelId)
{
    /// <summary>
    /// The platform's fallback: among prices in the currency that are not scoped to another country or channel (and to no
    /// customer group, which the emulator does not model), the most specific wins; a matching country outranks a matching
    /// channel. Null when no price fits.
    /// </summary>
    public SandboxPrice? Select(IEnumerable<SandboxPrice> prices)
    {
        SandboxPrice? best = null;
        var bestScore = -1;
        foreach (var p in prices)
        {
            if (!string.Equals(p.Value.CurrencyCode, Currency, StringComparison.Ordinal)
                || (p.Country is not null && !string.Equals(p.Country, Country, StringComparison.Ordinal))
                || (p.ChannelId is not null && !string.Equals(p.ChannelId, ChannelId, StringComparison.Ordinal)))
            {
                continue;
            }

            var score = (p.Country is null ? 0 : 2) + (p.ChannelId is null ? 0 : 1);
            if (score > bestScore)
            {
                best = p;
                bestScore = score;
            }
        }

        return best;
    }
}

/// <summary>Writes product projections, inventory entries and channels in the platform's wire shapes.</summary>
internal static class CatalogJson
{
    public static void WriteProduct(Utf8JsonWriter w, SandboxProduct p, PriceSelection? selection, bool staged = false)
    {
        var hasStagedChanges = p.StagedData is not null;
        p = staged ? p.StagedView() : p;
        WriteProductHead(w, p);
        WriteProductData(w, p, selection);
        w.WriteBoolean("hasStagedChanges", hasStagedChanges);
        w.WriteBoolean("published", p.Published);
        w.WriteString("priceMode", "Embedded");
        CustomerJson.WriteTimestamp(w, "createdAt", p.CreatedAt);
        CustomerJson.WriteTimestamp(w, "lastModifiedAt", p.LastModifiedAt);
        w.WriteEndObject();
    }

    /// <summary>The Product resource an update answers with: both projections' data under <c>masterData</c>.</summary>
    public static void WriteProductResource(Utf8JsonWriter w, SandboxProduct p)
    {
        WriteProductHead(w, p);
        w.WriteStartObject("masterData");
        w.WritePropertyName("current");
        w.WriteStartObject();
        WriteProductData(w, p, null);
        w.WriteEndObject();
        w.WritePropertyName("staged");
        w.WriteStartObject();
        WriteProductData(w, p.StagedView(), null);
        w.WriteEndObject();
        w.WriteBoolean("published", p.Published);
        w.WriteBoolean("hasStagedChanges", p.StagedData is not null);
        w.WriteEndObject();
        w.WriteString("priceMode", "Embedded");
        CustomerJson.WriteTimestamp(w, "createdAt", p.CreatedAt);
        CustomerJson.WriteTimestamp(w, "lastModifiedAt", p.LastModifiedAt);
        w.WriteEndObject();
    }

    /// <summary>Opens the product object and writes its id, version, key and product type.</summary>
    private static void WriteProductHead(Utf8JsonWriter w, SandboxProduct p)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        w.WriteNumber("version", p.Version);
        if (p.Key is not null)
        {
            w.WriteString("key", p.Key);
        }

        w.WriteStartObject("productType");
        w.WriteString("typeId", "product-type");
        w.WriteString("id", p.ProductTypeId);
        w.WriteEndObject();
    }

    private static void WriteProductData(Utf8JsonWriter w, SandboxProduct p, PriceSelection? selection)
    {
        WriteLocalized(w, "name", p.Name);
        WriteLocalized(w, "slug", p.Slug);
        if (p.Description.Count > 0)
        {
            WriteLocalized(w, "description", p.Description);
        }

        w.WriteStartArray("categories");
        foreach (var id in p.CategoryIds)
        {
            WriteReference(w, null, "category", id);
        }

        w.WriteEndArray();
        w.WriteStartObject("categoryOrderHints");
        w.WriteEndObject();
        w.WritePropertyName("masterVariant");
        WriteVariant(w, p.MasterVariant, selection);
        w.WriteStartArray("variants");
        foreach (var v in p.Variants)
        {
            WriteVariant(w, v, selection);
        }

        w.WriteEndArray();
        // SearchKeywords is a map of locale to keywords, and product-level attributes are required (none here).
        w.WriteStartObject("searchKeywords");
        w.WriteEndObject();
        w.WriteStartArray("attributes");
        w.WriteEndArray();
    }

    public static void WriteInventory(Utf8JsonWriter w, SandboxInventoryEntry e)
    {
        w.WriteStartObject();
        w.WriteString("id", e.Id);
        w.WriteNumber("version", e.Version);
        if (e.Key is not null)
        {
            w.WriteString("key", e.Key);
        }

        w.WriteString("sku", e.Sku);
        if (e.SupplyChannelId is not null)
        {
            WriteReference(w, "supplyChannel", "channel", e.SupplyChannelId);
        }

        w.WriteNumber("quantityOnStock", e.QuantityOnStock);
        w.WriteNumber("availableQuantity", e.AvailableQuantity);
        if (e.RestockableInDays is { } days)
        {
            w.WriteNumber("restockableInDays", days);
        }

        CustomerJson.WriteTimestamp(w, "createdAt", e.CreatedAt);
        CustomerJson.WriteTimestamp(w, "lastModifiedAt", e.LastModifiedAt);
        w.WriteEndObject();
    }

    public static void WriteChannel(Utf8JsonWriter w, SandboxChannel c)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteNumber("version", c.Version);
        w.WriteString("key", c.Key);
        w.WriteStartArray("roles");
        foreach (var role in c.Roles)
        {
            w.WriteStringValue(role);
        }

        w.WriteEndArray();
        if (c.Name.Count > 0)
        {
            WriteLocalized(w, "name", c.Name);
        }

        CustomerJson.WriteTimestamp(w, "createdAt", c.CreatedAt);
        CustomerJson.WriteTimestamp(w, "lastModifiedAt", c.LastModifiedAt);
        w.WriteEndObject();
    }

    private static void WriteVariant(Utf8JsonWriter w, SandboxVariant v, PriceSelection? selection)
    {
        w.WriteStartObject();
        w.WriteNumber("id", v.Id);
        if (v.Sku is not null)
        {
            w.WriteString("sku", v.Sku);
        }

        if (v.Key is not null)
        {
            w.WriteString("key", v.Key);
        }

        w.WriteStartArray("prices");
        foreach (var price in v.Prices)
        {
            WritePrice(w, price);
        }

        w.WriteEndArray();
        if (selection?.Select(v.Prices) is { } selected)
        {
            w.WritePropertyName("price");
            WritePrice(w, selected);
        }

        w.WriteStartArray("images");
        foreach (var url in v.Images)
        {
            w.WriteStartObject();
            w.WriteString("url", url);
            w.WriteStartObject("dimensions");
            w.WriteNumber("w", 1200);
            w.WriteNumber("h", 1200);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("attributes");
        foreach (var (name, value) in v.Attributes)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WritePropertyName("value");
            CustomerJson.WriteValue(w, value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("assets");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WritePrice(Utf8JsonWriter w, SandboxPrice p)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        OrderJson.WriteMoney(w, "value", p.Value);
        if (p.Country is not null)
        {
            w.WriteString("country", p.Country);
        }

        if (p.ChannelId is not null)
        {
            WriteReference(w, "channel", "channel", p.ChannelId);
        }

        if (p.Discounted is { } discounted)
        {
            w.WriteStartObject("discounted");
            OrderJson.WriteMoney(w, "value", discounted);
            WriteReference(w, "discount", "product-discount", p.DiscountId ?? "sandbox-discount");
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    public static void WriteReference(Utf8JsonWriter w, string? name, string typeId, string id)
    {
        if (name is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(name);
        }

        w.WriteString("typeId", typeId);
        w.WriteString("id", id);
        w.WriteEndObject();
    }

    private static void WriteLocalized(Utf8JsonWriter w, string name, Dictionary<string, string> values)
    {
        w.WriteStartObject(name);
        foreach (var (locale, text) in values)
        {
            w.WriteString(locale, text);
        }

        w.WriteEndObject();
    }
}
