namespace Tributary.Connectors.Commercetools.Api;

/// <summary>
/// TypedMoney: CentPrecisionMoney (<c>centAmount</c> in the currency's minor units, <c>fractionDigits</c> the currency's) or
/// HighPrecisionMoney, whose <c>fractionDigits</c> belong to <c>preciseAmount</c> while <c>centAmount</c> stays in the
/// currency's minor units, rounded.
/// </summary>
public sealed record MoneyDto(string? Type, string? CurrencyCode, long CentAmount, int FractionDigits, long? PreciseAmount = null);

/// <summary>The Order resource, as far as Tributary reads it.</summary>
public sealed record OrderDto
{
    public string? Id { get; init; }
    public long Version { get; init; }
    public string? OrderNumber { get; init; }
    public string? CustomerId { get; init; }
    public string? CustomerEmail { get; init; }
    public string? OrderState { get; init; }
    public string? PaymentState { get; init; }
    public string? ShipmentState { get; init; }
    public KeyReferenceDto? Store { get; init; }
    public string? Origin { get; init; }
    public MoneyDto? TotalPrice { get; init; }
    public TaxedPriceDto? TaxedPrice { get; init; }
    public IReadOnlyList<LineItemDto>? LineItems { get; init; }
    public ShippingInfoDto? ShippingInfo { get; init; }
    public IReadOnlyList<ReturnInfoDto>? ReturnInfo { get; init; }
    public PaymentInfoDto? PaymentInfo { get; init; }
    public CustomFieldsDto? Custom { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastModifiedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
}

/// <summary>TaxedPrice of an order.</summary>
public sealed record TaxedPriceDto(MoneyDto? TotalNet, MoneyDto? TotalGross);

/// <summary>A line item.</summary>
public sealed record LineItemDto
{
    public string? Id { get; init; }
    public string? ProductId { get; init; }
    public IReadOnlyDictionary<string, string>? Name { get; init; }
    public VariantDto? Variant { get; init; }
    public PriceDto? Price { get; init; }
    public long Quantity { get; init; }
    public MoneyDto? TotalPrice { get; init; }
    public IReadOnlyList<DiscountedQuantityDto>? DiscountedPricePerQuantity { get; init; }
}

/// <summary>The variant snapshot on a line item.</summary>
public sealed record VariantDto(long Id, string? Sku);

/// <summary>A price; only its value is read.</summary>
public sealed record PriceDto(string? Id, MoneyDto? Value);

/// <summary>DiscountedLineItemPriceForQuantity: a number of units and their discounted unit price.</summary>
public sealed record DiscountedQuantityDto(long Quantity, DiscountedPriceDto? DiscountedPrice);

/// <summary>A discounted price.</summary>
public sealed record DiscountedPriceDto(MoneyDto? Value);

/// <summary>ShippingInfo; only the deliveries are read.</summary>
public sealed record ShippingInfoDto(string? ShippingMethodName, IReadOnlyList<DeliveryDto>? Deliveries);

/// <summary>A delivery with its items and parcels.</summary>
public sealed record DeliveryDto(string? Id, string? Key, DateTimeOffset? CreatedAt, IReadOnlyList<DeliveryItemDto>? Items, IReadOnlyList<ParcelDto>? Parcels);

/// <summary>A delivery item: <c>id</c> is the line item id.</summary>
public sealed record DeliveryItemDto(string? Id, long Quantity);

/// <summary>A parcel.</summary>
public sealed record ParcelDto(string? Id, DateTimeOffset? CreatedAt, TrackingDataDto? TrackingData);

/// <summary>Tracking data of a parcel.</summary>
public sealed record TrackingDataDto(string? TrackingId, string? Carrier, string? Provider);

/// <summary>A ReturnInfo.</summary>
public sealed record ReturnInfoDto(IReadOnlyList<ReturnItemDto>? Items, string? ReturnTrackingId, DateTimeOffset? ReturnDate);

/// <summary>A return item (<c>LineItemReturnItem</c> carries <c>lineItemId</c>).</summary>
public sealed record ReturnItemDto(string? Type, string? Id, string? LineItemId, long Quantity, string? ShipmentState, string? PaymentState);

/// <summary>PaymentInfo: references to payments, with <c>obj</c> when expanded.</summary>
public sealed record PaymentInfoDto(IReadOnlyList<PaymentReferenceDto>? Payments);

/// <summary>A payment reference.</summary>
public sealed record PaymentReferenceDto(string? TypeId, string? Id, PaymentDto? Obj);

/// <summary>The Payment resource, as far as Tributary reads it.</summary>
public sealed record PaymentDto(string? Id, long Version, MoneyDto? AmountPlanned, IReadOnlyList<TransactionDto>? Transactions);

/// <summary>A payment transaction.</summary>
public sealed record TransactionDto(string? Id, DateTimeOffset? Timestamp, string? Type, MoneyDto? Amount, string? State);
