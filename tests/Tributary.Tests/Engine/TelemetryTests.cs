using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Engine;

/// <summary>The traces a pass leaves: one activity per pass, per page read and per destination call, with counts and outcomes.</summary>
[Unit]
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-telemetry-").FullName;
    // A name of its own: other tests run passes in parallel, and their activities reach this test's exporter too.
    private readonly string _pipeline = $"telemetry-{Guid.NewGuid():N}";
    private readonly FakeSource _source = new();
    private readonly FakeDestination _destination = new();
    private readonly List<Activity> _exported = [];
    private TracerProvider _tracing = null!;
    private SqliteSyncStore _store = null!;

    public async Task InitializeAsync()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(Telemetry.Name).AddInMemoryExporter(_exported).Build();
        _store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _tracing.Dispose();
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private SyncPipeline Pipeline(int maxAttempts = 3) => new(_source,
        [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
        new PipelineOptions
        {
            Name = _pipeline,
            PageSize = 50,
            DeliveryConcurrency = 1,
            Retry = new RetryOptions { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
        },
        TimeProvider.System, NullLogger.Instance);

    private List<Activity> Mine()
    {
        lock (_exported)
        {
            return _exported.Where(a => Equals(a.GetTagItem(Telemetry.Tags.Pipeline), _pipeline)).ToList();
        }
    }

    private static long Count(Activity activity, string tag) => Convert.ToInt64(activity.GetTagItem(tag) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task RunPass_ThreePages_PassActivityHasPageAndCallChildrenWithCountsAndOutcomes()
    {
        for (var i = 0; i < 120; i++)
        {
            _source.Put($"c{i:D4}", $"user{i}@example.com", $"Name{i}");
        }

        _source.Put("bad", "not-an-email");
        _destination.ItemFailures["c0001"] = FailureKind.Transient;

        await Pipeline(maxAttempts: 2).RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var mine = Mine();
        var pass = mine.Where(a => a.OperationName == "tributary.pass").ShouldHaveSingleItem();
        pass.GetTagItem(Telemetry.Tags.Outcome).ShouldBe("completed");
        Count(pass, Telemetry.Tags.Records).ShouldBe(121);
        pass.Status.ShouldBe(ActivityStatusCode.Unset);

        var pages = mine.Where(a => a.OperationName == "tributary.page").ToList();
        pages.Count.ShouldBe(3);
        pages.ShouldAllBe(p => p.ParentSpanId == pass.SpanId && p.TraceId == pass.TraceId);
        pages.ShouldAllBe(p => (string?)p.GetTagItem(Telemetry.Tags.Entity) == "customer" && (string?)p.GetTagItem(Telemetry.Tags.Outcome) == "staged");
        pages.Sum(p => Count(p, Telemetry.Tags.Records)).ShouldBe(121);

        var calls = mine.Where(a => a.OperationName == "tributary.destination.call").ToList();
        calls.ShouldAllBe(c => c.ParentSpanId == pass.SpanId && c.Kind == ActivityKind.Client && (string?)c.GetTagItem(Telemetry.Tags.Destination) == "fake");
        calls.Sum(c => Count(c, "tributary.accepted")).ShouldBe(119);
        // c0001 fails per item in a batch with others (a mixed answer), is retried once and then goes dead.
        calls.ShouldContain(c => (string?)c.GetTagItem(Telemetry.Tags.Outcome) == "mixed" && Count(c, "tributary.retry") == 1);
        calls.Sum(c => Count(c, "tributary.retry")).ShouldBe(1);
        calls.Sum(c => Count(c, "tributary.dead")).ShouldBe(1);
        calls.Sum(c => Count(c, Telemetry.Tags.Records)).ShouldBe(_destination.Calls.Sum(c => c.Count));
    }

    [Fact]
    public async Task RunPass_Attempts_CarryThePassTraceIdAsCorrelationId()
    {
        _source.Put("c0001", "ann@example.com", "Ann");

        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var pass = Mine().Where(a => a.OperationName == "tributary.pass").ShouldHaveSingleItem();
        var attempt = (await _store.GetAttemptsAsync("fake", EntityKind.Customer, "c0001", CancellationToken.None)).ShouldHaveSingleItem();
        var (request, trace) = Telemetry.Correlation(attempt.RequestSummary);
        trace.ShouldBe(pass.TraceId.ToHexString());
        request.ShouldBe("fields: email,first");
    }

    [Fact]
    public async Task RunPass_CallFailsWith503_CallActivityIsAnErrorWithKindAndStatus_ThenTheRetryIsAccepted()
    {
        _source.Put("c0001", "ann@example.com", "Ann");
        _destination.CallFailures.Enqueue(new PlatformException("fake", FailureKind.Transient, "503 for ann@example.com", 503));

        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var calls = Mine().Where(a => a.OperationName == "tributary.destination.call").ToList();
        calls.Count.ShouldBe(2);
        var failed = calls.Where(c => c.Status == ActivityStatusCode.Error).ShouldHaveSingleItem();
        failed.GetTagItem(Telemetry.Tags.Outcome).ShouldBe("retry");
        failed.GetTagItem(Telemetry.Tags.ErrorKind).ShouldBe("Transient");
        failed.GetTagItem(Telemetry.Tags.StatusCode).ShouldBe(503);
        calls.Where(c => c.Status != ActivityStatusCode.Error).ShouldHaveSingleItem().GetTagItem(Telemetry.Tags.Outcome).ShouldBe("accepted");
    }

    [Fact]
    public async Task RunPass_PoisonRecord_SplitCallsAreSiblingsAndTheLoneOneIsQuarantined()
    {
        for (var i = 0; i < 8; i++)
        {
            _source.Put($"c{i:D4}", $"user{i}@example.com", $"Name{i}");
        }

        _destination.PoisonKeys.Add("c0005");

        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var mine = Mine();
        var pass = mine.Where(a => a.OperationName == "tributary.pass").ShouldHaveSingleItem();
        var calls = mine.Where(a => a.OperationName == "tributary.destination.call").ToList();
        calls.ShouldAllBe(c => c.ParentSpanId == pass.SpanId);
        calls.Count(c => (string?)c.GetTagItem(Telemetry.Tags.Outcome) == "split").ShouldBe(3);
        var quarantined = calls.Where(c => (string?)c.GetTagItem(Telemetry.Tags.Outcome) == "quarantined").ShouldHaveSingleItem();
        Count(quarantined, Telemetry.Tags.Records).ShouldBe(1);
        calls.Sum(c => Count(c, "tributary.accepted")).ShouldBe(7);
    }

    [Fact]
    public async Task RunPass_AuthRefused_PassActivityIsHaltedWithErrorStatus()
    {
        _source.Put("c0001", "ann@example.com", "Ann");
        _destination.CallFailures.Enqueue(new PlatformException("fake", FailureKind.Auth, "Unauthorized", 401));

        await Should.ThrowAsync<PipelineHaltedException>(() => Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None));

        var pass = Mine().Where(a => a.OperationName == "tributary.pass").ShouldHaveSingleItem();
        pass.Status.ShouldBe(ActivityStatusCode.Error);
        pass.GetTagItem(Telemetry.Tags.Outcome).ShouldBe("halted");
        var call = Mine().Where(a => a.OperationName == "tributary.destination.call").ShouldHaveSingleItem();
        call.Status.ShouldBe(ActivityStatusCode.Error);
        call.GetTagItem(Telemetry.Tags.ErrorKind).ShouldBe("Auth");
    }

    [Fact]
    public async Task ProcessInbox_OneNotification_RealtimeActivityHoldsTheDeliveryOfTheRereadRecord()
    {
        _source.Put("c0001", "ann@example.com", "Ann");
        var pipeline = Pipeline();
        await pipeline.ProcessInboxAsync(10, null, CancellationToken.None);
        Mine().ShouldNotContain(a => a.OperationName == "tributary.realtime");
        await _store.TryAddInboxAsync(new InboxMessage(0, "m-1", "fake-source", EntityKind.Customer, "c0001", TimeProvider.System.GetUtcNow()),
            CancellationToken.None);

        await pipeline.ProcessInboxAsync(10, null, CancellationToken.None);

        var mine = Mine();
        var round = mine.Where(a => a.OperationName == "tributary.realtime").ShouldHaveSingleItem();
        Count(round, Telemetry.Tags.Records).ShouldBe(1);
        var call = mine.Where(a => a.OperationName == "tributary.destination.call").ShouldHaveSingleItem();
        call.TraceId.ShouldBe(round.TraceId);
        call.GetTagItem(Telemetry.Tags.Outcome).ShouldBe("accepted");
        _destination.Contacts.ShouldContainKey("c0001");
    }

    [Fact]
    public async Task RunPass_Activities_CarryNoPersonalData()
    {
        _source.Put("c0001", "ann@example.com", "Ann");
        _source.Put("c0002", "not-an-email", "Bob");
        _destination.CallFailures.Enqueue(new PlatformException("fake", FailureKind.Transient, "refused ann@example.com", 503));

        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var mine = Mine();
        mine.Count.ShouldBeGreaterThan(2);
        foreach (var activity in mine)
        {
            var text = string.Join(' ', activity.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " " + activity.StatusDescription
                + string.Join(' ', activity.Events.Select(e => e.Name));
            text.ShouldNotContain("@");
            text.ShouldNotContain("Ann");
        }
    }
}
