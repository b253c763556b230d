using Microsoft.AspNetCore.Http;

namespace Tributary.Host.Server;

/// <summary>
/// Headers on every answer of the service's HTTP side. The dashboard is one page whose script and styles are files of its own
/// (no inline script, style or handler), and it fetches only from this host, so the policy allows nothing else: an injected
/// value that slipped through escaping could not run, load or frame anything.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>The Content-Security-Policy of every answer.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static Task Middleware(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    }
}
