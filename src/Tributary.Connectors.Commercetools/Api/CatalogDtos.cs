using System.Text.Json;

namespace Tributary.Connectors.Commercetools.Api;

/// <summary>The ProductProjection resource, as far as Tributary reads it.</summary>
public sealed record ProductProjectionDto
{
    public string? Id { get; init; }
    public long Version { get; init; }
    public string? Key { get; init; }
    public IReadOnlyDictionary<string, string>? Name { get; init; }
    public IReadOnlyDictionary<string, string>? Slug { get; init; }
    public IReadOnlyDictionary<string, string>? Description { get; init; }
    public IReadOnlyList<ReferenceDto>? Categories { get; init; }
    public ProductVariantDto? MasterVariant { get; init; }
    public IReadOnlyList<ProductVariantDto>? Variants { get; init; }
    public bool? Published { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastModifiedAt { get; init; }
}

/// <summary>A ProductVariant.</summary>
public sealed record ProductVariantDto(long Id, string? Sku, string? Key, IReadOnlyList<ProductPriceDto>? Prices, IReadOnlyList<ImageDto>? Images,
    IReadOnlyList<AttributeDto>? Attributes);

/// <summary>An embedded Price.</summary>
public sealed record ProductPriceDto(string? Id, MoneyDto? Value, string? Country, ReferenceDto? Channel, ReferenceDto? CustomerGroup,
    DiscountedPriceDto? Discounted, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

/// <summary>An Image; only its URL is read.</summary>
public sealed record ImageDto(string? Url);

/// <summary>An Attribute: its value's JSON type depends on the attribute type (text, number, enum, localized text…).</summary>
public sealed record AttributeDto(string? Name, JsonElement Value);

/// <summary>The InventoryEntry resource.</summary>
public sealed record InventoryEntryDto(string? Id, long Version, string? Sku, ReferenceDto? SupplyChannel, long QuantityOnStock,
    long AvailableQuantity, int? RestockableInDays, DateTimeOffset LastModifiedAt);

/// <summary>The Channel resource, as far as Tributary reads it.</summary>
public sealed record ChannelDto(string? Id, string? Key, IReadOnlyList<string>? Roles);

/// <summary>The ShoppingList resource (wishlists, "notify me" lists), as far as Tributary reads it.</summary>
public sealed record ShoppingListDto(string? Id, long Version, string? Key, ReferenceDto? Customer, IReadOnlyList<ShoppingListLineItemDto>? LineItems,
    DateTimeOffset LastModifiedAt);

/// <summary>A product line of a shopping list; <c>variant</c> is present while the variant still exists.</summary>
public sealed record ShoppingListLineItemDto(string? ProductId, int? VariantId, ShoppingListVariantDto? Variant, DateTimeOffset? DeactivatedAt);

/// <summary>The variant of a shopping list line, as far as Tributary reads it.</summary>
public sealed record ShoppingListVariantDto(int Id, string? Sku);
