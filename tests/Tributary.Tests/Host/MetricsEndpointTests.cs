using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Budgets;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Storage.Sqlite;
using Tributary.Tests.Engine;
using Tributary.Tests.Support;

namespace Tributary.Tests.Host;

/// <summary>/metrics through the OpenTelemetry Prometheus exporter: the service's gauges and the engine's counters after a pass.</summary>
[EndToEnd]
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-metrics-").FullName;
    // Engine counters are process-wide: a name of its own keeps this test's series apart from passes other tests run meanwhile.
    private readonly string _pipeline = $"metrics-{Guid.NewGuid():N}";
    private readonly FakeSource _source = new();
    private readonly FakeDestination _destination = new();
    private PipelineRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        var store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);
        var destinations = new[] { new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System)) };
        var config = new TributaryConfig { FilePath = Path.Combine(_dir, "tributary.yaml"), PipelineName = _pipeline, StatePath = Path.Combine(_dir, "state.db") };
        var pipeline = new SyncPipeline(_source, destinations, store,
            new PipelineOptions { Name = _pipeline, PageSize = 50, DeliveryConcurrency = 1 }, TimeProvider.System, NullLogger.Instance);
        _runtime = new PipelineRuntime { Config = config, Pipeline = pipeline, Store = store, Source = _source, Destinations = destinations };
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Metrics_AfterAPass_AnswersPrometheusTextWithLanesInboxBudgetsAndDeliveryOutcomes()
    {
        for (var i = 0; i < 10; i++)
        {
            _source.Put($"c{i:D4}", $"user{i}@example.com", $"Name{i}");
        }

        _source.Put("bad", "not-an-email");
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", _runtime, TimeProvider.System, NullLoggerFactory.Instance,
            CancellationToken.None);
        await _runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(server.BaseUrl, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();

        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (string, string) P = ("pipeline", _pipeline);
        PrometheusText.Type(text, "tributary_outbox_records").ShouldBe("gauge");
        PrometheusText.Value(text, "tributary_outbox_records", P, ("destination", "fake"), ("entity", "Customer"), ("lane", "quarantined")).ShouldBe(1);
        PrometheusText.Value(text, "tributary_inbox_pending", P).ShouldBe(0);
        PrometheusText.Type(text, "tributary_budget_permits_total").ShouldBe("counter");
        PrometheusText.Value(text, "tributary_budget_permits_total", P, ("destination", "fake")).ShouldBe(_destination.Calls.Count);
        PrometheusText.Value(text, "tributary_budget_throttled_total", P, ("destination", "fake")).ShouldBe(0);
        PrometheusText.Value(text, "tributary_notifications_total", P, ("outcome", "stored")).ShouldBe(0);
        PrometheusText.Value(text, "tributary_delivery_records_total", P, ("destination", "fake"), ("entity", "customer"), ("outcome", "accepted"))
            .ShouldBe(10);
        PrometheusText.Value(text, "tributary_passes_total", P, ("outcome", "completed")).ShouldBe(1);
        PrometheusText.Value(text, "tributary_source_records_total", P, ("entity", "customer")).ShouldBe(11);
        // The pass's balance, the same numbers the summary prints: 11 read = 10 changed + 1 rejected; 11 rows = 10 sent + 1 quarantined.
        PrometheusText.Value(text, "tributary_source_outcomes_total", P, ("entity", "customer"), ("outcome", "changed")).ShouldBe(10);
        PrometheusText.Value(text, "tributary_source_outcomes_total", P, ("entity", "customer"), ("outcome", "rejected")).ShouldBe(1);
        PrometheusText.Value(text, "tributary_destination_rows_taken_total", P, ("destination", "fake"), ("entity", "customer"), ("origin", "staged"))
            .ShouldBe(11);
        PrometheusText.Value(text, "tributary_destination_rows_total", P, ("destination", "fake"), ("entity", "customer"), ("outcome", "sent")).ShouldBe(10);
        PrometheusText.Value(text, "tributary_destination_rows_total", P, ("destination", "fake"), ("entity", "customer"), ("outcome", "quarantined"))
            .ShouldBe(1);
        PrometheusText.Value(text, "tributary_destination_call_duration_seconds_count", P, ("destination", "fake"), ("entity", "customer"),
            ("outcome", "accepted")).ShouldBe(_destination.Calls.Count);
    }

    [Fact]
    public async Task Metrics_QuarantinedRecordFixedAtTheSource_LaneGoesFromTheNextScrape()
    {
        _source.Put("bad", "not-an-email");
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", _runtime, TimeProvider.System, NullLoggerFactory.Instance,
            CancellationToken.None);
        await _runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        using var http = new HttpClient();
        var before = await http.GetStringAsync(new Uri(server.BaseUrl, "/metrics"));
        PrometheusText.Value(before, "tributary_outbox_records", ("pipeline", _pipeline), ("destination", "fake"), ("entity", "Customer"),
            ("lane", "quarantined")).ShouldBe(1);

        _source.Put("bad", "fixed@example.com", version: 2);
        _source.Clock = _source.Clock.AddMinutes(5);
        await _runtime.Pipeline.RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None);
        var after = await http.GetStringAsync(new Uri(server.BaseUrl, "/metrics"));

        PrometheusText.Parse(after).ShouldNotContain(s => s.Name == "tributary_outbox_records" && s.Labels["pipeline"] == _pipeline);
        _destination.Contacts.ShouldContainKey("bad");
    }
}
