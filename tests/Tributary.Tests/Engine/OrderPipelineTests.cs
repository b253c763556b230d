using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;
using Tributary.Engine;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Engine;

[Unit]
public sealed class OrderPipelineTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-orders-").FullName;
    private readonly FakeSource _source = new() { Clock = Now.AddMinutes(-30) };
    private readonly FakeDestination _destination = new() { SupportsCommerce = true };
    private SqliteSyncStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private SyncPipeline Pipeline(UncertainPolicy policy = UncertainPolicy.Skip, int pageSize = 500) => new(_source,
        [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
        new PipelineOptions
        {
            Entities = [EntityKind.Customer, EntityKind.Order],
            Uncertain = policy,
            PageSize = pageSize,
            Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20), DefaultRateLimitWait = TimeSpan.FromMilliseconds(20) },
        },
        TimeProvider.System, NullLogger.Instance);

    private Task<PassReport> PassAsync(bool full = false, int pageSize = 500) =>
        Pipeline(pageSize: pageSize).RunPassAsync(new PassOptions(Full: full), null, CancellationToken.None);

    private static Money Eur(decimal amount) => new(amount, "EUR");

    private void PutOrder(string id, string customer, OrderStatus? status = OrderStatus.Paid, long version = 1, SalesChannelKind channel = SalesChannelKind.Dtc,
        IReadOnlyList<Shipment>? shipments = null, IReadOnlyList<Refund>? refunds = null, DateTimeOffset? placedAt = null)
    {
        _source.Orders[id] = new Order
        {
            SourceId = id,
            OrderNumber = "N-" + id,
            CustomerId = customer,
            Email = customer + "@example.com",
            SourceStatus = status?.ToString() ?? "Weird",
            Status = status,
            Channel = channel,
            Currency = "EUR",
            Total = Eur(30),
            Lines = [new OrderLine("l1", "SKU-1", null, 1, Eur(10), Eur(10)), new OrderLine("l2", "SKU-2", null, 2, Eur(10), Eur(20))],
            Shipments = shipments ?? [],
            Refunds = refunds ?? [],
            PlacedAt = placedAt ?? Now.AddMinutes(-20),
            ModifiedAt = _source.Clock,
            SourceVersion = version,
        };
    }

    private void Tick() => _source.Clock = _source.Clock.AddMinutes(1);

    private List<string> Facts(EntityKind kind) =>
        _destination.Delivered.Where(d => d.Kind == kind).SelectMany(d => d.Item.Changes.Keys.Select(k => $"{d.Item.Key}/{k}")).ToList();

    [Fact]
    public async Task Orders_EachLineIsSentOnce_AndARefundAddsOnlyItsOwnLine()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o1", "c1");
        Tick();
        await PassAsync();
        Facts(EntityKind.Order).Order().ShouldBe(["o1/sale:l1", "o1/sale:l2"]);

        await PassAsync(full: true);
        Facts(EntityKind.Order).Count.ShouldBe(2);

        PutOrder("o1", "c1", version: 2, refunds: [new Refund("r1", [new ShipmentLine("l2", 1)], Eur(10), Now.AddMinutes(-5))]);
        Tick();
        await PassAsync();

        Facts(EntityKind.Order).Order().ShouldBe(["o1/refund:r1", "o1/sale:l1", "o1/sale:l2"]);
        Facts(EntityKind.Event).ShouldContain("RefundIssued:o1:r1/trigger");
    }

    [Fact]
    public async Task Orders_ContactNotYetDelivered_AreParkedAndSentOnceItIs()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o1", "c1");
        Tick();
        // The contact's first delivery is throttled, so its orders and events reach the destination before it.
        _destination.CallFailures.Enqueue(new PlatformException("fake", FailureKind.RateLimited, "429", 429, retryAfter: TimeSpan.FromMilliseconds(30)));

        var report = await PassAsync();

        _destination.Contacts.ShouldContainKey("c1");
        Facts(EntityKind.Order).Count.ShouldBe(2);
        // Parked while the contact was throttled, released and sent once it was delivered: nothing is still parked at the end.
        report.Counters.Released.ShouldBeGreaterThan(0);
        report.Counters.Parked.ShouldBe(0);
        var firstDependentCall = _destination.CallKinds.FindIndex(k => k != EntityKind.Customer);
        var contactAccepted = _destination.CallKinds.FindLastIndex(k => k == EntityKind.Customer);
        firstDependentCall.ShouldBeGreaterThan(contactAccepted);
    }

    [Fact]
    public async Task Orders_PartialShipments_OneEventPerShipmentNeverRepeated()
    {
        _source.Put("c1", "c1@example.com");
        var first = new Shipment("d1", [new ShipmentLine("l1", 1)], Now.AddMinutes(-10), "DHL", "T1", null);
        PutOrder("o1", "c1", shipments: [first]);
        Tick();
        await PassAsync();
        PutOrder("o1", "c1", version: 2, shipments: [first, new Shipment("d2", [new ShipmentLine("l2", 2)], Now.AddMinutes(-2), "DHL", "T2", null)]);
        Tick();

        await PassAsync();
        await PassAsync(full: true);

        Facts(EntityKind.Event).Where(f => f.StartsWith("ShipmentDispatched", StringComparison.Ordinal)).Order()
            .ShouldBe(["ShipmentDispatched:o1:d1/trigger", "ShipmentDispatched:o1:d2/trigger"]);
        Facts(EntityKind.Event).ShouldContain("FirstPurchase:c1/trigger");
        Facts(EntityKind.Event).Count(f => f.StartsWith("OrderPlaced", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task Orders_OutOfScopeAndUnmapped_AreCountedOrQuarantinedNeverSent()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("m1", "c1", channel: SalesChannelKind.Marketplace);
        PutOrder("u1", "c1", status: null);
        Tick();

        var report = await PassAsync();

        Facts(EntityKind.Order).ShouldBeEmpty();
        report.Counters.SkippedReasons.Keys.ShouldContain(k => k.Contains("marketplace"));
        var row = await _store.GetOutboxAsync("fake", EntityKind.Order, "u1", CancellationToken.None);
        row!.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError!.ShouldContain("not mapped");
    }

    [Fact]
    public async Task Summary_CountsOrdersAndValueNetOfRefundsAndCancellations()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o1", "c1", refunds: [new Refund("r1", [], Eur(5), Now.AddMinutes(-5))]);
        PutOrder("o2", "c1");
        PutOrder("o3", "c1", status: OrderStatus.Cancelled);
        Tick();

        await PassAsync();

        var summary = _destination.Delivered.Last(d => d.Kind == EntityKind.CustomerSummary).Item;
        summary.Fields["orders"].ShouldBe("2");
        summary.Fields["ltv"].ShouldBe("55.00");
    }

    [Fact]
    public async Task AppendOnce_FactIntendedBeforeACrash_IsNotResentButSurfacedAsUncertain()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o1", "c1");
        Tick();
        // The previous process marked this line intended and died before the destination's answer was recorded.
        await _store.MarkIntendedAsync(["fake|Order|o1|sale:l1"], Now, CancellationToken.None);

        await PassAsync();
        await PassAsync(full: true);

        Facts(EntityKind.Order).ShouldBe(["o1/sale:l2"]);
        var row = await _store.GetOutboxAsync("fake", EntityKind.Order, "o1", CancellationToken.None);
        row!.Status.ShouldBe(OutboxStatus.Dead);
        row.LastError!.ShouldContain("uncertain");
    }

    [Fact]
    public async Task Summary_OnlyOrderCancelled_FirstAndLastOrderDatesAreCleared()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o1", "c1");
        Tick();
        await PassAsync();
        _destination.Delivered.Last(d => d.Kind == EntityKind.CustomerSummary).Item.Changes["first"].ShouldNotBeNull();

        PutOrder("o1", "c1", status: OrderStatus.Cancelled, version: 2);
        Tick();
        await PassAsync();

        var summary = _destination.Delivered.Last(d => d.Kind == EntityKind.CustomerSummary).Item;
        summary.Changes["orders"].ShouldBe("0");
        summary.Changes.Keys.ShouldContain("first");
        summary.Changes["first"].ShouldBeNull();
        summary.Changes.Keys.ShouldContain("last");
        summary.Changes["last"].ShouldBeNull();
    }

    [Fact]
    public async Task Events_OrderPaidAndCancelledBeforeItIsRead_NoOrderPaid_AndThePassSaysWhy()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o1", "c1", status: OrderStatus.Cancelled);
        _source.Orders["o1"] = _source.Orders["o1"] with { PaymentStatus = "Paid" };
        Tick();

        var report = await PassAsync();

        Facts(EntityKind.Event).ShouldContain("OrderCancelled:o1/trigger");
        Facts(EntityKind.Event).ShouldNotContain(f => f.StartsWith("OrderPaid", StringComparison.Ordinal));
        report.Counters.Notes.Keys.ShouldContain(OrderRules.VoidedPaid);
    }

    private void PutCustomer(string id, DateTimeOffset createdAt) => _source.Customers[id] = new Customer
    {
        SourceId = id, Email = id + "@example.com", CreatedAt = createdAt, ModifiedAt = _source.Clock, SourceVersion = 1,
    };

    // First and repeat purchase, decided once over the whole history (one order per page: keyset paging gives a customer's
    // orders in id order, not time order), and the welcome event.

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
        PutOrder("o1", "c1", placedAt: Now.AddHours(-1));   // read first (lower id), placed later
        PutOrder("o2", "c1", placedAt: Now.AddHours(-3));   // read second, placed first
        _source.Clock = _source.Clock.AddMinutes(1);

        await PassAsync(pageSize: 1);
        await PassAsync(full: true, pageSize: 1);

        PurchaseTriggers().ShouldBe(["FirstPurchase:c1 → FirstPurchase o2", "RepeatPurchase:o1 → RepeatPurchase o1"]);
    }

    [Fact]
    public async Task Orders_AnEarlierOrderArrivingInALaterPass_NeverGivesASecondFirstOrBothToOneOrder()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o5", "c1", placedAt: Now.AddHours(-1));
        _source.Clock = _source.Clock.AddMinutes(1);
        await PassAsync(pageSize: 1);

        // An order placed before it shows up only now (imported late): the first purchase already sent stands.
        PutOrder("o1", "c1", placedAt: Now.AddHours(-4));
        _source.Clock = _source.Clock.AddMinutes(1);
        var report = await PassAsync(pageSize: 1);
        await PassAsync(full: true, pageSize: 1);

        PurchaseTriggers().ShouldBe(["FirstPurchase:c1 → FirstPurchase o5"]);
        report.Counters.Notes.Keys.ShouldContain(OrderRules.EarlierThanFirst);
    }

    [Fact]
    public async Task Orders_PassResumedAfterACrash_StillDecidesTheOrdersReadBeforeIt()
    {
        _source.Put("c1", "c1@example.com");
        PutOrder("o1", "c1", placedAt: Now.AddHours(-1));
        PutOrder("o2", "c1", placedAt: Now.AddHours(-2));

        // A crashed backfill had read o1 (kept in its cursor) and stopped before o2.
        var crashed = new SweepCursor { InProgress = new SweepWindow(null, _source.Clock, "o1", Full: true, Purchases: ["o1"]) };
        await _store.SetCursorAsync(_source.Name, EntityKind.Order, crashed.ToJson(), CancellationToken.None);
        await _store.RecordOrderFactsAsync([OrderRules.Fact(_source.Orders["o1"])!], CancellationToken.None);
        await PassAsync(pageSize: 1);

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

        await PassAsync(pageSize: 1);
        await PassAsync(full: true, pageSize: 1);

        Triggers("CustomerCreated:").ShouldBe(["CustomerCreated:new → CustomerCreated new"]);
        _destination.Contacts.Keys.ShouldBe(["new", "old", "unknown"], ignoreOrder: true);
    }
}
