using System.Text.Json;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Commercetools.Api;

/// <summary>What was being done when a call failed, for a message an operator can act on.</summary>
/// <param name="Operation">E.g. "read customers".</param>
/// <param name="RequiredScope">The scope the call needs, without the project suffix.</param>
/// <param name="ProjectKey">The project.</param>
/// <param name="Host">The host called.</param>
/// <param name="IsTokenCall">True for the token endpoint.</param>
/// <param name="RequestedScopes">Scopes requested on the token call.</param>
internal sealed record ErrorContext(string Operation, string? RequiredScope, string ProjectKey, string Host, bool IsTokenCall = false,
    string? RequestedScopes = null)
{
    public static ErrorContext Token(CommercetoolsClientOptions o) =>
        new("fetch an access token", null, o.ProjectKey, o.AuthUrl.Host, IsTokenCall: true, RequestedScopes: string.Join(' ', o.QualifiedScopes));

    public static ErrorContext Api(CommercetoolsClientOptions o, string operation, string? scope) => new(operation, scope, o.ProjectKey, o.ApiUrl.Host);
}

/// <summary>Turns an error response into a <see cref="CommercetoolsException"/>; bodies are parsed defensively (gateways answer HTML).</summary>
internal static class ErrorReader
{
    private const int MaxErrorBody = 64 * 1024;

    public static async Task<CommercetoolsException> ReadAsync(HttpResponseMessage response, ErrorContext context, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await ReadBodyAsync(response, cancellationToken);
        var (code, message) = Parse(body);
        var kind = CommercetoolsException.Classify(status, code);
        var requestId = response.Headers.TryGetValues("X-Correlation-ID", out var ids) ? ids.FirstOrDefault() : null;
        return new CommercetoolsException(kind, Describe(kind, status, code, message, context), status, code, requestId, RetryAfter(response));
    }

    /// <summary>The delay a 429 or 503 announces, from <c>Retry-After</c> as seconds or as a date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date && response.Headers.Date is { } now)
        {
            return date > now ? date - now : TimeSpan.Zero;
        }

        return null;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return bytes.Length > MaxErrorBody ? bytes[..MaxErrorBody] : bytes;
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    private static (string? Code, string? Message) Parse(byte[] body)
    {
        var trimmed = body.AsSpan().TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || trimmed[0] != (byte)'{')
        {
            return (null, null);
        }

        try
        {
            var error = JsonSerializer.Deserialize(trimmed, CommercetoolsJsonContext.Default.ErrorResponse);
            var first = error?.Errors is { Count: > 0 } errors ? errors[0] : null;
            return (first?.Code ?? error?.Error, first?.Message ?? error?.Message ?? error?.ErrorDescription);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string Describe(FailureKind kind, int status, string? code, string? message, ErrorContext c)
    {
        var what = code is null ? $"HTTP {status}" : $"HTTP {status} {code}";
        return kind switch
        {
            FailureKind.Auth when c.IsTokenCall =>
                $"commercetools rejected the API client credentials ({what}). Fix: check ClientId and ClientSecret, and that AuthUrl ({c.Host}) is the auth host of the project's region.",
            FailureKind.Auth =>
                $"commercetools rejected the access token while trying to {c.Operation} ({what}), even after fetching a new one. Fix: check that the API client still exists and that ApiUrl and AuthUrl are in the same region.",
            FailureKind.Config when c.IsTokenCall =>
                $"commercetools refused the token request ({what}: {message}). Fix: request only scopes the API client holds (requested: '{c.RequestedScopes}'), or leave Scopes empty to receive all of them.",
            FailureKind.Config =>
                $"The API client may not {c.Operation} in project '{c.ProjectKey}' ({what}{(message is null ? "" : $": {message}")}). Fix: give the API client the scope {c.RequiredScope ?? "needed"}:{c.ProjectKey} (Merchant Center > Settings > Developer settings > API clients), add it to source.commercetools.scopes in the config if that key is set, and check that source.commercetools.projectKey is the project's key.",
            FailureKind.NotFound =>
                $"commercetools found nothing to {c.Operation} ({what}: {message}). Check ProjectKey '{c.ProjectKey}' and ApiUrl ({c.Host}).",
            _ => $"commercetools answered {what} while trying to {c.Operation}{(message is null ? "." : $": {message}")}",
        };
    }
}
