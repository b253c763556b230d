using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Commercetools;

public sealed partial class CommercetoolsEmulator
{
    private const string ManageProject = "manage_project";
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private long _tokensIssued;

    /// <summary>Tokens issued so far.</summary>
    public long TokensIssued => Interlocked.Read(ref _tokensIssued);

    /// <summary>Makes every issued token invalid, as if each had reached its expiry.</summary>
    public void ExpireAllTokens() => _tokens.Clear();

    private sealed record IssuedToken(DateTimeOffset ExpiresAt, HashSet<string> Scopes);

    private async Task<IResult> IssueTokenAsync(HttpContext http)
    {
        if (!TryReadBasicCredentials(http.Request, out var clientId, out var secret)
            || !FixedTimeEquals(clientId, Options.ClientId) || !FixedTimeEquals(secret, Options.ClientSecret))
        {
            return CtResults.AuthError(StatusCodes.Status401Unauthorized, "invalid_client",
                "Please provide valid client credentials using HTTP Basic Authentication.");
        }

        // The spec declares grant_type and scope as query parameters; the service and its SDKs send a form body. Take either.
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
        var grantType = form?["grant_type"].ToString() is { Length: > 0 } g ? g : http.Request.Query["grant_type"].ToString();
        var scope = form?["scope"].ToString() is { Length: > 0 } s ? s : http.Request.Query["scope"].ToString();
        if (grantType != "client_credentials")
        {
            return CtResults.AuthError(StatusCodes.Status400BadRequest, "unsupported_grant_type",
                $"Invalid grant_type '{grantType}'. Use client_credentials.");
        }

        var granted = new HashSet<string>(StringComparer.Ordinal);
        var requested = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var item in requested)
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? item : item[..colon];
            var project = colon < 0 ? string.Empty : item[(colon + 1)..];
            if (project != Options.ProjectKey || !(Options.Scopes.Contains(name) || Options.Scopes.Contains(ManageProject)))
            {
                return CtResults.AuthError(StatusCodes.Status400BadRequest, "invalid_scope", $"Invalid scope: {item}.");
            }

            granted.Add(item);
        }

        if (granted.Count == 0)
        {
            foreach (var name in Options.Scopes)
            {
                granted.Add($"{name}:{Options.ProjectKey}");
            }
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var lifetime = Options.TokenLifetimeSeconds;
        _tokens[token] = new IssuedToken(Time.GetUtcNow().AddSeconds(lifetime), granted);
        Interlocked.Increment(ref _tokensIssued);
        var scopeText = string.Join(' ', granted);
        return CtResults.Json(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", token);
            w.WriteString("token_type", "Bearer");
            w.WriteNumber("expires_in", lifetime);
            w.WriteString("scope", scopeText);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Checks the bearer token and that it grants one of <paramref name="anyOf"/> (or manage_project) on the project.
    /// Returns the error to answer with, or null when the request may proceed.
    /// </summary>
    private IResult? Authorize(HttpContext http, string projectKey, params string[] anyOf)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !_tokens.TryGetValue(header[7..].Trim(), out var token)
            || Time.GetUtcNow() >= token.ExpiresAt)
        {
            return CtResults.AuthError(StatusCodes.Status401Unauthorized, "invalid_token",
                "The access token is missing, unknown or expired.");
        }

        if (token.Scopes.Contains($"{ManageProject}:{projectKey}") || anyOf.Any(s => token.Scopes.Contains($"{s}:{projectKey}"))
            || (anyOf.Length == 0 && token.Scopes.Any(s => s.EndsWith($":{projectKey}", StringComparison.Ordinal))))
        {
            return null;
        }

        var missing = anyOf.Length == 0 ? $"any scope on project '{projectKey}'" : string.Join(", ", anyOf.Select(s => $"{s}:{projectKey}"));
        return CtResults.Error(StatusCodes.Status403Forbidden, "insufficient_scope",
            $"Insufficient scope. One of the following scopes is missing: {missing}");
    }

    private static bool TryReadBasicCredentials(HttpRequest request, out string clientId, out string secret)
    {
        clientId = secret = string.Empty;
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return false;
            }

            clientId = decoded[..colon];
            secret = decoded[(colon + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
