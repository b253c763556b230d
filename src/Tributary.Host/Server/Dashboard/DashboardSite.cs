using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Core.Contracts;
using Tributary.Host.Composition;

namespace Tributary.Host.Server.Dashboard;

/// <summary>
/// The operations dashboard: one page at /dashboard (plain HTML, CSS and JavaScript embedded in the assembly, charts drawn as
/// inline SVG) and the JSON API it reads under /api: overview, chart series, lane lists, record trace and replay.
/// </summary>
public sealed partial class DashboardSite
{
    /// <summary>Header every POST must carry: a cross-site form cannot set it, so a logged-in browser cannot be made to replay.</summary>
    public const string CsrfHeader = "X-Tributary-Dashboard";

    private readonly PipelineRuntime _runtime;
    private readonly DashboardAuth _auth;
    private readonly PayloadMasker _masker;
    private readonly RecordTrace _trace;
    private readonly DashboardReplay _replay;

    private DashboardSite(PipelineRuntime runtime, TimeProvider time, DashboardAuth auth)
    {
        _runtime = runtime;
        _auth = auth;
        _masker = new PayloadMasker(runtime.Destinations.Select(d => d.Connector));
        Sampler = new DashboardSampler(runtime, time);
        _trace = new RecordTrace(runtime, _masker);
        _replay = new DashboardReplay(runtime, _masker, Sampler);
    }

    /// <summary>The per-minute sampler; the host's loops report their passes to it.</summary>
    public DashboardSampler Sampler { get; }

    /// <summary>Why the dashboard cannot start with this config, or null when it can (or is disabled).</summary>
    public static string? Problem(Tributary.Host.Configuration.TributaryConfig config) =>
        config.Dashboard.Enabled && !config.Dashboard.HasCredentials
            ? "the dashboard is enabled but has no credentials: add 'dashboard: { token: ${DASHBOARD_TOKEN} }' (or 'user:' and " +
              "'password: ${DASHBOARD_PASSWORD}') and set the variable, or turn it off with 'dashboard: { enabled: false }'"
            : null;

    /// <summary>
    /// Maps the page and the API behind <paramref name="auth"/>; null when the dashboard is off. Without credentials the page answers
    /// 503 with the fix.
    /// </summary>
    public static DashboardSite? Map(WebApplication app, PipelineRuntime runtime, TimeProvider time, DashboardAuth auth)
    {
        if (!runtime.Config.Dashboard.Enabled)
        {
            return null;
        }

        if (Problem(runtime.Config) is { } problem)
        {
            app.MapGet("/dashboard", () => Results.Problem(problem, statusCode: StatusCodes.Status503ServiceUnavailable));
            return null;
        }

        var site = new DashboardSite(runtime, time, auth);
        app.MapGet("/dashboard", site.PageAsync);
        app.MapGet("/dashboard/{asset}", site.AssetAsync);
        var api = app.MapGroup("/api").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            switch (site._auth.Check(http))
            {
                case Access.Throttled:
                    http.Response.Headers.RetryAfter = ((int)DashboardAuth.FailureWindow.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Json(new { error = "too many failed sign-ins from this address; wait a minute" }, statusCode: StatusCodes.Status429TooManyRequests);
                case Access.Refused:
                    return Results.Json(new { error = "unauthorized" }, statusCode: StatusCodes.Status401Unauthorized);
            }

            if (HttpMethods.IsPost(http.Request.Method) && !http.Request.Headers.ContainsKey(CsrfHeader))
            {
                return Results.Json(new { error = $"POST needs the {CsrfHeader} header" }, statusCode: StatusCodes.Status403Forbidden);
            }

            return await next(context);
        });
        site.MapApi(api);
        app.Lifetime.ApplicationStarted.Register(() => _ = site.Sampler.RunAsync(app.Lifetime.ApplicationStopping));
        return site;
    }

    private IResult PageAsync(HttpContext context)
    {
        if (context.Request.Query["token"].ToString() is { Length: > 0 } token)
        {
            switch (_auth.CheckToken(context, token))
            {
                case Access.Throttled:
                    return DashboardAuth.TooMany(context);
                case Access.Refused:
                    return Refuse(context);
            }

            // The token leaves the address bar (and the history) at once; the cookie carries it from here.
            DashboardAuth.SetCookie(context, token);
            return Results.Redirect("/dashboard");
        }

        return Gate(context, "dashboard.html");
    }

    private IResult AssetAsync(HttpContext context, string asset) => Gate(context, asset);

    private IResult Gate(HttpContext context, string asset) => _auth.Check(context) switch
    {
        Access.Granted => Asset(asset),
        Access.Throttled => DashboardAuth.TooMany(context),
        _ => Refuse(context),
    };

    private IResult Refuse(HttpContext context)
    {
        if (_auth.UsesBasic)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"tributary dashboard\"";
        }

        return Results.Text("Unauthorized: open the dashboard with the address printed at start (…/dashboard?token=…) or sign in.",
            "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
    }

    private static IResult Asset(string name)
    {
        var (resource, type) = name switch
        {
            "dashboard.html" => ("Tributary.Dashboard.dashboard.html", "text/html; charset=utf-8"),
            "app.js" => ("Tributary.Dashboard.app.js", "text/javascript; charset=utf-8"),
            "app.css" => ("Tributary.Dashboard.app.css", "text/css; charset=utf-8"),
            _ => (null, null),
        };
        var stream = resource is null ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream(resource);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }

    private static bool TryLane(string value, out OutboxStatus lane) =>
        Enum.TryParse(value, ignoreCase: true, out lane) && lane != OutboxStatus.Pending && Enum.IsDefined(lane);

    /// <summary>Groups reasons that differ only in quoted values (a masked address, a key).</summary>
    private static string ReasonGroup(string? reason) => reason is null ? "(no reason recorded)" : QuotedPart().Replace(reason, "'…'");

    [GeneratedRegex("'[^']*'")]
    private static partial Regex QuotedPart();
}
