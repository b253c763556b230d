using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Budgets;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Storage.Sqlite;
using Tributary.Tests.Engine;

namespace Tributary.Tests.Host;

/// <summary>OTLP export toward a collector: here an in-process HTTP listener standing in for one.</summary>
[EndToEnd]
public sealed class TelemetryProvidersTests
{
    [Fact]
    public async Task Start_OtlpEndpointConfigured_PassTracesAndMetricsArePostedToTheCollector()
    {
        var pipelineName = $"otlp-{Guid.NewGuid():N}";
        await using var collector = await Collector.StartAsync();
        var dir = Directory.CreateTempSubdirectory("tributary-otlp-").FullName;
        var config = new TributaryConfig
        {
            FilePath = Path.Combine(dir, "tributary.yaml"),
            PipelineName = pipelineName,
            Telemetry = new TelemetryConfig { OtlpEndpoint = collector.BaseUrl },
        };
        var source = new FakeSource();
        source.Put("c0001", "ann@example.com", "Ann");
        var destination = new FakeDestination();

        using (var telemetry = TelemetryProviders.Start(config, _ => null))
        {
            telemetry.Exporting.ShouldBeTrue();
            await using var store = await SqliteSyncStore.OpenAsync(Path.Combine(dir, "state.db"), CancellationToken.None);
            var pipeline = new SyncPipeline(source, [new DestinationBinding(destination, new RateBudget("fake", null, TimeProvider.System))], store,
                new PipelineOptions { Name = pipelineName }, TimeProvider.System, NullLogger.Instance);
            await pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        }

        // Disposing flushed both providers: the pass's spans and the engine's counters have reached the collector.
        var traces = collector.Received("/v1/traces");
        traces.ShouldNotBeEmpty();
        traces.ShouldAllBe(r => r.ContentType == "application/x-protobuf");
        traces.ShouldContain(r => Contains(r.Body, "tributary.pass") && Contains(r.Body, pipelineName) && Contains(r.Body, "tributary.destination.call"));
        traces.ShouldAllBe(r => !Contains(r.Body, "ann@example.com"));
        var metrics = collector.Received("/v1/metrics");
        metrics.ShouldContain(r => Contains(r.Body, "tributary.delivery.records") && Contains(r.Body, pipelineName));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Start_NoEndpointInConfigOrEnvironment_TracesInProcessOnly()
    {
        using var telemetry = TelemetryProviders.Start(new TributaryConfig { FilePath = "tributary.yaml" }, _ => null);

        telemetry.Exporting.ShouldBeFalse();
    }

    [Fact]
    public void Start_StandardEnvironmentVariableOnly_Exports()
    {
        using var telemetry = TelemetryProviders.Start(new TributaryConfig { FilePath = "tributary.yaml" },
            name => name == TelemetryProviders.EndpointVariable ? "http://127.0.0.1:9" : null);

        telemetry.Exporting.ShouldBeTrue();
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    private sealed record Request(string ContentType, byte[] Body);

    /// <summary>Answers OTLP/HTTP export requests with an empty success and keeps what was posted.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<string, ConcurrentQueue<Request>> _received = new(StringComparer.Ordinal);

        private Collector(WebApplication app) => _app = app;

        public Uri BaseUrl { get; private set; } = null!;

        public IReadOnlyList<Request> Received(string path) => _received.TryGetValue(path, out var q) ? q.ToList() : [];

        public static async Task<Collector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var collector = new Collector(app);
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                collector._received.GetOrAdd(context.Request.Path.Value!, _ => new ConcurrentQueue<Request>())
                    .Enqueue(new Request(context.Request.ContentType ?? "", body.ToArray()));
                context.Response.ContentType = "application/x-protobuf";
                context.Response.StatusCode = StatusCodes.Status200OK;
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            collector.BaseUrl = new Uri(address);
            return collector;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
