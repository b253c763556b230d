using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Engine;

[Unit]
public sealed class StockPipelineTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-stock-").FullName;
    private readonly FakeSource _source = new();
    private FakeDestination _destination = new() { SupportsCommerce = true };
    private SqliteSyncStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task ReadAtsAsync(decimal ats)
    {
        _source.Stock["SKU-1"] = new StockLevel { Sku = "SKU-1", AvailableToSell = ats, ModifiedAt = _source.Clock, SourceVersion = 1 };
        _source.Clock = _source.Clock.AddMinutes(1);
        var pipeline = new SyncPipeline(_source, [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
            new PipelineOptions { Entities = [EntityKind.Customer, EntityKind.Stock] }, TimeProvider.System, NullLogger.Instance);
        await pipeline.RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None);
    }

    private List<string> StockEvents() => _destination.Delivered.Where(d => d.Kind == EntityKind.Event).Select(d => d.Item.Key).ToList();

    [Fact]
    public async Task BackInStock_FiresOncePerRealCrossing_AndNeverOnTheFirstReading()
    {
        await ReadAtsAsync(0);
        StockEvents().ShouldBeEmpty();

        await ReadAtsAsync(10);
        await ReadAtsAsync(10);
        await ReadAtsAsync(0);
        await ReadAtsAsync(10);

        StockEvents().Where(k => k.StartsWith("BackInStock", StringComparison.Ordinal)).ShouldBe(["BackInStock:SKU-1:1", "BackInStock:SKU-1:2"]);
    }

    [Fact]
    public async Task LowStock_ValueFlappingAroundTheLine_FiresOnce()
    {
        await ReadAtsAsync(20);
        foreach (var ats in new decimal[] { 4, 5, 4, 6, 4, 5 })
        {
            await ReadAtsAsync(ats);
        }

        StockEvents().Count(k => k.StartsWith("LowStock", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task BackInStock_SkuWithWatchers_FiresOneEventPerWatcherWithTheCustomer()
    {
        _source.Watchers["SKU-1"] = ["c-1", "c-2"];
        _source.Put("c-1", "one@example.com");
        _source.Put("c-2", "two@example.com");
        await ReadAtsAsync(0);
        await ReadAtsAsync(10);

        var events = _destination.Delivered.Where(d => d.Kind == EntityKind.Event).Select(d => d.Item.Key).Order(StringComparer.Ordinal).ToList();
        // The customer-less signal is kept as the record of the crossing; each watcher gets its own event, once.
        events.ShouldBe(["BackInStock:SKU-1:1", "BackInStock:SKU-1:1:c-1", "BackInStock:SKU-1:1:c-2"]);
        await ReadAtsAsync(10);
        _destination.Delivered.Count(d => d.Kind == EntityKind.Event).ShouldBe(3);
    }

    [Fact]
    public async Task BackInStock_SkuNotInThePublishedCatalogue_IsCountedAndNotSent()
    {
        _destination = new FakeDestination { SupportsCommerce = true, SupportsProducts = true };
        _source.Watchers["SKU-1"] = ["c-1"];
        await ReadAtsAsync(0);
        _source.Stock["SKU-1"] = new StockLevel { Sku = "SKU-1", AvailableToSell = 10, ModifiedAt = _source.Clock, SourceVersion = 2 };
        _source.Clock = _source.Clock.AddMinutes(1);
        var pipeline = new SyncPipeline(_source, [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
            new PipelineOptions { Entities = [EntityKind.Stock] }, TimeProvider.System, NullLogger.Instance);

        var report = await pipeline.RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None);

        StockEvents().ShouldBeEmpty();
        // A signal is not a source record: it is said beside the balance, and the stock reading itself still balances.
        report.Counters.Notes.Keys.ShouldContain(k => k.Contains("not in the published catalogue", StringComparison.Ordinal));
        report.Counters.Sources.ShouldAllBe(s => s.Balanced);
    }

    [Fact]
    public async Task BackInStock_SkuInThePublishedCatalogue_IsSent()
    {
        _destination = new FakeDestination { SupportsCommerce = true, SupportsProducts = true };
        _source.Watchers["SKU-1"] = ["c-1"];
        _source.Put("c-1", "one@example.com");
        await MarkProductDeliveredAsync("SKU-1");
        await ReadAtsAsync(0);
        await ReadAtsAsync(10);

        StockEvents().ShouldContain("BackInStock:SKU-1:1:c-1");
    }

    private async Task MarkProductDeliveredAsync(string sku)
    {
        var now = TimeProvider.System.GetUtcNow();
        var entry = new OutboxEntry
        {
            Destination = _destination.Name, Entity = EntityKind.Product, Key = sku,
            Fields = new Dictionary<string, string?> { ["title"] = sku }, Changes = new Dictionary<string, string?> { ["title"] = sku },
            Hash = "h", SourceVersion = 1, SourceModifiedAt = now, Status = OutboxStatus.Pending, NextAttemptAt = now, EnqueuedAt = now,
        };
        await _store.StageAsync(new StageBatch([entry], []), CancellationToken.None);
        var leased = await _store.LeaseDueAsync(_destination.Name, EntityKind.Product, now.AddSeconds(1), 10, TimeSpan.FromMinutes(1), CancellationToken.None);
        await _store.CompleteAsync(leased.Select(l => new DeliveryOutcome(l, null, now)).ToList(), CancellationToken.None);
    }

    [Fact]
    public async Task ProcessInbox_WhileABackfillOfAnotherEntityRuns_DeliversTheNotifiedRecordWithoutWaitingForIt()
    {
        _source.Put("c-1", "one@example.com");
        _source.CustomerReadGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = new SyncPipeline(_source, [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
            new PipelineOptions { Entities = [EntityKind.Customer, EntityKind.Stock] }, TimeProvider.System, NullLogger.Instance);
        var backfill = pipeline.RunPassAsync(new PassOptions(Full: true, Entities: [EntityKind.Customer]), null, CancellationToken.None);
        await _source.CustomerReadStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        _source.Stock["SKU-9"] = new StockLevel { Sku = "SKU-9", AvailableToSell = 3, ModifiedAt = _source.Clock, SourceVersion = 1 };
        await _store.TryAddInboxAsync(new InboxMessage(0, "m-stock", "fake-source", EntityKind.Stock, "SKU-9", TimeProvider.System.GetUtcNow()),
            CancellationToken.None);
        await pipeline.ProcessInboxAsync(100, null, CancellationToken.None);

        backfill.IsCompleted.ShouldBeFalse("the backfill is still reading");
        _destination.Delivered.Where(d => d.Kind == EntityKind.Stock).Select(d => d.Item.Key).ShouldBe(["SKU-9"]);
        _source.CustomerReadGate.SetResult();
        await backfill;
        _destination.Contacts.Keys.ShouldContain("c-1");
    }
}
