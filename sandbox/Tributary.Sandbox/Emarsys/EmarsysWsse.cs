using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tributary.Sandbox.Emarsys;

/// <summary>Server side of the Emarsys v2 WSSE scheme: parses the header, checks digest, clock and nonce.</summary>
internal sealed class EmarsysWsse
{
    private readonly EmarsysEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _nonces = new(StringComparer.Ordinal);
    private readonly Queue<(string Nonce, DateTimeOffset Expires)> _expiry = new();

    public EmarsysWsse(EmarsysEmulatorOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Validates a request's header; returns the API user or the reason for a 401.</summary>
    public bool TryAuthenticate(string? header, out string user, out string failure)
    {
        user = string.Empty;
        if (string.IsNullOrWhiteSpace(header) || !TryParse(header, out var p))
        {
            failure = "Unauthorized";
            return false;
        }

        if (!p.TryGetValue("username", out var username) || !p.TryGetValue("passworddigest", out var digest)
            || !p.TryGetValue("nonce", out var nonce) || !p.TryGetValue("created", out var created) || nonce.Length == 0)
        {
            failure = "Unauthorized";
            return false;
        }

        if (!string.Equals(username, _options.User, StringComparison.Ordinal) || !DigestMatches(nonce, created, digest))
        {
            failure = "Unauthorized";
            return false;
        }

        var now = _time.GetUtcNow();
        if (!TryParseCreated(created, out var createdAt) || (now - createdAt).Duration() > _options.MaxClockSkew)
        {
            failure = "Unauthorized Time frame is invalid";
            return false;
        }

        if (!RememberNonce(nonce, now))
        {
            failure = "Unauthorized Nonce is already used";
            return false;
        }

        user = username;
        failure = string.Empty;
        return true;
    }

    private bool DigestMatches(string nonce, string created, string digest)
    {
        // SHA-1 is what the Emarsys WSSE scheme prescribes; nothing here chooses it.
#pragma warning disable CA5350
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(nonce + created + _options.Secret));
#pragma warning restore CA5350
        var hex = Convert.ToHexString(hash).ToLowerInvariant();
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes(hex));
        if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(digest)))
        {
            return true;
        }

        return _options.AcceptBinaryDigest
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToBase64String(hash)), Encoding.ASCII.GetBytes(digest));
    }

    private bool RememberNonce(string nonce, DateTimeOffset now)
    {
        lock (_gate)
        {
            while (_expiry.TryPeek(out var oldest) && oldest.Expires <= now)
            {
                _expiry.Dequeue();
                if (_nonces.TryGetValue(oldest.Nonce, out var exp) && exp == oldest.Expires)
                {
                    _nonces.Remove(oldest.Nonce);
                }
            }

            if (_nonces.ContainsKey(nonce))
            {
                return false;
            }

            var expires = now + _options.NonceLifetime;
            _nonces[nonce] = expires;
            _expiry.Enqueue((nonce, expires));
            return true;
        }
    }

    private static bool TryParseCreated(string created, out DateTimeOffset at)
    {
        // A timestamp without a zone is read as server time (CET/CEST in production); the emulator's server time is UTC.
        return DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture,
            DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out at);
    }

    /// <summary>Parses <c>[UsernameToken ]Name="value", ...</c> with case-insensitive names.</summary>
    internal static bool TryParse(string header, out Dictionary<string, string> parameters)
    {
        parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var span = header.Trim();
        if (span.StartsWith("UsernameToken", StringComparison.OrdinalIgnoreCase))
        {
            span = span["UsernameToken".Length..].TrimStart();
        }

        var i = 0;
        while (i < span.Length)
        {
            while (i < span.Length && (span[i] == ',' || char.IsWhiteSpace(span[i])))
            {
                i++;
            }

            if (i >= span.Length)
            {
                break;
            }

            var eq = span.IndexOf('=', i);
            if (eq < 0)
            {
                return false;
            }

            var name = span[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < span.Length && span[i] == '"')
            {
                var close = span.IndexOf('"', i + 1);
                if (close < 0)
                {
                    return false;
                }

                value = span[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var comma = span.IndexOf(',', i);
                var end = comma < 0 ? span.Length : comma;
                value = span[i..end].Trim();
                i = end;
            }

            parameters[name] = value;
        }

        return parameters.Count > 0;
    }
}
