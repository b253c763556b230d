using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Connectors.Cin7Core.Api;

// Wire shapes of the External API v2 as far as Tributary reads them. Times stay text so one malformed value rejects one record,
// not its page; Cin7 Core writes them with and without a trailing Z.

/// <summary>A page of <c>GET /customer</c>.</summary>
public sealed record CustomerListDto(int Total, int Page, IReadOnlyList<CustomerDto>? CustomerList);

/// <summary>A page of <c>GET /saleList</c>.</summary>
public sealed record SaleListDto(int Total, int Page, IReadOnlyList<SaleListRowDto>? SaleList);

/// <summary>A page of <c>GET /product</c>.</summary>
public sealed record ProductListDto(int Total, int Page, IReadOnlyList<ProductDto>? Products);

/// <summary>A page of <c>GET /ref/productavailability</c>.</summary>
public sealed record AvailabilityListDto(int Total, int Page, IReadOnlyList<AvailabilityDto>? ProductAvailabilityList);

/// <summary>A page of <c>GET /ref/location</c>.</summary>
public sealed record LocationListDto(int Total, int Page, IReadOnlyList<LocationDto>? LocationList);

/// <summary>A customer. The additional attributes (<c>AdditionalAttribute1..10</c>) and any other field land in <see cref="Extra"/>.</summary>
public sealed record CustomerDto
{
    [JsonPropertyName("ID")] public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Status { get; init; }
    public string? Currency { get; init; }
    public string? PriceTier { get; init; }
    public string? Tags { get; init; }
    public string? Location { get; init; }
    public string? LastModifiedOn { get; init; }
    public IReadOnlyList<ContactDto>? Contacts { get; init; }
    public IReadOnlyList<AddressDto>? Addresses { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A customer contact: the only place a customer's email lives.</summary>
public sealed record ContactDto
{
    [JsonPropertyName("ID")] public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? MobilePhone { get; init; }
    public string? Email { get; init; }
    public bool Default { get; init; }
    public bool IncludeInEmail { get; init; }
}

/// <summary>A customer address.</summary>
public sealed record AddressDto(string? Country, string? Type, bool DefaultForType);

/// <summary>One row of the sale list (no email, no lines: the detail has them).</summary>
public sealed record SaleListRowDto
{
    [JsonPropertyName("SaleID")] public string? SaleId { get; init; }
    [JsonConverter(typeof(TextOrNumberConverter))] public string? OrderNumber { get; init; }
    public string? Status { get; init; }
    public string? OrderDate { get; init; }
    public string? Updated { get; init; }
    public string? SourceChannel { get; init; }
}

/// <summary>A sale (<c>GET /sale?ID=</c>) with the stages Tributary maps.</summary>
public sealed record SaleDto
{
    [JsonPropertyName("ID")] public string? Id { get; init; }
    public string? Customer { get; init; }
    [JsonPropertyName("CustomerID")] public string? CustomerId { get; init; }
    public string? Email { get; init; }
    public string? Status { get; init; }
    public string? SourceChannel { get; init; }
    public string? CustomerCurrency { get; init; }
    public string? BaseCurrency { get; init; }
    public string? Location { get; init; }
    public string? SaleOrderDate { get; init; }
    public string? LastModifiedOn { get; init; }
    public string? CombinedPaymentStatus { get; init; }
    public string? CombinedShippingStatus { get; init; }
    public string? FulFilmentStatus { get; init; }
    public SaleOrderDto? Order { get; init; }
    public IReadOnlyList<FulfilmentDto>? Fulfilments { get; init; }
    public IReadOnlyList<CreditNoteDto>? CreditNotes { get; init; }
}

/// <summary>The order stage of a sale.</summary>
public sealed record SaleOrderDto([property: JsonConverter(typeof(TextOrNumberConverter))] string? SaleOrderNumber, string? Status, IReadOnlyList<SaleLineDto>? Lines, decimal? TotalBeforeTax, decimal? Tax, decimal? Total);

/// <summary>An order line.</summary>
public sealed record SaleLineDto
{
    [JsonPropertyName("ProductID")] public string? ProductId { get; init; }
    public string? Sku { get; init; }
    public string? Name { get; init; }
    public decimal Quantity { get; init; }
    public decimal Price { get; init; }
    public decimal Discount { get; init; }
    public decimal Tax { get; init; }
    public decimal Total { get; init; }
}

/// <summary>One fulfilment (pick, pack, ship) of a sale; advanced sales have several for partial shipments.</summary>
public sealed record FulfilmentDto
{
    [JsonPropertyName("TaskID")] public string? TaskId { get; init; }
    [JsonConverter(typeof(TextOrNumberConverter))] public string? FulfillmentNumber { get; init; }
    public string? FulFilmentStatus { get; init; }
    public FulfilmentStageDto? Pick { get; init; }
    public FulfilmentStageDto? Pack { get; init; }
    public ShipStageDto? Ship { get; init; }
}

/// <summary>The pick or pack stage: which quantities of which SKUs.</summary>
public sealed record FulfilmentStageDto(string? Status, IReadOnlyList<FulfilmentLineDto>? Lines);

/// <summary>A picked or packed line.</summary>
public sealed record FulfilmentLineDto([property: JsonPropertyName("ProductID")] string? ProductId, string? Sku, string? Location, decimal Quantity);

/// <summary>The ship stage: carriers and tracking per shipped box line.</summary>
public sealed record ShipStageDto(string? Status, IReadOnlyList<ShipLineDto>? Lines);

/// <summary>A ship line.</summary>
public sealed record ShipLineDto
{
    [JsonPropertyName("ID")] public string? Id { get; init; }
    public string? ShipmentDate { get; init; }
    public string? Carrier { get; init; }
    public string? TrackingNumber { get; init; }
    [JsonPropertyName("TrackingURL")] public string? TrackingUrl { get; init; }
    public bool IsShipped { get; init; }
}

/// <summary>A credit note (refund) of a sale.</summary>
public sealed record CreditNoteDto
{
    [JsonPropertyName("TaskID")] public string? TaskId { get; init; }
    [JsonConverter(typeof(TextOrNumberConverter))] public string? CreditNoteNumber { get; init; }
    public string? CreditNoteDate { get; init; }
    public string? Status { get; init; }
    public decimal? Total { get; init; }
}

/// <summary>A product (one SKU; variants are separate products in Cin7 Core).</summary>
public sealed record ProductDto
{
    [JsonPropertyName("ID")] public string? Id { get; init; }
    [JsonPropertyName("SKU")] public string? Sku { get; init; }
    public string? Name { get; init; }
    public string? Category { get; init; }
    public string? Brand { get; init; }
    public string? Type { get; init; }
    public string? Status { get; init; }
    public string? Barcode { get; init; }
    public string? Description { get; init; }
    public string? LastModifiedOn { get; init; }
    public Dictionary<string, decimal>? PriceTiers { get; init; }
    public decimal? PriceTier1 { get; init; }
    public IReadOnlyList<AttachmentDto>? Attachments { get; init; }
}

/// <summary>A product attachment; <c>IsDefault</c> comes as a string ("true") in the documented example, so it is read either way.</summary>
public sealed record AttachmentDto
{
    [JsonPropertyName("ID")] public string? Id { get; init; }
    public string? FileName { get; init; }
    public string? ContentType { get; init; }
    public string? DownloadUrl { get; init; }
    public JsonElement IsDefault { get; init; }
}

/// <summary>One availability row: a product at a location (and bin, and batch).</summary>
public sealed record AvailabilityDto
{
    [JsonPropertyName("ID")] public string? Id { get; init; }
    [JsonPropertyName("SKU")] public string? Sku { get; init; }
    public string? Location { get; init; }
    public string? Bin { get; init; }
    public string? Batch { get; init; }
    public decimal OnHand { get; init; }
    public decimal Allocated { get; init; }
    public decimal Available { get; init; }
    public decimal OnOrder { get; init; }
}

/// <summary>A location.</summary>
public sealed record LocationDto([property: JsonPropertyName("ID")] string? Id, string? Name, bool IsDefault, bool IsDeprecated);

/// <summary><c>GET /me</c>: the account.</summary>
public sealed record MeDto(string? Company, string? Currency);

/// <summary>An error body: <c>{"ErrorCode": 403, "Exception": "…"}</c>, often inside an array.</summary>
public sealed record ErrorDto(int? ErrorCode, string? Exception);

/// <summary>Source-generated serialization of the wire shapes (no reflection on the read path).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CustomerListDto))]
[JsonSerializable(typeof(SaleListDto))]
[JsonSerializable(typeof(SaleDto))]
[JsonSerializable(typeof(ProductListDto))]
[JsonSerializable(typeof(AvailabilityListDto))]
[JsonSerializable(typeof(LocationListDto))]
[JsonSerializable(typeof(MeDto))]
[JsonSerializable(typeof(ErrorDto))]
[JsonSerializable(typeof(List<ErrorDto>))]
internal sealed partial class Cin7CoreJsonContext : JsonSerializerContext;
