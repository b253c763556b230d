using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Connectors.Commercetools.Api;

/// <summary>OAuth2 TokenResponse.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("scope")] string? Scope);

/// <summary>ErrorResponse and AuthErrorResponse (the OAuth members are only on the latter).</summary>
public sealed record ErrorResponse(
    int StatusCode,
    string? Message,
    IReadOnlyList<ErrorObject>? Errors,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

/// <summary>One entry of <c>errors[]</c>.</summary>
public sealed record ErrorObject(string? Code, string? Message, long? CurrentVersion, string? Field);

/// <summary>The Customer resource, as far as Tributary reads it.</summary>
public sealed record CustomerDto
{
    public string? Id { get; init; }
    public long Version { get; init; }
    public string? Key { get; init; }
    public string? CustomerNumber { get; init; }
    public string? ExternalId { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }

    /// <summary>Date-only <c>YYYY-MM-DD</c>; kept as text so a malformed value rejects one record, not the page.</summary>
    public string? DateOfBirth { get; init; }

    public IReadOnlyList<AddressDto>? Addresses { get; init; }
    public string? DefaultBillingAddressId { get; init; }
    public string? DefaultShippingAddressId { get; init; }
    public bool IsEmailVerified { get; init; }
    public string? Locale { get; init; }
    public IReadOnlyList<KeyReferenceDto>? Stores { get; init; }
    public CustomFieldsDto? Custom { get; init; }
    public string? AuthenticationMode { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastModifiedAt { get; init; }
}

/// <summary>Address (the fields Tributary reads).</summary>
public sealed record AddressDto(string? Id, string? Country, string? Phone, string? Mobile);

/// <summary>A KeyReference such as <c>{"typeId":"store","key":"eu"}</c>.</summary>
public sealed record KeyReferenceDto(string? TypeId, string? Key);

/// <summary>A Reference such as <c>{"typeId":"type","id":"…"}</c>.</summary>
public sealed record ReferenceDto(string? TypeId, string? Id);

/// <summary>CustomFields: the type and the field values, whose types depend on the custom type.</summary>
public sealed record CustomFieldsDto(ReferenceDto? Type, IReadOnlyDictionary<string, JsonElement>? Fields);

/// <summary>The project, as far as Tributary reads it.</summary>
public sealed record ProjectDto(string? Key, string? Name, long Version);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(CustomerDto))]
[JsonSerializable(typeof(ProjectDto))]
[JsonSerializable(typeof(OrderDto))]
[JsonSerializable(typeof(PaymentDto))]
[JsonSerializable(typeof(ProductProjectionDto))]
[JsonSerializable(typeof(InventoryEntryDto))]
[JsonSerializable(typeof(ChannelDto))]
[JsonSerializable(typeof(ShoppingListDto))]
internal sealed partial class CommercetoolsJsonContext : JsonSerializerContext;
