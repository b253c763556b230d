using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Tributary.Host.Configuration;

namespace Tributary.Host.Server.Dashboard;

/// <summary>
/// The dashboard's gate: a bearer token (sent as a header, or given once as ?token= and then kept in an HttpOnly, same-site
/// cookie) or basic auth, as configured. Every comparison takes constant time.
/// </summary>
public sealed class DashboardAuth(DashboardConfig config)
{
    /// <summary>The cookie that carries the token after the first visit.</summary>
    public const string CookieName = "tributary_dashboard";

    /// <summary>True when basic auth is configured (a refused page request then asks the browser for it).</summary>
    public bool UsesBasic => config.User is { Length: > 0 } && config.Password is { Length: > 0 };

    /// <summary>True when the request carries a valid token or user and password.</summary>
    public bool IsAuthorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (config.Token is { Length: > 0 } token)
        {
            if (header.StartsWith("Bearer ", StringComparison.Ordinal) && Same(header["Bearer ".Length..], token))
            {
                return true;
            }

            if (context.Request.Cookies.TryGetValue(CookieName, out var cookie) && Same(cookie, token))
            {
                return true;
            }
        }

        return UsesBasic && header.StartsWith("Basic ", StringComparison.Ordinal)
            && Same(header, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{config.User}:{config.Password}")));
    }

    /// <summary>True when <paramref name="given"/> is the configured token.</summary>
    public bool IsToken(string? given) => config.Token is { Length: > 0 } token && given is not null && Same(given, token);

    /// <summary>Keeps the token in a cookie so the page and its API calls need no token in the URL.</summary>
    public void SetCookie(HttpContext context, string token) => context.Response.Cookies.Append(CookieName, token, new CookieOptions
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
    });

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
