using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;

namespace Tributary.Host.Server;

/// <summary>
/// <c>POST /subscriptions/back-in-stock</c>: a shop page's "notify me" button. The request names a publishable key
/// (<c>X-Storefront-Key</c>), comes from an allowed origin (a browser's <c>Origin</c>; calls without one, from a shop's own
/// server, are taken), stays under the per-address rate limit and the body limit, and carries
/// <c>{"sku": "…", "customerId": "…"}</c> or <c>{"sku": "…", "email": "…"}</c>. Every refusal is a 4xx with the reason.
/// </summary>
internal static class StorefrontEndpoints
{
    public const string Path = "/subscriptions/back-in-stock";
    private const int MaxField = 256;

    public static void Map(WebApplication app, PipelineRuntime runtime, StorefrontConfig config, ILogger logger)
    {
        var limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = config.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        app.Lifetime.ApplicationStopped.Register(limiter.Dispose);

        app.MapMethods(Path, ["OPTIONS"], (HttpContext context) =>
        {
            if (AllowedOrigin(context, config) is not { } origin)
            {
                return Refuse("origin_not_allowed", "this origin is not in storefront.origins", StatusCodes.Status403Forbidden);
            }

            Cors(context, origin);
            context.Response.Headers.AccessControlAllowMethods = "POST";
            context.Response.Headers.AccessControlAllowHeaders = "Content-Type, X-Storefront-Key";
            context.Response.Headers.AccessControlMaxAge = "600";
            return Results.NoContent();
        });

        app.MapPost(Path, async (HttpContext context) =>
        {
            using var lease = limiter.AttemptAcquire(context);
            if (!lease.IsAcquired)
            {
                context.Response.Headers.RetryAfter = "60";
                return Refuse("rate_limited", $"more than {config.RequestsPerMinute} requests a minute from this address", StatusCodes.Status429TooManyRequests);
            }

            if (AllowedOrigin(context, config) is not { } origin)
            {
                return Refuse("origin_not_allowed", "this origin is not in storefront.origins", StatusCodes.Status403Forbidden);
            }

            Cors(context, origin);
            var key = context.Request.Headers["X-Storefront-Key"].ToString();
            if (key.Length == 0 || !config.Keys.Any(k => Tributary.Core.Rules.Secrets.Same(key, k)))
            {
                return Refuse("wrong_key", "the X-Storefront-Key header is missing or names no storefront", StatusCodes.Status401Unauthorized);
            }

            if (context.Request.ContentLength > StorefrontConfig.MaxBodyBytes)
            {
                return Refuse("body_too_large", $"the body is over {StorefrontConfig.MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);
            }

            var body = new byte[StorefrontConfig.MaxBodyBytes + 1];
            var read = 0;
            int n;
            while (read < body.Length && (n = await context.Request.Body.ReadAsync(body.AsMemory(read), context.RequestAborted)) > 0)
            {
                read += n;
            }

            if (read > StorefrontConfig.MaxBodyBytes)
            {
                return Refuse("body_too_large", $"the body is over {StorefrontConfig.MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);
            }

            if (Parse(body.AsSpan(0, read), out var sku, out var customerId, out var email) is { } invalid)
            {
                return Refuse("invalid_request", invalid, StatusCodes.Status400BadRequest);
            }

            var outcome = await runtime.Pipeline.SubscribeBackInStockAsync(sku!, customerId, email, context.RequestAborted);
            logger.LogInformation("Back-in-stock request for {Sku}: {Outcome}", sku, outcome);
            return outcome switch
            {
                NotifyMeOutcome.Subscribed => Results.Json(new StorefrontAnswer("subscribed", null), statusCode: StatusCodes.Status201Created),
                NotifyMeOutcome.AlreadySubscribed => Results.Json(new StorefrontAnswer("already_subscribed", null)),
                NotifyMeOutcome.UnknownSku => Refuse("unknown_sku", "no product or stock with this SKU is known", StatusCodes.Status404NotFound),
                _ => Refuse("unknown_contact", "no synced customer has this id or email address", StatusCodes.Status422UnprocessableEntity),
            };
        });
    }

    /// <summary>The origin to allow: the request's own when listed, "" for a call without one; null when refused.</summary>
    private static string? AllowedOrigin(HttpContext context, StorefrontConfig config)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return string.Empty;
        }

        return config.Origins.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase) ? origin : null;
    }

    private static void Cors(HttpContext context, string origin)
    {
        if (origin.Length > 0)
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.Vary = "Origin";
        }
    }

    private static string? Parse(ReadOnlySpan<byte> body, out string? sku, out string? customerId, out string? email)
    {
        (sku, customerId, email) = (null, null, null);
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "the body must be a JSON object";
            }

            sku = Text(root, "sku");
            customerId = Text(root, "customerId");
            email = Text(root, "email");
            if (sku is null)
            {
                return $"'sku' must be a text of 1 to {MaxField} characters";
            }

            if ((customerId is null) == (email is null))
            {
                return "name the shopper by 'customerId' or by 'email' (one of them)";
            }

            if (email is not null && !Tributary.Core.Rules.EmailRule.TryNormalize(email, out email, out var reason))
            {
                return $"'email' is not an address: {reason}";
            }

            return null;
        }
        catch (JsonException)
        {
            return "the body is not valid JSON";
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= MaxField } text
        && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    private static IResult Refuse(string error, string reason, int status) => Results.Json(new StorefrontAnswer(error, reason), statusCode: status);
}

/// <summary>The answer of a storefront endpoint.</summary>
/// <param name="Status">What happened, or the error code.</param>
/// <param name="Reason">Why it was refused, in words.</param>
internal sealed record StorefrontAnswer(string Status, string? Reason);
