using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Core.Modules;
using Tributary.Host.Composition;

namespace Tributary.Host.Server;

/// <summary>
/// The service's HTTP side: webhook receivers (each notification verified, stored in the durable inbox, then acknowledged —
/// never processed inline, so the answer is fast however slow the destinations are) and a health endpoint.
/// </summary>
public sealed class HostServer : IAsyncDisposable
{
    // Webhook bodies are hints of a few ids; anything larger is refused before it is read.
    private const long MaxWebhookBytes = 256 * 1024;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private long _accepted;
    private long _duplicates;
    private Metrics? _metrics;
    private Dashboard.DashboardAuth? _auth;

    private HostServer(WebApplication app) => _app = app;

    /// <summary>The address the server listens on.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The catalogue feed a destination fetches from this service, when one is enabled.</summary>
    public CatalogFeed? Feed { get; private set; }

    /// <summary>The operations dashboard, when it is enabled and has credentials.</summary>
    public Dashboard.DashboardSite? Dashboard { get; private set; }

    /// <summary>Notifications stored in the inbox.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>
    /// Raised after a webhook stored at least one new inbox message, so the real-time lane looks at once instead of on its
    /// next poll. Not raised for duplicates or refusals.
    /// </summary>
    public event Action? Notified;

    /// <summary>Notifications already in the inbox (same message id).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Refused notifications by reason (forged, stale, malformed…): counted, never processed.</summary>
    public IReadOnlyDictionary<string, long> Rejected => new Dictionary<string, long>(_rejected);

    public static async Task<HostServer> StartAsync(string url, PipelineRuntime runtime, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The web host's own providers would write past the service's log format; its warnings and errors (an unhandled
        // exception in an endpoint, a bad request Kestrel refused) go to the service's loggers instead, its chatter stays out.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggers));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxWebhookBytes);
        var logger = loggers.CreateLogger("Tributary.Webhooks");
        var metrics = new Metrics(runtime, time, logger);
        metrics.AddTo(builder.Services);
        var app = builder.Build();
        var server = new HostServer(app);
        app.Use(RequestErrors.Middleware(loggers.CreateLogger("Tributary.Http")));
        app.Use(SecurityHeaders.Middleware);
        var auth = new Dashboard.DashboardAuth(runtime.Config.Dashboard);
        server._auth = auth;

        app.MapGet("/health", () => Results.Json(new HealthAnswer("ok", runtime.Config.PipelineName)));
        server._metrics = metrics.Map(app, server, runtime.Config.MetricsAuth ? auth : null);

        // Each configured platform whose module has a receiver (its secret is set) gets /webhooks/{platform}; the receiver verifies
        // and names the inbox messages, the host stores them and answers.
        foreach (var connector in runtime.Config.Connectors)
        {
            if (connector.Module.CreateWebhookReceiver(connector, time) is not { } receiver)
            {
                continue;
            }

            var platform = connector.Module.Platform;
            app.MapPost($"/webhooks/{platform}", async (HttpContext context) =>
            {
                var body = await ReadBodyAsync(context);
                if (body is null)
                {
                    return server.Reject($"{platform}: body too large", StatusCodes.Status413PayloadTooLarge, logger);
                }

                var outcome = receiver.Receive(new WebhookRequest(
                    name => context.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null,
                    name => context.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null,
                    body, time.GetUtcNow()));
                if (outcome.Refusal is { } refusal)
                {
                    if (outcome.Logged)
                    {
                        return server.Reject($"{platform}: {refusal}", outcome.StatusCode, logger, outcome.Detail);
                    }

                    server._rejected.AddOrUpdate($"{platform}: {refusal}", 1, (_, n) => n + 1);
                    return Results.StatusCode(outcome.StatusCode);
                }

                var stored = false;
                foreach (var message in outcome.Messages)
                {
                    var added = await runtime.Store.TryAddInboxAsync(message, context.RequestAborted);
                    server.Count(added);
                    stored |= added;
                }

                if (stored)
                {
                    server.Notified?.Invoke();
                }

                return Results.StatusCode(outcome.StatusCode);
            });
        }

        // A catalogue feed a destination fetches from this service, behind basic auth.
        foreach (var (config, module, connector) in PipelineFactory.ConfiguredDestinations(runtime))
        {
            if (module.CreateCatalogueFeed(config, connector) is not { } catalogue)
            {
                continue;
            }

            var directory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(runtime.Config.StatePath)) ?? ".", "feeds");
            var feed = new CatalogFeed(runtime.Store, catalogue, directory, logger);
            server.Feed ??= feed;
            var expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{catalogue.User}:{catalogue.Password}"));
            app.MapGet($"/feeds/{catalogue.FileName}", async (HttpContext context) =>
            {
                var given = context.Request.Headers.Authorization.ToString();
                if (!Tributary.Core.Rules.Secrets.Same(given, expected))
                {
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"tributary\"";
                    return Results.Unauthorized();
                }

                var file = await feed.RefreshAsync(context.RequestAborted);
                return file is null
                    ? Results.Problem("No catalogue feed has been published yet: run a sync of products first.", statusCode: StatusCodes.Status503ServiceUnavailable)
                    : Results.File(file, catalogue.ContentType);
            });
        }

        if (runtime.Config.Storefront is { } storefront)
        {
            StorefrontEndpoints.Map(app, runtime, storefront, loggers.CreateLogger("Tributary.Storefront"));
        }

        server.Dashboard = Tributary.Host.Server.Dashboard.DashboardSite.Map(app, runtime, time, auth);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            await metrics.DisposeAsync();
            auth.Dispose();
            throw new AddressInUseException(url, ex);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return server;
    }

    private void Count(bool stored)
    {
        if (stored)
        {
            Interlocked.Increment(ref _accepted);
        }
        else
        {
            Interlocked.Increment(ref _duplicates);
        }
    }

    private IResult Reject(string reason, int status, ILogger logger, string? detail = null)
    {
        _rejected.AddOrUpdate(reason, 1, (_, n) => n + 1);
        logger.LogWarning("Refused a webhook ({Reason}): {Detail}", reason, detail);
        return Results.Json(new RejectAnswer(reason, detail), statusCode: status);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxWebhookBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        }
        catch (BadHttpRequestException)
        {
            return null;
        }

        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_metrics is not null)
        {
            await _metrics.DisposeAsync();
        }

        _auth?.Dispose();
    }

    private sealed record HealthAnswer(string Status, string Pipeline);

    private sealed record RejectAnswer(string Error, string? Detail);

    /// <summary>Hands the web host's loggers out of the service's own factory, which the host does not own or dispose.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory loggers) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

        public void Dispose()
        {
            // The factory belongs to the service.
        }
    }

    private sealed class NoSignalsLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>The address the service should listen on is taken (another Tributary, or another program).</summary>
public sealed class AddressInUseException(string url, Exception inner)
    : Exception($"{url} is already in use by another program (or another Tributary): stop it, or choose another address", inner)
{
    /// <summary>The address asked for.</summary>
    public string Url { get; } = url;
}
