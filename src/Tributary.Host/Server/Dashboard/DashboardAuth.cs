using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Tributary.Core.Rules;
using Tributary.Host.Configuration;

namespace Tributary.Host.Server.Dashboard;

/// <summary>
/// The dashboard's gate (and, with <c>server.metricsAuth</c>, the one of <c>/metrics</c>): a bearer token (sent as a header, or
/// given once as ?token= and then kept in an HttpOnly, same-site cookie) or basic auth, as configured. Every comparison takes
/// constant time over hashes (<see cref="Secrets.Same"/>); failed attempts are throttled per client address.
/// </summary>
public sealed class DashboardAuth : IDisposable
{
    /// <summary>The cookie that carries the token after the first visit.</summary>
    public const string CookieName = "tributary_dashboard";

    /// <summary>
    /// Failed attempts one client address may make per <see cref="FailureWindow"/> before every attempt from it is refused with
    /// 429 until the window ends, right credentials included. Ten leaves room for typing mistakes and a browser's retries; a
    /// guesser gets ten tries a minute.
    /// </summary>
    public const int FailuresPerWindow = 10;

    /// <summary>The window of <see cref="FailuresPerWindow"/>.</summary>
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(1);

    private readonly DashboardConfig _config;
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = FailuresPerWindow,
            Window = FailureWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Creates the gate for the configured credentials.</summary>
    public DashboardAuth(DashboardConfig config) => _config = config;

    /// <summary>True when basic auth is configured (a refused page request then asks the browser for it).</summary>
    public bool UsesBasic => _config.User is { Length: > 0 } && _config.Password is { Length: > 0 };

    /// <summary>True when the request carries a valid token or user and password.</summary>
    public bool IsAuthorized(HttpContext context) => Check(context) == Access.Granted;

    /// <summary>Whether the request may go on, is refused, or comes from a client that failed too often.</summary>
    public Access Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var client = Client(context);
        if (Throttled(client))
        {
            return Access.Throttled;
        }

        if (Presented(context))
        {
            return Access.Granted;
        }

        Failed(client);
        return Access.Refused;
    }

    /// <summary>True when <paramref name="given"/> is the configured token; a wrong one counts as a failed attempt.</summary>
    public Access CheckToken(HttpContext context, string given)
    {
        ArgumentNullException.ThrowIfNull(context);
        var client = Client(context);
        if (Throttled(client))
        {
            return Access.Throttled;
        }

        if (_config.Token is { Length: > 0 } token && Secrets.Same(given, token))
        {
            return Access.Granted;
        }

        Failed(client);
        return Access.Refused;
    }

    /// <summary>Keeps the token in a cookie so the page and its API calls need no token in the URL.</summary>
    public static void SetCookie(HttpContext context, string token)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
        });
    }

    /// <summary>Answers a throttled client: 429 with the wait.</summary>
    public static IResult TooMany(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = ((int)FailureWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Text("Too many failed sign-ins from this address: wait a minute, then sign in with the configured credentials.",
            "text/plain; charset=utf-8", statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <inheritdoc />
    public void Dispose() => _failures.Dispose();

    private bool Presented(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (_config.Token is { Length: > 0 } token)
        {
            if (header.StartsWith("Bearer ", StringComparison.Ordinal) && Secrets.Same(header["Bearer ".Length..], token))
            {
                return true;
            }

            if (context.Request.Cookies.TryGetValue(CookieName, out var cookie) && Secrets.Same(cookie, token))
            {
                return true;
            }
        }

        return UsesBasic && header.StartsWith("Basic ", StringComparison.Ordinal)
            && Secrets.Same(header, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_config.User}:{_config.Password}")));
    }

    // Asking for no permit tells whether the window still has one, without spending it.
    private bool Throttled(string client)
    {
        using var lease = _failures.AttemptAcquire(client, 0);
        return !lease.IsAcquired;
    }

    private void Failed(string client)
    {
        using var lease = _failures.AttemptAcquire(client, 1);
    }

    // Behind a reverse proxy every client has the proxy's address: the throttle then holds for all of them together.
    private static string Client(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}

/// <summary>What the gate decided for one request.</summary>
public enum Access
{
    /// <summary>The credentials are right.</summary>
    Granted,

    /// <summary>Missing or wrong credentials (counted as a failed attempt).</summary>
    Refused,

    /// <summary>The client failed too often in the window; the credentials were not looked at.</summary>
    Throttled,
}
