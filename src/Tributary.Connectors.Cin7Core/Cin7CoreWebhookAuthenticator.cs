using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tributary.Core.Model;

namespace Tributary.Connectors.Cin7Core;

/// <summary>How the webhook was registered in Cin7 Core (<c>ExternalAuthorizationType</c> plus static headers).</summary>
public enum Cin7CoreWebhookAuthMode
{
    /// <summary>A custom header (<c>ExternalHeaders</c>) carrying a long random secret: the recommended setup.</summary>
    Header,
    /// <summary><c>basicauth</c>: <c>Authorization: Basic base64(user:password)</c>.</summary>
    Basic,
    /// <summary><c>bearerauth</c>: <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    Bearer,
}

/// <summary>Outcome of authenticating one webhook call.</summary>
public enum Cin7CoreWebhookStatus
{
    /// <summary>The configured credentials were present and right.</summary>
    Valid,
    /// <summary>No credentials where the configuration expects them.</summary>
    Missing,
    /// <summary>Credentials present but not the configured ones.</summary>
    Wrong,
}

/// <summary>One change Cin7 Core announced: a hint to re-read, never the state itself.</summary>
/// <param name="EventType">Cin7 Core's event type, e.g. <c>Sale/ShipmentAuthorised</c>.</param>
/// <param name="Entity">The canonical kind to re-read by <paramref name="Id"/>; null when the event addresses nothing this source reads by key.</param>
/// <param name="Id">The key to re-read (sale or customer id, or SKU), or the id the event carried.</param>
public sealed record Cin7CoreWebhookHint(string EventType, EntityKind? Entity, string? Id);

/// <summary>A classified authentication result with the hints parsed from the body when valid.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Hints">The announced changes (empty unless valid, and empty when the body could not be read: the sweep catches up).</param>
/// <param name="Reason">Why it is not valid, or why no hint was read, for the log (no secret, no personal data).</param>
public sealed record Cin7CoreWebhookResult(Cin7CoreWebhookStatus Status, IReadOnlyList<Cin7CoreWebhookHint> Hints, string? Reason = null)
{
    /// <summary>True when the call may be acted on.</summary>
    public bool IsValid => Status == Cin7CoreWebhookStatus.Valid;
}

/// <summary>Settings of webhook authentication: the credentials given to Cin7 Core when the webhook was registered.</summary>
public sealed class Cin7CoreWebhookOptions
{
    /// <summary>Default custom header name.</summary>
    public const string DefaultHeaderName = "X-Tributary-Webhook-Key";

    /// <summary>Which kind of credentials the webhook carries.</summary>
    public Cin7CoreWebhookAuthMode Mode { get; set; } = Cin7CoreWebhookAuthMode.Header;

    /// <summary>The custom header's name (<see cref="Cin7CoreWebhookAuthMode.Header"/>).</summary>
    public string HeaderName { get; set; } = DefaultHeaderName;

    /// <summary>The header value, or the bearer token. Never logged.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>Basic auth user name.</summary>
    public string UserName { get; set; } = string.Empty;

    /// <summary>Basic auth password. Never logged.</summary>
    public string Password { get; set; } = string.Empty;
}

/// <summary>
/// Authenticates Cin7 Core webhook calls. Cin7 Core signs nothing: a call carries the static header, Basic credentials or
/// bearer token configured at registration, so that is what is checked, in constant time (both sides are hashed first, so
/// neither content nor length leaks through timing). The body only yields hints (entity and id to re-read); it is never
/// trusted as state.
/// </summary>
public sealed class Cin7CoreWebhookAuthenticator
{
    private readonly Cin7CoreWebhookOptions _options;
    private readonly byte[] _expected;

    /// <summary>Creates an authenticator.</summary>
    public Cin7CoreWebhookAuthenticator(Cin7CoreWebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var credential = options.Mode switch
        {
            Cin7CoreWebhookAuthMode.Basic => string.IsNullOrEmpty(options.UserName) || string.IsNullOrEmpty(options.Password)
                ? throw new ArgumentException("Basic webhook auth needs UserName and Password.", nameof(options))
                : $"{options.UserName}:{options.Password}",
            _ => string.IsNullOrEmpty(options.Secret)
                ? throw new ArgumentException("The webhook secret is required.", nameof(options))
                : options.Secret,
        };
        if (options.Mode == Cin7CoreWebhookAuthMode.Header && string.IsNullOrWhiteSpace(options.HeaderName))
        {
            throw new ArgumentException("HeaderName is required for header auth.", nameof(options));
        }

        _options = options;
        _expected = SHA256.HashData(Encoding.UTF8.GetBytes(credential));
    }

    /// <summary>Authenticates one call; <paramref name="header"/> looks a request header up by name (case-insensitive), null when absent.</summary>
    public Cin7CoreWebhookResult Authenticate(Func<string, string?> header, ReadOnlySpan<byte> rawBody)
    {
        ArgumentNullException.ThrowIfNull(header);
        var (presented, missingReason) = Presented(header);
        if (presented is null)
        {
            return new Cin7CoreWebhookResult(Cin7CoreWebhookStatus.Missing, [], missingReason);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (!CryptographicOperations.FixedTimeEquals(hash, _expected))
        {
            return new Cin7CoreWebhookResult(Cin7CoreWebhookStatus.Wrong, [], "the credentials do not match the ones configured for this webhook");
        }

        return Parse(rawBody);
    }

    /// <summary>Authenticates one call from a header dictionary and the body text.</summary>
    public Cin7CoreWebhookResult Authenticate(IReadOnlyDictionary<string, string> headers, string rawBody)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Authenticate(name => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value,
            Encoding.UTF8.GetBytes(rawBody ?? string.Empty));
    }

    private (string? Presented, string? Reason) Presented(Func<string, string?> header)
    {
        if (_options.Mode == Cin7CoreWebhookAuthMode.Header)
        {
            var value = header(_options.HeaderName);
            return string.IsNullOrEmpty(value) ? (null, $"no {_options.HeaderName} header") : (value.Trim(), null);
        }

        var authorization = header("Authorization");
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return (null, "no Authorization header");
        }

        var scheme = _options.Mode == Cin7CoreWebhookAuthMode.Basic ? "Basic " : "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            // Another scheme is a credential, just not the configured one.
            return (string.Empty, null);
        }

        var value2 = authorization[scheme.Length..].Trim();
        if (_options.Mode == Cin7CoreWebhookAuthMode.Bearer)
        {
            return (value2, null);
        }

        try
        {
            return (Encoding.UTF8.GetString(Convert.FromBase64String(value2)), null);
        }
        catch (FormatException)
        {
            return (string.Empty, null);
        }
    }

    /// <summary>
    /// Reads hints: thin notifications (<c>{EventType, SaleID…}</c>, or a list of them) name a sale or customer to re-read;
    /// <c>Stock/AvailableStockLevelChanged</c> posts a bare array of stock rows, each naming a SKU. Field sets are unconfirmed,
    /// so anything unreadable gives no hint rather than a refusal: the sweep catches up.
    /// </summary>
    private static Cin7CoreWebhookResult Parse(ReadOnlySpan<byte> rawBody)
    {
        try
        {
            var reader = new Utf8JsonReader(rawBody);
            using var doc = JsonDocument.ParseValue(ref reader);
            var hints = new List<Cin7CoreWebhookHint>();
            var items = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList() : [doc.RootElement];
            foreach (var item in items.Where(i => i.ValueKind == JsonValueKind.Object))
            {
                hints.Add(Hint(item));
            }

            return new Cin7CoreWebhookResult(Cin7CoreWebhookStatus.Valid, hints, hints.Count == 0 ? "the body names nothing to re-read" : null);
        }
        catch (JsonException)
        {
            return new Cin7CoreWebhookResult(Cin7CoreWebhookStatus.Valid, [], "the body is not JSON; the next sweep catches up");
        }
    }

    private static Cin7CoreWebhookHint Hint(JsonElement e)
    {
        var type = Text(e, "EventType") ?? Text(e, "Type");
        if (Text(e, "SaleID") is { } sale)
        {
            return new Cin7CoreWebhookHint(type ?? "Sale", EntityKind.Order, sale.ToLowerInvariant());
        }

        if (Text(e, "CustomerID") is { } customer)
        {
            return new Cin7CoreWebhookHint(type ?? "Customer", EntityKind.Customer, customer.ToLowerInvariant());
        }

        if (Text(e, "SKU") is { } sku)
        {
            var stock = type is null || type.StartsWith("Stock", StringComparison.OrdinalIgnoreCase);
            return new Cin7CoreWebhookHint(type ?? "Stock/AvailableStockLevelChanged", stock ? EntityKind.Stock : EntityKind.Product, sku);
        }

        var id = Text(e, "ProductID") ?? Text(e, "ID");
        return type is not null && type.StartsWith("Customer", StringComparison.OrdinalIgnoreCase) && id is not null
            ? new Cin7CoreWebhookHint(type, EntityKind.Customer, id.ToLowerInvariant())
            : new Cin7CoreWebhookHint(type ?? "unknown", null, id);
    }

    private static string? Text(JsonElement e, string name)
    {
        foreach (var p in e.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? p.Value.ToString().Trim() : null;
            }
        }

        return null;
    }
}
