using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Sandbox.Generator;
using Tributary.Sandbox;

namespace Tributary.Bench;

/// <summary>
/// Real-time latency: a backfill runs against a rate-limited Emarsys while notifications arrive at a fixed rate at the push
/// endpoint; each notification's latency runs from just before it is posted to the moment Emarsys accepted the call carrying
/// its change. Prints p50/p95/p99/max and the backfill's throughput meanwhile.
/// Usage: dotnet run -c Release --project bench/Tributary.Bench -- realtime [--rate 100] [--seconds 30] [--emarsys-rpm 300]
///        [--batch 100] [--customers 100000] [--reserve 20]
/// </summary>
internal static class RealtimeBench
{
    private const string PushToken = "bench-token";

    public static async Task<int> RunAsync(int rate, int seconds, int rpm, int batch, int customers, int reservePercent)
    {
        var options = new SandboxOptions();
        options.Emarsys.RequestsPerMinute = rpm;
        await using var sandbox = await SandboxServer.StartAsync(options, TimeProvider.System, CancellationToken.None);
        sandbox.Commercetools.AddCustomers(new ShopGenerator(5).Customers(customers));
        var state = Path.Combine(Path.GetTempPath(), $"tributary-rt-bench-{Guid.NewGuid():N}");
        var config = new TributaryConfig
        {
            FilePath = "(bench)",
            PipelineName = "bench",
            StatePath = Path.Combine(state, "state.db"),
            Source = new CommercetoolsConfig
            {
                ApiUrl = sandbox.CommercetoolsUrl, AuthUrl = sandbox.CommercetoolsUrl, ProjectKey = options.Commercetools.ProjectKey,
                ClientId = options.Commercetools.ClientId, ClientSecret = options.Commercetools.ClientSecret, PushToken = PushToken,
            },
            Destinations =
            [
                new EmarsysConfig
                {
                    ApiUrl = sandbox.EmarsysUrl, User = options.Emarsys.User, Secret = options.Emarsys.Secret, RequestsPerMinute = rpm, BatchSize = batch,
                },
            ],
            Sync = new SyncConfig { RealtimeReserve = reservePercent / 100.0 },
        };

        await using var baseRuntime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var timing = new TimingDestination(baseRuntime.Destinations[0].Connector);
        var budget = new RateBudget("emarsys", rpm, TimeProvider.System, burst: null, realtimeReserve: reservePercent / 100.0);
        var binding = new DestinationBinding(timing, budget);
        var pipeline = new SyncPipeline(baseRuntime.Source, [binding], baseRuntime.Store, PipelineFactory.PipelineOptionsFrom(config),
            TimeProvider.System, NullLogger.Instance);
        var runtime = new PipelineRuntime { Config = config, Pipeline = pipeline, Store = baseRuntime.Store, Source = baseRuntime.Source, Destinations = [binding] };
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        using var stop = new CancellationTokenSource();
        var backfillCounters = new PassCounters();
        var backfill = pipeline.RunPassAsync(new PassOptions(Full: true), backfillCounters, stop.Token);
        var realtime = RealtimeLoopAsync(pipeline, stop.Token);
        // Let the backfill reach its steady state (the budget's burst spent) before measuring.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var sentBefore = backfillCounters.Sent;
        var callsBefore = budget.Granted;

        // Customers the destination accepts (an invalid email is quarantined, never delivered), from the end of the backfill's order.
        var ids = sandbox.Commercetools.Customers.Where(c => Tributary.Core.Rules.EmailRule.TryNormalize(c.Email, out _, out _))
            .Select(c => c.Id!).Reverse().Take(rate * seconds).ToList();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var endpoint = new Uri(server.BaseUrl, $"/webhooks/commercetools?token={PushToken}");
        var posts = new List<Task>();
        var watch = Stopwatch.StartNew();
        for (var n = 0; n < ids.Count; n++)
        {
            var due = TimeSpan.FromSeconds((double)n / rate);
            if (due > watch.Elapsed)
            {
                await Task.Delay(due - watch.Elapsed);
            }

            var id = ids[n];
            var marker = $"RT{n}";
            sandbox.Commercetools.UpdateCustomer(id, c => c.LastName = marker);
            timing.Posted[marker] = Stopwatch.GetTimestamp();
            var body = Envelope($$"""{"notificationType":"ResourceUpdated","projectKey":"demo","id":"rt-{{n}}","resource":{"typeId":"customer","id":"{{id}}"},"version":2}""");
            posts.Add(http.PostAsync(endpoint, new StringContent(body, Encoding.UTF8, "application/json")));
        }

        await Task.WhenAll(posts);
        var deadline = Stopwatch.StartNew();
        while (timing.Latencies.Count < ids.Count && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        var window = watch.Elapsed.TotalSeconds;
        var bulkSent = backfillCounters.Sent - sentBefore;
        var calls = budget.Granted - callsBefore;
        await stop.CancelAsync();
        await Task.WhenAll(backfill, realtime).ContinueWith(_ => { }, TaskScheduler.Default);

        var sorted = timing.Latencies.Values.Order().ToList();
        string P(double q) => sorted.Count == 0 ? "-" : $"{sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)]:0} ms";
        Console.WriteLine($"| {rate}/s for {seconds}s | Emarsys {rpm} rpm, batch {batch}, reserve {reservePercent}% | {sorted.Count:N0}/{ids.Count:N0} delivered | " +
                          $"p50 {P(0.50)} | p95 {P(0.95)} | p99 {P(0.99)} | max {P(1.0)} | backfill {bulkSent / window:N0} contacts/s, " +
                          $"{calls / window * 60:N0} calls/min meanwhile |");
        Directory.Delete(state, recursive: true);
        return sorted.Count == ids.Count ? 0 : 1;
    }

    private static async Task RealtimeLoopAsync(SyncPipeline pipeline, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var report = await pipeline.ProcessInboxAsync(500, null, ct);
                if (report.Messages == 0)
                {
                    await Task.Delay(200, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static string Envelope(string payload) => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["message"] = new Dictionary<string, object>
        {
            ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)),
            ["messageId"] = Guid.NewGuid().ToString(),
        },
    });

    /// <summary>Passes every call through and notes when a call carrying a marked change was accepted.</summary>
    private sealed class TimingDestination(IDestinationConnector inner) : IDestinationConnector
    {
        public ConcurrentDictionary<string, long> Posted { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, double> Latencies { get; } = new(StringComparer.Ordinal);

        public string Name => inner.Name;

        public DestinationLimits Limits => inner.Limits;

        public bool Supports(EntityKind entity) => inner.Supports(entity);

        public DeliverySemantics Semantics(EntityKind entity) => inner.Semantics(entity);

        public Projection Project(CanonicalRecord record) => inner.Project(record);

        public Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken) => inner.CheckAsync(cancellationToken);

        public async Task<DeliveryResult> DeliverAsync(EntityKind entity, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
        {
            var result = await inner.DeliverAsync(entity, items, cancellationToken);
            var now = Stopwatch.GetTimestamp();
            foreach (var item in items.Where(i => !result.Failures.ContainsKey(i.Key)))
            {
                if (item.Changes.TryGetValue("2", out var last) && last is not null && Posted.TryGetValue(last, out var posted))
                {
                    Latencies.TryAdd(last, Stopwatch.GetElapsedTime(posted, now).TotalMilliseconds);
                }
            }

            return result;
        }
    }
}
