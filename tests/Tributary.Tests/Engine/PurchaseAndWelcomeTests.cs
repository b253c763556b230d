using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Budgets;
using Tributary.Core.Model;
using Tributary.Core.Rules;
using Tributary.Engine;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Engine;

/// <summary>First and repeat purchase decided over the whole history once, and the welcome event, through the engine.</summary>
[Unit]
public sealed class PurchaseAndWelcomeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-purchases-").FullName;
    private readonly FakeSource _source = new() { Clock = Now.AddMinutes(-30) };
    private readonly FakeDestination _destination = new() { SupportsCommerce = true };
    private SqliteSyncStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    // One order per page: a customer's orders arrive in id order, as keyset paging gives them, not in time order.
    private Task<PassReport> PassAsync(bool full = false) => new SyncPipeline(_source,
        [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
        new PipelineOptions { Entities = [EntityKind.Customer, EntityKind.Order], PageSize = 1 },
        TimeProvider.System, NullLogger.Instance).RunPassAsync(new PassOptions(Full: full), null, CancellationToken.None);

    private static Money Eur(decimal amount) => new(amount, "EUR");

    private void PutOrder(string id, string customer, DateTimeOffset placedAt, OrderStatus status = OrderStatus.Paid) => _source.Orders[id] = new Order
    {
        SourceId = id,
        OrderNumber = "N-" + id,
        CustomerId = customer,
        Email = customer + "@example.com",
        SourceStatus = status.ToString(),
        Status = status,
        Currency = "EUR",
        Total = Eur(30),
        Lines = [new OrderLine("l1", "SKU-1", null, 1, Eur(30), Eur(30))],
        PlacedAt = placedAt,
        ModifiedAt = _source.Clock,
        SourceVersion = 1,
    };

    private void PutCustomer(string id, DateTimeOffset createdAt) => _source.Customers[id] = new Customer
    {
        SourceId = id, Email = id + "@example.com", CreatedAt = createdAt, ModifiedAt = _source.Clock, SourceVersion = 1,
    };

    /// <summary>Every purchase trigger delivered, as "key → type and order".</summary>
    private List<string> Triggers(string prefix) => _destination.Delivered
        .Where(d => d.Kind == EntityKind.Event && d.Item.Key.StartsWith(prefix, StringComparison.Ordinal))
        .Select(d => $"{d.Item.Key} → {d.Item.Changes["trigger"]}")
        .Order(StringComparer.Ordinal)
        .ToList();

    private List<string> PurchaseTriggers() => [.. Triggers("FirstPurchase:"), .. Triggers("RepeatPurchase:")];

    [Fact]
    public async Task Orders_ReadOutOfTimeOrder_FirstPurchaseIsTheEarliest_AndAFullReReadAddsNothing()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o1", "c1", Now.AddHours(-1));   // read first (lower id), placed later
        PutOrder("o2", "c1", Now.AddHours(-3));   // read second, placed first
        _source.Clock = _source.Clock.AddMinutes(1);

        await PassAsync();
        await PassAsync(full: true);

        PurchaseTriggers().ShouldBe(["FirstPurchase:c1 → FirstPurchase o2", "RepeatPurchase:o1 → RepeatPurchase o1"]);
    }

    [Fact]
    public async Task Orders_AnEarlierOrderArrivingInALaterPass_NeverGivesASecondFirstOrBothToOneOrder()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o5", "c1", Now.AddHours(-1));
        _source.Clock = _source.Clock.AddMinutes(1);
        await PassAsync();

        // An order placed before it shows up only now (imported late): the first purchase already sent stands.
        PutOrder("o1", "c1", Now.AddHours(-4));
        _source.Clock = _source.Clock.AddMinutes(1);
        var report = await PassAsync();
        await PassAsync(full: true);

        PurchaseTriggers().ShouldBe(["FirstPurchase:c1 → FirstPurchase o5"]);
        report.Counters.Notes.Keys.ShouldContain(OrderRules.EarlierThanFirst);
    }

    [Fact]
    public async Task Orders_PassResumedAfterACrash_StillDecidesTheOrdersReadBeforeIt()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o1", "c1", Now.AddHours(-1));
        PutOrder("o2", "c1", Now.AddHours(-2));

        // A crashed backfill had read o1 (kept in its cursor) and stopped before o2.
        var crashed = new SweepCursor { InProgress = new SweepWindow(null, _source.Clock, "o1", Full: true, Purchases: ["o1"]) };
        await _store.SetCursorAsync(_source.Name, EntityKind.Order, crashed.ToJson(), CancellationToken.None);
        await _store.RecordOrderFactsAsync([OrderRules.Fact(_source.Orders["o1"])!], CancellationToken.None);
        await PassAsync();

        PurchaseTriggers().ShouldBe(["FirstPurchase:c1 → FirstPurchase o2", "RepeatPurchase:o1 → RepeatPurchase o1"]);
        _source.Gets.ShouldContainKey("o1");
    }

    [Fact]
    public async Task Customers_CreatedWithinTheHorizon_GetOneWelcome_BackfilledOnesNone()
    {
        PutCustomer("new", Now.AddMinutes(-10));
        PutCustomer("old", Now.AddDays(-400));
        PutCustomer("unknown", default);
        _source.Clock = _source.Clock.AddMinutes(1);

        await PassAsync();
        await PassAsync(full: true);

        Triggers("CustomerCreated:").ShouldBe(["CustomerCreated:new → CustomerCreated new"]);
        _destination.Contacts.Keys.ShouldBe(["new", "old", "unknown"], ignoreOrder: true);
    }
}
