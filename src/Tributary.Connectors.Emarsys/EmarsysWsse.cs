using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// The Emarsys v2 WSSE signature: <c>Base64(UTF8(lower-hex(SHA1(nonce + created + secret))))</c>. The 40-char hex string is
/// encoded, not the raw 20 bytes, as the official docs, PHP and C# samples and Postman script do.
/// </summary>
public static class EmarsysWsse
{
    /// <summary>The header name Emarsys recommends.</summary>
    public const string HeaderName = "X-WSSE";

    /// <summary>The digest of one request.</summary>
    public static string Digest(string nonce, string created, string secret)
    {
        // SHA-1 is what the protocol prescribes; nothing here chooses it.
#pragma warning disable CA5350
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(nonce + created + secret));
#pragma warning restore CA5350
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(Convert.ToHexString(hash).ToLowerInvariant()));
    }

    /// <summary>A fresh nonce: 16 random bytes as 32 lower-case hex characters.</summary>
    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>The <c>Created</c> value: UTC, ISO 8601, whole seconds, <c>Z</c>.</summary>
    public static string FormatCreated(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The full header value.</summary>
    public static string HeaderValue(string user, string secret, string nonce, string created) =>
        $"UsernameToken Username=\"{user}\", PasswordDigest=\"{Digest(nonce, created, secret)}\", Nonce=\"{nonce}\", Created=\"{created}\"";
}

/// <summary>
/// Signs every attempt with a new nonce and the current time, so a retried request never reuses a nonce. Requests that already
/// carry an <c>Authorization</c> header (the sales-data upload) are left unsigned.
/// </summary>
public sealed class EmarsysWsseHandler : DelegatingHandler
{
    private readonly EmarsysClientOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the handler.</summary>
    public EmarsysWsseHandler(EmarsysClientOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The sales-data upload carries its own bearer token and goes to another host: the API secret's signature stays off it.
        if (request.Headers.Authorization is not null)
        {
            return base.SendAsync(request, cancellationToken);
        }

        request.Headers.Remove(EmarsysWsse.HeaderName);
        var created = EmarsysWsse.FormatCreated(_time.GetUtcNow());
        request.Headers.TryAddWithoutValidation(EmarsysWsse.HeaderName,
            EmarsysWsse.HeaderValue(_options.User, _options.Secret, EmarsysWsse.NewNonce(), created));
        return base.SendAsync(request, cancellationToken);
    }
}
