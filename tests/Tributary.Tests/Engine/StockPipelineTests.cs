using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Budgets;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Engine;

public sealed class StockPipelineTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-stock-").FullName;
    private readonly FakeSource _source = new();
    private readonly FakeDestination _destination = new() { SupportsCommerce = true };
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
            new PipelineOptions { Entities = [EntityKind.Stock] }, TimeProvider.System, NullLogger.Instance);
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
}
