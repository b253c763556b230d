using System.Text.Json;
using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

/// <summary>
/// What a commercetools notification (a Subscription push or a Messages API message) asks to re-read. Customers and orders are
/// re-read by id. A product notification names the product, whose records are its variants' SKUs: its hint is the group key
/// <c>@product/{id}</c>. An inventory entry notification names the SKU when the payload carries it (the quantity messages'
/// <c>sku</c>, the created message's entry, or the resource's user-provided identifiers), else the entry: <c>@inventory-entry/{id}</c>,
/// resolved to its SKU when re-read. A SKU spelled exactly like a group key is read as the group.
/// </summary>
public static class CommercetoolsHints
{
    /// <summary>Start of a product group key.</summary>
    public const string ProductPrefix = "@product/";

    /// <summary>Start of an inventory entry group key.</summary>
    public const string InventoryEntryPrefix = "@inventory-entry/";

    /// <summary>The record kind and key a notification about <paramref name="typeId"/>/<paramref name="id"/> is re-read by; null when none.</summary>
    public static (EntityKind Entity, string Key)? For(string? typeId, string id, string? sku) => typeId switch
    {
        "customer" => (EntityKind.Customer, id),
        "order" => (EntityKind.Order, id),
        "product" => (EntityKind.Product, ProductPrefix + id),
        "inventory-entry" => (EntityKind.Stock, sku is { Length: > 0 } ? sku : InventoryEntryPrefix + id),
        _ => null,
    };

    /// <summary>The SKU a message or notification payload names, if any.</summary>
    public static string? SkuOf(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (payload.TryGetProperty("sku", out var sku) && sku.ValueKind == JsonValueKind.String)
        {
            return sku.GetString();
        }

        foreach (var holder in (string[])["inventoryEntry", "resourceUserProvidedIdentifiers"])
        {
            if (payload.TryGetProperty(holder, out var inner) && inner.ValueKind == JsonValueKind.Object
                && inner.TryGetProperty("sku", out var innerSku) && innerSku.ValueKind == JsonValueKind.String)
            {
                return innerSku.GetString();
            }
        }

        return null;
    }

    /// <summary>The product or inventory entry id of a group key; null when <paramref name="key"/> is a record key.</summary>
    public static string? GroupId(EntityKind entity, string key)
    {
        var prefix = entity switch
        {
            EntityKind.Product => ProductPrefix,
            EntityKind.Stock => InventoryEntryPrefix,
            _ => null,
        };
        return prefix is not null && key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : null;
    }
}
