using System.Globalization;
using System.Text.Json;
using Tributary.Connectors.Centra.Api;

namespace Tributary.Connectors.Centra;

/// <summary>One keyset page: records after <paramref name="AfterKey"/>, optionally within a modification window.</summary>
/// <param name="AfterKey">The key to continue after (customer id, order number or SKU); null from the start.</param>
/// <param name="ModifiedFrom">Inclusive lower bound of <c>updatedAt</c>.</param>
/// <param name="ModifiedBefore">Upper bound of <c>updatedAt</c>; the source drops records at or after it.</param>
/// <param name="Limit">Page size, capped at <see cref="CentraClientOptions.MaxPageSize"/>.</param>
public sealed record CentraPageRequest(string? AfterKey, DateTimeOffset? ModifiedFrom, DateTimeOffset? ModifiedBefore, int Limit);

public sealed partial class CentraClient
{
    /// <summary>Customers in id order (<c>sort: [id_ASC]</c>, <c>where: {id: {greaterThan}}</c>), each node as served.</summary>
    public Task<IReadOnlyList<JsonElement>> QueryCustomersAsync(CentraPageRequest request, string consentField, CancellationToken cancellationToken) =>
        ListAsync("Customers", "customers", Queries.Customers(ValidFields(consentField)), request.Limit,
            w => WriteWindow(w, "id", NumericKey(request.AfterKey, "customer id"), request, Options.ModifiedFilterField), cancellationToken);

    /// <summary>One customer by id; null when there is none.</summary>
    public async Task<JsonElement?> GetCustomerAsync(string id, string consentField, CancellationToken cancellationToken) =>
        FirstOrNull(await ListAsync("Customers", "customers", Queries.Customers(ValidFields(consentField)), 1,
            w => WriteEquals(w, "id", NumericKey(id, "customer id")!), cancellationToken));

    /// <summary>Every customer with this email (<c>where: {email: {equals}}</c>, the documented lookup).</summary>
    public Task<IReadOnlyList<JsonElement>> FindCustomersByEmailAsync(string email, string consentField, CancellationToken cancellationToken) =>
        ListAsync("Customers", "customers", Queries.Customers(ValidFields(consentField)), Options.EffectivePageSize,
            w => WriteEquals(w, "email", email), cancellationToken);

    /// <summary>Orders in number order (<c>sort: [number_ASC]</c>, <c>where: {number: {greaterThan}}</c>).</summary>
    public Task<IReadOnlyList<JsonElement>> QueryOrdersAsync(CentraPageRequest request, CancellationToken cancellationToken) =>
        ListAsync("Orders", "orders", Queries.Orders, request.Limit,
            w => WriteWindow(w, "number", NumericKey(request.AfterKey, "order number"), request, Options.ModifiedFilterField), cancellationToken);

    /// <summary>One order by number; null when there is none.</summary>
    public async Task<JsonElement?> GetOrderAsync(string number, CancellationToken cancellationToken) =>
        FirstOrNull(await ListAsync("Orders", "orders", Queries.Orders, 1, w => WriteEquals(w, "number", NumericKey(number, "order number")!),
            cancellationToken));

    /// <summary>Sellable sizes (one per SKU) in SKU order, with variant, product and prices.</summary>
    public Task<IReadOnlyList<JsonElement>> QueryProductSizesAsync(CentraPageRequest request, CancellationToken cancellationToken) =>
        ListAsync("ProductSizes", "productSizes", Queries.ProductSizes, request.Limit,
            w => WriteWindow(w, "SKU", request.AfterKey is null ? null : JsonString(request.AfterKey), request, "updatedAt"), cancellationToken);

    /// <summary>One size by SKU; null when there is none.</summary>
    public async Task<JsonElement?> GetProductSizeAsync(string sku, CancellationToken cancellationToken) =>
        FirstOrNull(await ListAsync("ProductSizes", "productSizes", Queries.ProductSizes, 1, w => WriteEquals(w, "SKU", sku), cancellationToken));

    /// <summary>Free-to-allocate stock per warehouse of sizes in SKU order (stock has no modification filter).</summary>
    public Task<IReadOnlyList<JsonElement>> QueryStockAsync(string? afterSku, int limit, CancellationToken cancellationToken) =>
        ListAsync("StockLevels", "productSizes", Queries.StockLevels, limit,
            w => WriteWindow(w, "SKU", afterSku is null ? null : JsonString(afterSku), new CentraPageRequest(afterSku, null, null, limit), "updatedAt"),
            cancellationToken);

    /// <summary>Stock of one SKU; null when the SKU does not exist.</summary>
    public async Task<JsonElement?> GetStockAsync(string sku, CancellationToken cancellationToken) =>
        FirstOrNull(await ListAsync("StockLevels", "productSizes", Queries.StockLevels, 1, w => WriteEquals(w, "SKU", sku), cancellationToken));

    /// <summary>The stores (id, name, type: DIRECT_TO_CONSUMER or WHOLESALE).</summary>
    public Task<IReadOnlyList<JsonElement>> GetStoresAsync(CancellationToken cancellationToken) =>
        ListAsync("Stores", "stores", Queries.Stores, limit: null, null, cancellationToken);

    /// <summary>The markets (id, name).</summary>
    public Task<IReadOnlyList<JsonElement>> GetMarketsAsync(CancellationToken cancellationToken) =>
        ListAsync("Markets", "markets", Queries.Markets, limit: null, null, cancellationToken);

    private async Task<IReadOnlyList<JsonElement>> ListAsync(string operation, string field, string query, int? limit,
        Action<Utf8JsonWriter>? where, CancellationToken cancellationToken)
    {
        var data = await ExecuteAsync(operation, query, w =>
        {
            if (where is not null)
            {
                w.WriteStartObject("where");
                where(w);
                w.WriteEndObject();
            }

            if (limit is { } l)
            {
                w.WriteNumber("limit", Math.Clamp(l, 1, CentraClientOptions.MaxPageSize));
            }
        }, cancellationToken);

        if (!data.TryGetProperty(field, out var items) || items.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new CentraException(Core.Contracts.FailureKind.Transient, $"Centra answered {operation} with '{field}' that is not a list.");
        }

        return [.. items.EnumerateArray()];
    }

    private static JsonElement? FirstOrNull(IReadOnlyList<JsonElement> items) => items.Count == 0 ? null : items[0];

    private static void WriteWindow(Utf8JsonWriter w, string keyField, string? keyJson, CentraPageRequest request, string modifiedField)
    {
        if (keyJson is not null)
        {
            w.WriteStartObject(keyField);
            w.WritePropertyName("greaterThan");
            w.WriteRawValue(keyJson);
            w.WriteEndObject();
        }

        if (request.ModifiedFrom is not null || request.ModifiedBefore is not null)
        {
            w.WriteStartObject(modifiedField);
            if (request.ModifiedFrom is { } from)
            {
                w.WriteString("from", GraphQlBody.Timestamp(from));
            }

            if (request.ModifiedBefore is { } before)
            {
                w.WriteString("to", GraphQlBody.Timestamp(before));
            }

            w.WriteEndObject();
        }
    }

    private static void WriteEquals(Utf8JsonWriter w, string field, string valueOrJson)
    {
        w.WriteStartObject(field);
        if (long.TryParse(valueOrJson, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && field is "id" or "number")
        {
            w.WriteNumber("equals", n);
        }
        else
        {
            w.WriteString("equals", valueOrJson);
        }

        w.WriteEndObject();
    }

    /// <summary>Customer ids and order numbers are integers in Centra; anything else cannot be a key of them.</summary>
    private static string? NumericKey(string? key, string what)
    {
        if (key is null)
        {
            return null;
        }

        return long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentException($"'{key}' is not a Centra {what} (an integer).", nameof(key));
    }

    private static string JsonString(string value) => JsonSerializer.Serialize(value, CentraJsonContext.Default.String);

    /// <summary>The consent field is spliced into the query text, so only a plain GraphQL name is accepted.</summary>
    /// <summary>Field names separated by spaces, each checked to be a GraphQL name.</summary>
    private static string ValidFields(string names) =>
        string.Join(' ', names.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ValidField));

    private static string ValidField(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? name
            : throw new ArgumentException($"'{name}' is not a GraphQL field name.", nameof(name));
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class CentraJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
