using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Centra;

public sealed partial class CentraEmulator
{
    private delegate IResult Resolver(JsonElement variables, int limit);

    /// <summary>Resolves the fixed operations by name; the query must name the operation's root field.</summary>
    private async Task<IResult> ResolveAsync(HttpContext http)
    {
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
        }
        catch (JsonException)
        {
            return CentraResults.Errors(StatusCodes.Status400BadRequest, "graphql", "Syntax Error: the request body is not JSON.");
        }

        using (body)
        {
            var root = body.RootElement;
            var query = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String
                ? q.GetString()!
                : null;
            if (query is null)
            {
                return CentraResults.Errors(StatusCodes.Status200OK, "graphql", "Syntax Error: no query given.");
            }

            var operation = root.TryGetProperty("operationName", out var op) && op.ValueKind == JsonValueKind.String ? op.GetString() : null;
            var variables = root.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
            var (field, permission, resolver) = operation switch
            {
                "Customers" => ("customers", "Customer:read", (Resolver)ResolveCustomers),
                "Orders" => ("orders", "Order:read", ResolveOrders),
                "ProductSizes" => ("productSizes", "Product:read", ResolveProductSizes),
                "StockLevels" => ("productSizes", "Warehouse.stock:read", ResolveStock),
                "Stores" => ("stores", "Store:read", (Resolver)((_, _) => ResolveStores())),
                "Markets" => ("markets", "Market:read", (_, _) => ResolveMarkets()),
                "RateLimits" => ("rateLimits", null, (_, _) => ResolveRateLimits()),
                _ => (null, null, null),
            };

            if (field is null || resolver is null || !query.Contains(field, StringComparison.Ordinal))
            {
                var name = operation ?? "(anonymous)";
                return CentraResults.Errors(StatusCodes.Status200OK, "graphql",
                    $"Cannot query field \"{name}\" on type \"Query\". (This emulator resolves a fixed set of operations.)");
            }

            if (permission is not null && !Options.Permissions.Contains(permission))
            {
                return CentraResults.Errors(StatusCodes.Status200OK, "authorization", $"You need {permission} permission to access {field}.", field);
            }

            var limit = 100;
            if (variables.ValueKind == JsonValueKind.Object && variables.TryGetProperty("limit", out var l))
            {
                if (!l.TryGetInt32(out limit) || limit < 1 || limit > Options.MaxLimit)
                {
                    return CentraResults.Errors(StatusCodes.Status200OK, "graphql", $"limit must be between 1 and {Options.MaxLimit}.", field);
                }
            }

            var where = variables.ValueKind == JsonValueKind.Object && variables.TryGetProperty("where", out var w) && w.ValueKind == JsonValueKind.Object
                ? w
                : default;
            try
            {
                lock (_gate)
                {
                    return resolver(where, limit);
                }
            }
            catch (FormatException e)
            {
                return CentraResults.Errors(StatusCodes.Status200OK, "graphql", $"Invalid filter value: {e.Message}", field);
            }
        }
    }

    private IResult ResolveCustomers(JsonElement where, int limit)
    {
        var (after, equals) = KeyFilter(where, "id");
        var email = where.ValueKind == JsonValueKind.Object && where.TryGetProperty("email", out var e) && e.TryGetProperty("equals", out var ev)
            ? ev.GetString()
            : null;
        var (from, to) = Window(where, "updatedAt");
        var page = _customers.Values
            .Where(c => after is null || c.Id > long.Parse(after, CultureInfo.InvariantCulture))
            .Where(c => equals is null || c.Id == long.Parse(equals, CultureInfo.InvariantCulture))
            .Where(c => email is null || string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase))
            .Where(c => (from is null || c.UpdatedAt >= from) && (to is null || c.UpdatedAt <= to))
            .Take(limit).ToList();
        return CentraResults.Data(w =>
        {
            w.WriteStartArray("customers");
            foreach (var c in page)
            {
                WriteCustomer(w, c);
            }

            w.WriteEndArray();
        }, 1 + page.Count, ["Customer:read"]);
    }

    private IResult ResolveOrders(JsonElement where, int limit)
    {
        var (after, equals) = KeyFilter(where, "number");
        var (from, to) = Window(where, "updatedAt");
        var page = _orders.Values
            .Where(o => after is null || o.Number > long.Parse(after, CultureInfo.InvariantCulture))
            .Where(o => equals is null || o.Number == long.Parse(equals, CultureInfo.InvariantCulture))
            .Where(o => (from is null || o.UpdatedAt >= from) && (to is null || o.UpdatedAt <= to))
            .Take(limit).ToList();
        return CentraResults.Data(w =>
        {
            w.WriteStartArray("orders");
            foreach (var o in page)
            {
                WriteOrder(w, o);
            }

            w.WriteEndArray();
        }, 1 + (page.Count * 5), ["Order:read"]);
    }

    private IResult ResolveProductSizes(JsonElement where, int limit) => ResolveSizes(where, limit, stockOnly: false);

    private IResult ResolveStock(JsonElement where, int limit) => ResolveSizes(where, limit, stockOnly: true);

    private IResult ResolveSizes(JsonElement where, int limit, bool stockOnly)
    {
        var (after, equals) = KeyFilter(where, "SKU");
        var (from, to) = Window(where, "updatedAt");
        var page = _products
            .SelectMany(p => p.Variants.SelectMany(v => v.Sizes.Select(s => (Product: p, Variant: v, Size: s))))
            .Where(x => after is null || string.CompareOrdinal(x.Size.Sku, after) > 0)
            .Where(x => equals is null || x.Size.Sku == equals)
            .Where(x => (from is null || x.Size.UpdatedAt >= from) && (to is null || x.Size.UpdatedAt <= to))
            .OrderBy(x => x.Size.Sku, StringComparer.Ordinal)
            .Take(limit).ToList();
        return CentraResults.Data(w =>
        {
            w.WriteStartArray("productSizes");
            foreach (var (product, variant, size) in page)
            {
                if (stockOnly)
                {
                    WriteStock(w, size);
                }
                else
                {
                    WriteSize(w, product, variant, size);
                }
            }

            w.WriteEndArray();
        }, 1 + (page.Count * 2), [stockOnly ? "Warehouse.stock:read" : "Product:read"]);
    }

    private IResult ResolveStores() => CentraResults.Data(w =>
    {
        w.WriteStartArray("stores");
        foreach (var s in Stores)
        {
            w.WriteStartObject();
            w.WriteNumber("id", s.Id);
            w.WriteString("name", s.Name);
            w.WriteString("type", s.Type);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }, 1 + Stores.Count, ["Store:read"]);

    private IResult ResolveMarkets() => CentraResults.Data(w =>
    {
        w.WriteStartArray("markets");
        foreach (var m in Markets)
        {
            w.WriteStartObject();
            w.WriteNumber("id", m.Id);
            w.WriteString("name", m.Name);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }, 1 + Markets.Count, ["Market:read"]);

    private IResult ResolveRateLimits()
    {
        var (used, remaining, hourUsed) = _limiter.Snapshot();
        return CentraResults.Data(w =>
        {
            w.WriteStartArray("rateLimits");
            WriteLimit(w, "REQUEST_COUNT", "TEN_SECONDS", Options.RequestsPerWindow, used, remaining);
            WriteLimit(w, "REQUEST_COUNT", "ONE_HOUR", Options.RequestsPerHour, hourUsed, Math.Max(0, Options.RequestsPerHour - hourUsed));
            WriteLimit(w, "QUERY_COMPLEXITY", "TEN_SECONDS", 250_000, 0, 250_000);
            WriteLimit(w, "QUERY_COMPLEXITY", "ONE_HOUR", 30_000_000, 0, 30_000_000);
            WriteLimit(w, "MUTATION_COUNT", "TEN_SECONDS", 20, 0, 20);
            WriteLimit(w, "MUTATION_COUNT", "ONE_HOUR", 1_800, 0, 1_800);
            w.WriteEndArray();
        }, 1, []);
    }

    private static void WriteLimit(Utf8JsonWriter w, string type, string interval, long quota, long used, long remaining)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteString("intervalSeconds", interval);
        w.WriteNumber("quota", quota);
        w.WriteNumber("usedQuota", used);
        w.WriteNumber("remainingQuota", remaining);
        w.WriteEndObject();
    }

    /// <summary><c>{field: {greaterThan: x}}</c> and <c>{field: {equals: x}}</c>, values as text.</summary>
    private static (string? After, string? EqualTo) KeyFilter(JsonElement where, string field)
    {
        if (where.ValueKind != JsonValueKind.Object || !where.TryGetProperty(field, out var f) || f.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        return (f.TryGetProperty("greaterThan", out var g) ? Scalar(g) : null, f.TryGetProperty("equals", out var e) ? Scalar(e) : null);
    }

    /// <summary><c>{updatedAt: {from, to}}</c>, both inclusive; DateTimeTz or "yyyy-MM-dd HH:mm:ss" (read as UTC).</summary>
    private static (DateTimeOffset? From, DateTimeOffset? To) Window(JsonElement where, string field)
    {
        if (where.ValueKind != JsonValueKind.Object || !where.TryGetProperty(field, out var f) || f.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        return (f.TryGetProperty("from", out var a) ? ParseTime(a) : null, f.TryGetProperty("to", out var b) ? ParseTime(b) : null);
    }

    private static DateTimeOffset ParseTime(JsonElement e) =>
        DateTimeOffset.Parse(e.GetString() ?? throw new FormatException("a date is null"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Number => e.GetRawText(),
        _ => throw new FormatException($"expected a string or a number, got {e.ValueKind}"),
    };
}
