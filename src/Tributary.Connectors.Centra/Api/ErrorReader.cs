using System.Text.Json;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Centra.Api;

/// <summary>
/// Turns an HTTP error, or the <c>errors</c> of a GraphQL answer, into a <see cref="CentraException"/>. Bodies are parsed
/// defensively: gateways answer HTML or nothing.
/// </summary>
internal static class ErrorReader
{
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>Null for a 2xx answer; otherwise the classified failure.</summary>
    public static async Task<CentraException?> ReadAsync(HttpResponseMessage response, string operation, DateTimeOffset now,
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

        var (category, message) = FirstError(body.Length > MaxErrorBody ? body[..MaxErrorBody] : body);
        var kind = CentraException.Classify(status, category);
        return new CentraException(kind, Describe(kind, $"HTTP {status}", message, operation), status, category,
            RequestId(response), RetryAfter.Read(response.Headers, now));
    }

    /// <summary>The failure an answer's <c>errors</c> array reports, or null when it has none.</summary>
    public static CentraException? FromGraphQlErrors(JsonElement root, int status, string operation)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
        {
            return null;
        }

        var (category, message) = Read(errors[0]);
        var kind = CentraException.Classify(status, category ?? "unknown");
        return new CentraException(kind, Describe(kind, category is null ? "a GraphQL error" : $"a GraphQL {category} error", message, operation),
            status, category);
    }

    private static (string? Category, string? Message) FirstError(byte[] body)
    {
        var trimmed = body.AsSpan().TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            return (null, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                   && errors.GetArrayLength() > 0
                ? Read(errors[0])
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static (string? Category, string? Message) Read(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var category = error.TryGetProperty("extensions", out var ext) && ext.ValueKind == JsonValueKind.Object
                       && ext.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()
            : null;
        return (category, message);
    }

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;

    private static string Describe(FailureKind kind, string what, string? message, string operation)
    {
        var detail = message is null ? string.Empty : $": {message}";
        return kind switch
        {
            FailureKind.Auth =>
                $"Centra rejected the Integration API token while running {operation} ({what}{detail}). Fix: check Token, and that it has not expired or been revoked (AMS > System > API Tokens).",
            FailureKind.Config when what.Contains("authorization", StringComparison.Ordinal) =>
                $"The Integration API token lacks a permission {operation} needs ({what}{detail}). Fix: add the permission to the token in AMS > System > API Tokens, or set source.centra.token to a token that has it.",
            FailureKind.Config =>
                $"Centra refused the {operation} query ({what}{detail}). Fix: check BaseUrl and that the environment's schema has the fields this connector reads (see the connector README).",
            FailureKind.RateLimited => $"Centra rate-limited {operation} ({what}{detail}).",
            FailureKind.NotFound => $"Centra found nothing for {operation} ({what}{detail}).",
            _ => $"Centra answered {what} to {operation}{detail}",
        };
    }
}
