using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Connectors.Centra;
using Tributary.Core.Contracts;
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

    private HostServer(WebApplication app) => _app = app;

    /// <summary>The address the server listens on.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The Emarsys catalogue feed, when it is enabled.</summary>
    public CatalogFeed? Feed { get; private set; }

    /// <summary>The operations dashboard, when it is enabled and has credentials.</summary>
    public Dashboard.DashboardSite? Dashboard { get; private set; }

    /// <summary>Notifications stored in the inbox.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Notifications already in the inbox (same message id).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Refused notifications by reason (forged, stale, malformed…): counted, never processed.</summary>
    public IReadOnlyDictionary<string, long> Rejected => new Dictionary<string, long>(_rejected);

    public static async Task<HostServer> StartAsync(string url, PipelineRuntime runtime, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoSignalsLifetime>();
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxWebhookBytes);
        var logger = loggers.CreateLogger("Tributary.Webhooks");
        var metrics = new Metrics(runtime, time, logger);
        metrics.AddTo(builder.Services);
        var app = builder.Build();
        var server = new HostServer(app);

        app.MapGet("/health", () => Results.Json(new HealthAnswer("ok", runtime.Config.PipelineName)));
        server._metrics = metrics.Map(app, server);

        if (runtime.Config.Centra is { WebhookSecret: { Length: > 0 } secret })
        {
            var verifier = new CentraWebhookVerifier(new CentraWebhookOptions { Secret = secret }, time);
            app.MapPost("/webhooks/centra", async (HttpContext context) =>
            {
                var body = await ReadBodyAsync(context);
                if (body is null)
                {
                    return server.Reject("centra: body too large", StatusCodes.Status413PayloadTooLarge, logger);
                }

                var result = verifier.Verify(context.Request.Headers[CentraWebhookVerifier.SignatureHeader].ToString(), body);
                if (!result.IsValid)
                {
                    return server.Reject($"centra: {result.Status}", result.Status == CentraWebhookStatus.Malformed
                        ? StatusCodes.Status400BadRequest
                        : StatusCodes.Status401Unauthorized, logger, result.Reason);
                }

                var digest = Convert.ToHexString(SHA256.HashData(body))[..16];
                foreach (var hint in result.Hints.Where(h => h.Entity is not null))
                {
                    var message = new InboxMessage(0, $"centra:{hint.Type}:{hint.Action}:{hint.Id}:{digest}", "centra", hint.Entity!.Value, hint.Id,
                        time.GetUtcNow());
                    server.Count(await runtime.Store.TryAddInboxAsync(message, context.RequestAborted));
                }

                return Results.Ok();
            });
        }

        if (runtime.Config.Commercetools is { PushToken: { Length: > 0 } pushToken })
        {
            var expectedToken = System.Text.Encoding.UTF8.GetBytes(pushToken);
            app.MapPost("/webhooks/commercetools", async (HttpContext context) =>
            {
                // Pub/Sub push endpoints carry their secret in the URL (?token=) or as a bearer token.
                var given = context.Request.Query["token"].ToString();
                if (given.Length == 0 && context.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal))
                {
                    given = auth["Bearer ".Length..];
                }

                if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(given), expectedToken))
                {
                    return server.Reject("commercetools: wrong or missing token", StatusCodes.Status401Unauthorized, logger);
                }

                var body = await ReadBodyAsync(context);
                if (body is null)
                {
                    return server.Reject("commercetools: body too large", StatusCodes.Status413PayloadTooLarge, logger);
                }

                var notification = Tributary.Connectors.Commercetools.CommercetoolsNotification.Read(body);
                switch (notification.Status)
                {
                    case Tributary.Connectors.Commercetools.CommercetoolsNotificationStatus.Malformed:
                        return server.Reject("commercetools: malformed", StatusCodes.Status400BadRequest, logger, notification.Reason);
                    case Tributary.Connectors.Commercetools.CommercetoolsNotificationStatus.Ignored:
                        // Acknowledged so Pub/Sub does not redeliver it forever; counted, and the sweep covers the resource.
                        server._rejected.AddOrUpdate("commercetools: ignored resource type", 1, (_, n) => n + 1);
                        return Results.NoContent();
                    default:
                        var message = new InboxMessage(0, $"commercetools:{notification.MessageId}", "commercetools", notification.Entity!.Value,
                            notification.Key!, time.GetUtcNow());
                        server.Count(await runtime.Store.TryAddInboxAsync(message, context.RequestAborted));
                        return Results.NoContent();
                }
            });
        }

        if (runtime.Config.Cin7Core is { WebhookKey: { Length: > 0 } key })
        {
            var authenticator = new Tributary.Connectors.Cin7Core.Cin7CoreWebhookAuthenticator(
                new Tributary.Connectors.Cin7Core.Cin7CoreWebhookOptions { Secret = key });
            app.MapPost("/webhooks/cin7core", async (HttpContext context) =>
            {
                var body = await ReadBodyAsync(context);
                if (body is null)
                {
                    return server.Reject("cin7core: body too large", StatusCodes.Status413PayloadTooLarge, logger);
                }

                var result = authenticator.Authenticate(name => context.Request.Headers.TryGetValue(name, out var v) ? v.ToString() : null, body);
                if (result.Status != Tributary.Connectors.Cin7Core.Cin7CoreWebhookStatus.Valid)
                {
                    return server.Reject($"cin7core: {result.Status}", StatusCodes.Status401Unauthorized, logger, result.Reason);
                }

                // Cin7 Core deactivates a webhook after repeated failures: answer at once, the sweep covers any gap.
                var digest = Convert.ToHexString(SHA256.HashData(body))[..16];
                foreach (var hint in result.Hints.Where(h => h.Entity is not null && h.Id is not null))
                {
                    var message = new InboxMessage(0, $"cin7core:{hint.EventType}:{hint.Id}:{digest}", "cin7core", hint.Entity!.Value, hint.Id!, time.GetUtcNow());
                    server.Count(await runtime.Store.TryAddInboxAsync(message, context.RequestAborted));
                }

                return Results.Ok();
            });
        }

        if (runtime.Destinations.Select(d => d.Connector).OfType<Tributary.Connectors.Emarsys.EmarsysDestination>().FirstOrDefault() is
            { CatalogueOptions.Enabled: true } emarsys && runtime.Config.Emarsys?.FeedPassword is { Length: > 0 } feedPassword)
        {
            var directory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(runtime.Config.StatePath)) ?? ".", "feeds");
            server.Feed = new CatalogFeed(runtime.Store, emarsys.CatalogueOptions, directory, logger);
            var expected = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{runtime.Config.Emarsys.FeedUser}:{feedPassword}"));
            app.MapGet("/feeds/emarsys-catalog.csv", async (HttpContext context) =>
            {
                var given = context.Request.Headers.Authorization.ToString();
                if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(expected)))
                {
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"tributary\"";
                    return Results.Unauthorized();
                }

                var file = await server.Feed.RefreshAsync(context.RequestAborted);
                return file is null
                    ? Results.Problem("No catalogue feed has been published yet: run a sync of products first.", statusCode: StatusCodes.Status503ServiceUnavailable)
                    : Results.File(file, "text/csv; charset=utf-8");
            });
        }

        server.Dashboard = Tributary.Host.Server.Dashboard.DashboardSite.Map(app, runtime, time);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            await metrics.DisposeAsync();
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
    }

    private sealed record HealthAnswer(string Status, string Pipeline);

    private sealed record RejectAnswer(string Error, string? Detail);

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
