using System.Text.Json;

namespace Tributary.Sandbox.Commercetools;

/// <summary>A ShoppingList (a wishlist or a "notify me" list) owned by a customer, or anonymous.</summary>
public sealed class SandboxShoppingList
{
    /// <summary>UUID; assigned on add when missing.</summary>
    public string? Id { get; set; }

    /// <summary>Optimistic-locking version; 1 on create.</summary>
    public long Version { get; set; }

    /// <summary>User-defined key.</summary>
    public string? Key { get; set; }

    /// <summary>Name per locale.</summary>
    public Dictionary<string, string> Name { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Id of the owning customer; null for an anonymous list.</summary>
    public string? CustomerId { get; set; }

    /// <summary>The product lines.</summary>
    public List<SandboxShoppingListLine> LineItems { get; set; } = [];

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last modification time.</summary>
    public DateTimeOffset LastModifiedAt { get; set; }

    internal SandboxShoppingList Clone() => new()
    {
        Id = Id, Version = Version, Key = Key, Name = new Dictionary<string, string>(Name, StringComparer.Ordinal), CustomerId = CustomerId,
        LineItems = LineItems.ToList(), CreatedAt = CreatedAt, LastModifiedAt = LastModifiedAt,
    };
}

/// <summary>A product line of a shopping list.</summary>
/// <param name="Id">Line id.</param>
/// <param name="ProductId">The product.</param>
/// <param name="VariantId">The variant within the product.</param>
/// <param name="Sku">The variant's SKU; null once the variant no longer exists (then no <c>variant</c> is written).</param>
/// <param name="AddedAt">When the shopper added it.</param>
/// <param name="DeactivatedAt">Set when the platform deactivated the line (its product was deleted or unpublished).</param>
public sealed record SandboxShoppingListLine(string Id, string ProductId, int VariantId, string? Sku, DateTimeOffset AddedAt, DateTimeOffset? DeactivatedAt = null);

/// <summary>Ids and sort fields of shopping lists.</summary>
internal sealed class ShoppingListShape : IResourceShape<SandboxShoppingList>
{
    public static string IdOf(SandboxShoppingList item) => item.Id!;

    public static int CompareOn(SandboxShoppingList a, SandboxShoppingList b, string field) => field switch
    {
        "lastModifiedAt" => a.LastModifiedAt.UtcTicks.CompareTo(b.LastModifiedAt.UtcTicks),
        "createdAt" => a.CreatedAt.UtcTicks.CompareTo(b.CreatedAt.UtcTicks),
        "key" => ResourceStore<SandboxShoppingList, ShoppingListShape>.CompareNullable(a.Key, b.Key),
        _ => string.CompareOrdinal(a.Id, b.Id),
    };
}

/// <summary>The ShoppingList wire shape.</summary>
internal static class ShoppingListJson
{
    /// <summary>The expansion that adds each line's <c>variant</c>.</summary>
    public const string VariantExpansion = "lineItems[*].variant";

    /// <summary>
    /// Writes a list; <paramref name="variants"/> (the expansion was asked for) adds each line's variant. The product of a line
    /// (<paramref name="product"/>, null when gone) gives its required name and published flag.
    /// </summary>
    public static void Write(Utf8JsonWriter w, SandboxShoppingList list, bool variants, Func<string, SandboxProduct?> product)
    {
        w.WriteStartObject();
        w.WriteString("id", list.Id);
        w.WriteNumber("version", list.Version);
        if (list.Key is not null)
        {
            w.WriteString("key", list.Key);
        }

        w.WriteStartObject("name");
        foreach (var (locale, text) in list.Name)
        {
            w.WriteString(locale, text);
        }

        w.WriteEndObject();
        if (list.CustomerId is not null)
        {
            w.WriteStartObject("customer");
            w.WriteString("typeId", "customer");
            w.WriteString("id", list.CustomerId);
            w.WriteEndObject();
        }

        w.WriteStartArray("lineItems");
        foreach (var line in list.LineItems)
        {
            w.WriteStartObject();
            w.WriteString("id", line.Id);
            w.WriteString("productId", line.ProductId);
            var of = product(line.ProductId);
            w.WriteStartObject("name");
            foreach (var (locale, text) in of?.Name ?? new Dictionary<string, string> { ["en"] = line.Sku ?? line.ProductId })
            {
                w.WriteString(locale, text);
            }

            w.WriteEndObject();
            w.WriteStartObject("productType");
            w.WriteString("typeId", "product-type");
            w.WriteString("id", of?.ProductTypeId ?? "sandbox-product-type");
            w.WriteEndObject();
            w.WriteBoolean("published", of?.Published ?? false);
            w.WriteNumber("variantId", line.VariantId);
            w.WriteNumber("quantity", 1);
            CustomerJson.WriteTimestamp(w, "addedAt", line.AddedAt);
            if (line.DeactivatedAt is { } deactivated)
            {
                CustomerJson.WriteTimestamp(w, "deactivatedAt", deactivated);
            }

            if (variants && line.Sku is not null)
            {
                w.WriteStartObject("variant");
                w.WriteNumber("id", line.VariantId);
                w.WriteString("sku", line.Sku);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("textLineItems");
        w.WriteEndArray();
        CustomerJson.WriteTimestamp(w, "createdAt", list.CreatedAt);
        CustomerJson.WriteTimestamp(w, "lastModifiedAt", list.LastModifiedAt);
        w.WriteEndObject();
    }
}
