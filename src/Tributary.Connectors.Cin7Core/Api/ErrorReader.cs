using System.Text.Json;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Cin7Core.Api;

/// <summary>
/// Turns a failed answer into a <see cref="Cin7CoreException"/>. Bodies are read defensively: Cin7 Core writes
/// <c>{ErrorCode, Exception}</c> alone, inside an array, or as an <c>Errors</c> list, and gateways answer HTML or nothing.
/// </summary>
internal static class ErrorReader
{
    private const int MaxErrorBody = 64 * 1024;
    private const int MaxMessage = 300;

    /// <summary>Null for a 2xx answer; otherwise the classified failure.</summary>
    public static async Task<Cin7CoreException?> ReadAsync(HttpResponseMessage response, string operation, TimeSpan rateLimitedWait,
        CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var status = (int)response.StatusCode;
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            body = [];
        }

        var (code, message) = FirstError(body.Length > MaxErrorBody ? body[..MaxErrorBody] : body);
        var kind = Cin7CoreException.Classify(status, code);
        return new Cin7CoreException(kind, Describe(kind, status, message, operation), status,
            code?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            kind == FailureKind.RateLimited ? rateLimitedWait : null);
    }

    /// <summary>The first <c>{ErrorCode, Exception}</c> in a body, wherever it sits.</summary>
    public static (int? Code, string? Message) FirstError(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || (trimmed[0] != (byte)'{' && trimmed[0] != (byte)'['))
        {
            return (null, null);
        }

        try
        {
            var reader = new Utf8JsonReader(trimmed);
            using var doc = JsonDocument.ParseValue(ref reader);
            return Find(doc.RootElement);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static (int? Code, string? Message) Find(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    var found = Find(item);
                    if (found.Code is not null || found.Message is not null)
                    {
                        return found;
                    }
                }

                return (null, null);
            case JsonValueKind.Object:
                if (Property(e, "Errors") is { ValueKind: JsonValueKind.Array } errors)
                {
                    return Find(errors);
                }

                int? code = Property(e, "ErrorCode") is { } c && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
                var message = Property(e, "Exception") is { ValueKind: JsonValueKind.String } m ? m.GetString() : null;
                return (code, message is { Length: > MaxMessage } ? message[..MaxMessage] + "…" : message);
            default:
                return (null, null);
        }
    }

    private static JsonElement? Property(JsonElement e, string name)
    {
        foreach (var p in e.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }

        return null;
    }

    private static string Describe(FailureKind kind, int status, string? message, string operation)
    {
        var detail = message is null ? string.Empty : $": {message}";
        return kind switch
        {
            FailureKind.Auth =>
                $"Cin7 Core refused the credentials while reading {operation} (HTTP {status}{detail}). Fix: check AccountId and ApplicationKey (Integrations > API in Cin7 Core), and that the API application is still active.",
            FailureKind.RateLimited =>
                $"Cin7 Core rate-limited {operation} (HTTP {status}{detail}); the account allows 60 calls per minute per API application.",
            FailureKind.NotFound => $"Cin7 Core found nothing for {operation} (HTTP {status}{detail}).",
            FailureKind.Config =>
                $"Cin7 Core refused the {operation} call (HTTP {status}{detail}). Fix: check BaseUrl (…/ExternalApi/v2/) and AvailabilityPath.",
            FailureKind.Invalid => $"Cin7 Core refused the {operation} request as invalid (HTTP {status}{detail}).",
            _ => $"Cin7 Core answered HTTP {status} to {operation}{detail}",
        };
    }
}
