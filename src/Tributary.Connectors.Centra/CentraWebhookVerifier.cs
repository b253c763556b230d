using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tributary.Core.Model;

namespace Tributary.Connectors.Centra;

/// <summary>Outcome of verifying one webhook call.</summary>
public enum CentraWebhookStatus
{
    /// <summary>Signed with the secret, recent, and readable.</summary>
    Valid,
    /// <summary>No <c>X-Centra-Signature</c> header (or one without <c>t</c> and <c>v1</c>).</summary>
    MissingSignature,
    /// <summary>The signature does not match: forged, altered, or signed with another secret.</summary>
    BadSignature,
    /// <summary>Correctly signed but outside the replay window.</summary>
    Stale,
    /// <summary>Correctly signed but the body is not <c>payload=&lt;json&gt;</c> with an events list.</summary>
    Malformed,
}

/// <summary>One change Centra announced: a hint to re-read, never the state itself.</summary>
/// <param name="Type">Centra's event type: order, shipment, customer, account, return.</param>
/// <param name="Action">insert, create, update, good_to_go…</param>
/// <param name="Id">The id Centra sent (for orders, the order number).</param>
/// <param name="Entity">The canonical kind to re-read by <paramref name="Id"/>; null when the id does not address a record this
/// source reads by key (shipments and returns carry their own ids: re-read through a sweep).</param>
public sealed record CentraWebhookHint(string Type, string Action, string Id, EntityKind? Entity);

/// <summary>A classified verification result with the parsed hints when valid.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Hints">The announced changes (empty unless valid).</param>
/// <param name="Reason">Why it is not valid, for the log (no secret, no personal data).</param>
public sealed record CentraWebhookResult(CentraWebhookStatus Status, IReadOnlyList<CentraWebhookHint> Hints, string? Reason = null)
{
    /// <summary>True when the call may be acted on.</summary>
    public bool IsValid => Status == CentraWebhookStatus.Valid;
}

/// <summary>Settings of webhook verification.</summary>
public sealed class CentraWebhookOptions
{
    /// <summary>Default replay window: a signed call older (or further in the future) than this is refused.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The endpoint secret configured in the Centra Webhook plugin. Never logged.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>The replay window.</summary>
    public TimeSpan Tolerance { get; set; } = DefaultTolerance;
}

/// <summary>
/// Verifies Centra Webhook plugin calls: <c>X-Centra-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c> where
/// <c>v1 = hex(HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;"))</c> and the raw body is the exact form string
/// <c>payload=&lt;url-encoded JSON&gt;</c>. The signature is checked before anything is parsed, in constant time.
/// </summary>
public sealed class CentraWebhookVerifier
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-Centra-Signature";

    private readonly byte[] _secret;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier.</summary>
    public CentraWebhookVerifier(CentraWebhookOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.Secret))
        {
            throw new ArgumentException("The webhook secret is required.", nameof(options));
        }

        _secret = Encoding.UTF8.GetBytes(options.Secret);
        _tolerance = options.Tolerance;
        _time = timeProvider;
    }

    /// <summary>Computes the <c>v1</c> value for a timestamp and raw body (lower-case hex).</summary>
    public static string ComputeSignature(string secret, long timestamp, ReadOnlySpan<byte> rawBody)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(message, 0);
        rawBody.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>Verifies one call from its signature header value and its raw body bytes.</summary>
    public CentraWebhookResult Verify(string? signatureHeader, ReadOnlySpan<byte> rawBody)
    {
        if (!TryParseHeader(signatureHeader, out var timestamp, out var signatures))
        {
            return Fail(CentraWebhookStatus.MissingSignature, $"no usable {SignatureHeader} header (expected t=<unix seconds>,v1=<hex>)");
        }

        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(message, 0);
        rawBody.CopyTo(message.AsSpan(prefix.Length));
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(_secret, message, expected);

        var matched = false;
        foreach (var candidate in signatures)
        {
            // Every candidate is compared in full, in constant time, whatever the earlier ones gave.
            matched |= candidate.Length == expected.Length && CryptographicOperations.FixedTimeEquals(candidate, expected);
        }

        if (!matched)
        {
            return Fail(CentraWebhookStatus.BadSignature, "the signature does not match the body and the configured secret");
        }

        // Compared in whole seconds, not as dates: a signed t far beyond the calendar (t=99999999999999) is just stale, and
        // neither side of the subtraction can overflow (t is a non-negative long, now is a positive one).
        var ageSeconds = _time.GetUtcNow().ToUnixTimeSeconds() - timestamp;
        if (ageSeconds > (long)_tolerance.TotalSeconds || ageSeconds < -(long)_tolerance.TotalSeconds)
        {
            return Fail(CentraWebhookStatus.Stale, $"signed {ageSeconds} s from now, outside the {_tolerance.TotalSeconds:0} s window");
        }

        return Parse(rawBody);
    }

    /// <summary>Verifies one call given the body as the string it was received as (UTF-8).</summary>
    public CentraWebhookResult Verify(string? signatureHeader, string rawBody) => Verify(signatureHeader, Encoding.UTF8.GetBytes(rawBody ?? string.Empty));

    private static CentraWebhookResult Fail(CentraWebhookStatus status, string reason) => new(status, [], reason);

    private static bool TryParseHeader(string? header, out long timestamp, out List<byte[]> signatures)
    {
        timestamp = 0;
        signatures = [];
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        var hasTime = false;
        foreach (var part in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var (name, value) = (part[..eq], part[(eq + 1)..]);
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
                hasTime = true;
            }
            else if (name == "v1")
            {
                // A value that is not hex still counts as a (wrong) signature, so it reads as BadSignature, not Missing.
                signatures.Add(value.Length == 64 && value.All(Uri.IsHexDigit) ? Convert.FromHexString(value) : []);
            }
        }

        return hasTime && signatures.Count > 0;
    }

    private static CentraWebhookResult Parse(ReadOnlySpan<byte> rawBody)
    {
        var body = Encoding.UTF8.GetString(rawBody);
        string? payload = null;
        foreach (var pair in body.Split('&'))
        {
            if (pair.StartsWith("payload=", StringComparison.Ordinal))
            {
                payload = Uri.UnescapeDataString(pair["payload=".Length..].Replace('+', ' '));
            }
        }

        if (payload is null)
        {
            return Fail(CentraWebhookStatus.Malformed, "the body has no payload= field");
        }

        try
        {
            using var doc = JsonDocument.Parse(payload);
            if (!doc.RootElement.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            {
                return Fail(CentraWebhookStatus.Malformed, "the payload has no events list");
            }

            var hints = new List<CentraWebhookHint>();
            foreach (var e in events.EnumerateArray())
            {
                var type = Scalar(e, "type");
                var id = Scalar(e, "id");
                if (type is null || id is null)
                {
                    return Fail(CentraWebhookStatus.Malformed, "an event has no type or id");
                }

                hints.Add(new CentraWebhookHint(type, Scalar(e, "action") ?? string.Empty, id, type.ToLowerInvariant() switch
                {
                    "order" => EntityKind.Order,
                    "customer" => EntityKind.Customer,
                    _ => null,
                }));
            }

            return new CentraWebhookResult(CentraWebhookStatus.Valid, hints);
        }
        catch (JsonException)
        {
            return Fail(CentraWebhookStatus.Malformed, "the payload is not JSON");
        }
    }

    private static string? Scalar(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;
}
