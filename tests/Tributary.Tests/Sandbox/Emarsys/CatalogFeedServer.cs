using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tributary.Tests.Sandbox.Emarsys;

/// <summary>Serves a catalogue feed on port 0 at <c>/feed.csv</c>, optionally behind basic auth, as the host would.</summary>
internal sealed class CatalogFeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CatalogFeedServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The feed's address.</summary>
    public Uri Url { get; }

    /// <summary>The CSV served.</summary>
    public string Body { get; set; } = string.Empty;

    /// <summary>The basic-auth credentials required, or null for none.</summary>
    public (string User, string Password)? Credentials { get; set; }

    /// <summary>The status to answer with instead of the feed, or null.</summary>
    public int? FailWith { get; set; }

    public static async Task<CatalogFeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        CatalogFeedServer? server = null;
        app.MapGet("/feed.csv", (HttpContext context) => server!.Serve(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new CatalogFeedServer(app, new Uri(address.TrimEnd('/') + "/feed.csv"));
        return server;
    }

    private IResult Serve(HttpContext context)
    {
        if (FailWith is { } status)
        {
            return Results.StatusCode(status);
        }

        if (Credentials is var (user, password))
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
            if (!string.Equals(context.Request.Headers.Authorization.ToString(), expected, StringComparison.Ordinal))
            {
                return Results.Unauthorized();
            }
        }

        return Results.Text(Body, "text/csv; charset=utf-8");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
