using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Tributary.Core.Contracts;
using Tributary.Engine;
using Tributary.Host.Composition;

namespace Tributary.Host.Server;

/// <summary>
/// What the service knows, as OpenTelemetry instruments observed when they are collected: lanes, inbox, webhooks, budgets, the
/// feed guard and freshness. They sit on a meter named like the engine's (<see cref="Telemetry.Name"/>) that lives as long as the
/// server; the Prometheus exporter serves both on <c>/metrics</c>, and an OTLP provider subscribed to the name exports both.
/// </summary>
public sealed class Metrics : IAsyncDisposable
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string Path = "/metrics";

    // The lane counts come from the store, which is asynchronous; a collection is not. A scrape reads them first; any other
    // reader (a periodic OTLP export) starts a re-read when the last one is older than this and sees it on its next collection.
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(15);

    private readonly PipelineRuntime _runtime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Meter _meter = new(Telemetry.Name);
    private readonly Lock _refreshing = new();
    private HostServer? _server;
    private Task _refresh = Task.CompletedTask;
    private volatile StoreReading _reading = new([], 0, DateTimeOffset.MinValue);

    /// <summary>Declares the observed instruments of one server over its pipeline.</summary>
    public Metrics(PipelineRuntime runtime, TimeProvider time, ILogger logger)
    {
        _runtime = runtime;
        _time = time;
        _logger = logger;
        Declare(_meter);
    }

    /// <summary>Adds the metrics provider with the Prometheus exporter to the server's services.</summary>
    public void AddTo(IServiceCollection services) =>
        services.AddOpenTelemetry().ConfigureResource(r => r.AddService(TelemetryProviders.ServiceName)).WithMetrics(m => m
            .AddMeter(Telemetry.Name)
            // Every meter named Tributary in the process is seen by name; this server shows the engine's and its own, not those of
            // another server in the same process (tests run several).
            .AddView(i => i.Meter == Telemetry.Meter || i.Meter == _meter ? null : MetricStreamConfiguration.Drop)
            .AddPrometheusExporter(o =>
            {
                // Every scrape sees the current values (a pass that just finished, a webhook just stored), not a cached answer.
                o.ScrapeResponseCacheDurationMilliseconds = 0;
                // The series keep the shape they had before the exporter: pipeline and the metric's own labels only.
                o.ScopeInfoEnabled = false;
                o.TargetInfoEnabled = false;
            }));

    /// <summary>
    /// Maps <c>/metrics</c>, where the store-backed values are read before the exporter collects; behind <paramref name="auth"/>
    /// (the dashboard's credentials) when <c>server.metricsAuth</c> is on.
    /// </summary>
    public Metrics Map(WebApplication app, HostServer server, Dashboard.DashboardAuth? auth)
    {
        _server = server;
        app.MapPrometheusScrapingEndpoint(Path, null, branch => branch.Use(async (context, next) =>
        {
            if (auth is not null)
            {
                switch (auth.Check(context))
                {
                    case Dashboard.Access.Throttled:
                        await Dashboard.DashboardAuth.TooMany(context).ExecuteAsync(context);
                        return;
                    case Dashboard.Access.Refused:
                        if (auth.UsesBasic)
                        {
                            context.Response.Headers.WWWAuthenticate = "Basic realm=\"tributary metrics\"";
                        }

                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return;
                }
            }

            await RefreshAsync(context.RequestAborted);
            await next(context);
        }), null);
        return this;
    }

    private void Declare(Meter meter)
    {
        meter.CreateObservableGauge("tributary.outbox.records", ObserveLanes, "{record}",
            "Records waiting or needing attention, per destination, entity and lane.");
        meter.CreateObservableGauge("tributary.inbox.pending", () => new Measurement<long>(Reading().InboxPending, Pipeline()), "{notification}",
            "Notifications stored and not yet re-read (capped at 10000).");
        meter.CreateObservableCounter("tributary.notifications", ObserveNotifications, "{notification}", "Notifications received, by outcome.");
        meter.CreateObservableCounter("tributary.budget.permits", () => _runtime.Destinations.Select(d =>
            new Measurement<long>(d.Budget.Granted, Pipeline(("destination", d.Name)))), "{call}", "Destination calls granted by each rate budget.");
        meter.CreateObservableCounter("tributary.budget.throttled", () => _runtime.Destinations.Select(d =>
            new Measurement<long>(d.Budget.ThrottledEvents, Pipeline(("destination", d.Name)))), "{event}",
            "Rate-limited answers that paused each budget.");
        meter.CreateObservableCounter("tributary.feed.guard_trips", ObserveFeed, "{feed}",
            "Catalogue feeds refused because they would drop too many items.");
        meter.CreateObservableGauge("tributary.freshness.lag", ObserveFreshness, "s",
            "How far each destination trails the source watermark, per entity (0 when caught up).");
    }

    private IEnumerable<Measurement<long>> ObserveLanes() => Reading().Lanes.Select(lane => new Measurement<long>(lane.Count,
        Pipeline(("destination", lane.Destination), ("entity", lane.Entity.ToString()), ("lane", lane.Status.ToString().ToLowerInvariant()))));

    private IEnumerable<Measurement<long>> ObserveNotifications()
    {
        if (_server is null)
        {
            yield break;
        }

        yield return new Measurement<long>(_server.Accepted, Pipeline(("outcome", "stored")));
        yield return new Measurement<long>(_server.Duplicates, Pipeline(("outcome", "duplicate")));
        foreach (var (reason, count) in _server.Rejected)
        {
            yield return new Measurement<long>(count, Pipeline(("outcome", "refused"), ("reason", reason)));
        }
    }

    private IEnumerable<Measurement<long>> ObserveFeed()
    {
        if (_server?.Feed is { } feed)
        {
            yield return new Measurement<long>(feed.GuardTrips, Pipeline(("destination", feed.Destination)));
        }
    }

    private IEnumerable<Measurement<double>> ObserveFreshness()
    {
        if (_server?.Dashboard?.Sampler.Snapshots is not { Count: > 0 } snapshots)
        {
            yield break;
        }

        foreach (var f in snapshots[^1].Freshness)
        {
            if (f.LagSeconds is { } lag)
            {
                yield return new Measurement<double>(lag, Pipeline(("destination", f.Destination), ("entity", f.Entity.ToString())));
            }
        }
    }

    private KeyValuePair<string, object?>[] Pipeline(params (string Name, string Value)[] tags)
    {
        var all = new KeyValuePair<string, object?>[tags.Length + 1];
        all[0] = new(Telemetry.Tags.Pipeline, _runtime.Config.PipelineName);
        for (var i = 0; i < tags.Length; i++)
        {
            all[i + 1] = new(tags[i].Name, tags[i].Value);
        }

        return all;
    }

    private StoreReading Reading()
    {
        var reading = _reading;
        if (_time.GetUtcNow() - reading.At > StaleAfter)
        {
            lock (_refreshing)
            {
                if (_refresh.IsCompleted)
                {
                    // Off the collecting thread: a collection never waits on the store.
                    _refresh = Task.Run(RefreshQuietlyAsync);
                }
            }
        }

        return reading;
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var lanes = await _runtime.Store.CountLanesAsync(cancellationToken);
        var pending = await _runtime.Store.PendingInboxAsync(10_000, cancellationToken);
        _reading = new StoreReading(lanes, pending.Count, _time.GetUtcNow());
    }

    private async Task RefreshQuietlyAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // A collection must not fail because the store is briefly unreachable: the last reading stands until the next one.
            _logger.LogWarning(ex, "Could not read the lane counts for the metrics");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _meter.Dispose();
        Task refresh;
        lock (_refreshing)
        {
            refresh = _refresh;
        }

        await refresh;
    }

    private sealed record StoreReading(IReadOnlyList<LaneCount> Lanes, long InboxPending, DateTimeOffset At);
}
