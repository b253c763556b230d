using System.Text.Json.Serialization;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// One record of the contact-scoped <c>Orders</c> collection, in the shape Dotdigital's own connectors send: camelCase top-level
/// keys, snake_case keys inside <c>products</c>. Types are fixed here because the collection's first record fixes them for good;
/// absent values are left out, never sent as null, and empty arrays are never sent.
/// </summary>
internal sealed class OrderInsight
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("storeName")]
    public string? StoreName { get; init; }

    [JsonPropertyName("purchaseDate")]
    public required string PurchaseDate { get; init; }

    [JsonPropertyName("orderStatus")]
    public string? OrderStatus { get; init; }

    [JsonPropertyName("currency")]
    public required string Currency { get; init; }

    [JsonPropertyName("orderSubtotal")]
    public decimal OrderSubtotal { get; init; }

    [JsonPropertyName("discountAmount")]
    public decimal DiscountAmount { get; init; }

    [JsonPropertyName("orderTotal")]
    public decimal OrderTotal { get; init; }

    [JsonPropertyName("products")]
    public List<OrderInsightProduct>? Products { get; init; }
}

/// <summary>One order line inside <see cref="OrderInsight"/>.</summary>
internal sealed class OrderInsightProduct
{
    [JsonPropertyName("product_id")]
    public required string ProductId { get; init; }

    [JsonPropertyName("parent_id")]
    public required string ParentId { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("sku")]
    public required string Sku { get; init; }

    [JsonPropertyName("qty")]
    public int Qty { get; init; }

    [JsonPropertyName("price")]
    public decimal Price { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OrderInsight))]
internal sealed partial class DotdigitalInsightJsonContext : JsonSerializerContext;
