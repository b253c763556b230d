using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Budgets;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Sandbox;
using Tributary.Storage.Sqlite;
using Tributary.Tests.Engine;
using Tributary.Tests.Sandbox.Emarsys;

namespace Tributary.Tests.Connectors.Emarsys;

/// <summary>Every HTTP request to Emarsys draws from the account's budget, however many calls one delivery makes.</summary>
[Connector]
public sealed class EmarsysBudgetTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-emarsys-budget-").FullName;
    private readonly TestClock _clock = new(TimeProvider.System.GetUtcNow(), ClockMode.Wall);
    private SandboxServer _server = null!;
    private SqliteSyncStore _store = null!;

    public async Task InitializeAsync()
    {
        var sandbox = new SandboxOptions();
        sandbox.Emarsys.RequestsPerMinute = 0;
        _server = await SandboxServer.StartAsync(sandbox, _clock, CancellationToken.None);
        _store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Pass_WithEventsOfSeveralIds_EveryRequestTheEmulatorSawDrewAPermit()
    {
        var sandbox = new SandboxOptions();
        var now = _clock.GetUtcNow();
        var source = new FakeSource { Clock = now.AddMinutes(-5) };
        foreach (var id in new[] { "c1", "c2", "c3" })
        {
            source.Customers[id] = new Customer
            {
                SourceId = id, Email = id + "@example.com", CreatedAt = now.AddMinutes(-30), ModifiedAt = source.Clock, SourceVersion = 1,
            };
            source.Orders["o-" + id] = new Order
            {
                SourceId = "o-" + id, CustomerId = id, Email = id + "@example.com", SourceStatus = "Paid", Status = OrderStatus.Paid,
                Currency = "EUR", Total = new Money(20, "EUR"), Lines = [new OrderLine("l1", "SKU-1", null, 1, new Money(20, "EUR"), new Money(20, "EUR"))],
                PlacedAt = now.AddMinutes(-20), ModifiedAt = source.Clock, SourceVersion = 1,
            };
        }

        // Four event ids: Emarsys takes one trigger call per event id, so one event batch makes four calls.
        var options = new EmarsysDestinationOptions
        {
            EventIds =
            {
                [CommerceEventType.OrderPlaced] = "1001", [CommerceEventType.OrderPaid] = "1002",
                [CommerceEventType.FirstPurchase] = "1007", [CommerceEventType.CustomerCreated] = "1009",
            },
        };
        var budget = new RateBudget(EmarsysDestination.DestinationName, 6000, _clock, burst: null, realtimeReserve: 0.2);
        var destination = EmarsysDestination.Create(new EmarsysClientOptions
        {
            ApiUrl = _server.EmarsysUrl, User = sandbox.Emarsys.User, Secret = sandbox.Emarsys.Secret,
            SalesDataUrl = _server.EmarsysUrl, MerchantId = sandbox.Emarsys.MerchantId, SalesDataToken = sandbox.Emarsys.SalesDataToken,
        }, options, _clock, budget: budget);
        var pipeline = new SyncPipeline(source, [new DestinationBinding(destination, budget)], _store,
            new PipelineOptions { Entities = [EntityKind.Customer, EntityKind.Order] }, _clock, NullLogger.Instance);

        var report = await pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var triggered = _server.Emarsys.Triggers.Select(t => t.EventId).Distinct().Order().ToList();
        triggered.ShouldBe([1001, 1002, 1007, 1009]);
        _server.Emarsys.TriggerRequests.ShouldBeGreaterThanOrEqualTo(4);
        _server.Emarsys.RequestCount.ShouldBe(budget.Granted);
        report.Counters.Calls.ShouldBe(_server.Emarsys.RequestCount);
    }

    [Fact]
    public async Task Client_OutsideADelivery_DrawsFromTheBulkLane_NeverTheReserve()
    {
        var sandbox = new SandboxOptions();
        // 60 a minute: a burst of 10, 2 of them reserved for the real-time lane.
        var budget = new RateBudget(EmarsysDestination.DestinationName, 60, _clock, burst: null, realtimeReserve: 0.2);
        var destination = EmarsysDestination.Create(new EmarsysClientOptions
        {
            ApiUrl = _server.EmarsysUrl, User = sandbox.Emarsys.User, Secret = sandbox.Emarsys.Secret,
        }, new EmarsysDestinationOptions(), _clock, budget: budget);

        await destination.Client.GetSettingsAsync(CancellationToken.None);
        await destination.Client.GetSettingsAsync(CancellationToken.None);

        budget.Granted.ShouldBe(2);
        budget.GrantedRealtime.ShouldBe(0);
        _server.Emarsys.RequestCount.ShouldBe(2);
    }
}
