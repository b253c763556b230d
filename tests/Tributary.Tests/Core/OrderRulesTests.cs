using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Tests.Core;

[Unit]
public sealed class OrderRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static readonly OrderScopeOptions Scope = new();

    private static Order Order(string id = "o-1", string? customer = "c-1", OrderStatus? status = OrderStatus.Pending, decimal total = 100m,
        DateTimeOffset? placedAt = null) => new()
    {
        SourceId = id,
        OrderNumber = "N-" + id,
        CustomerId = customer,
        Email = customer is null ? "guest@example.com" : "ann@example.com",
        Status = status,
        Currency = "EUR",
        Total = new Money(total, "EUR"),
        Lines = [new OrderLine("l-1", "SKU-1", null, 2, new Money(25m, "EUR"), new Money(50m, "EUR"), Name: "Mug"), new OrderLine("l-2", "SKU-2", null, 1.5m, new Money(10m, "EUR"), new Money(15m, "EUR"))],
        PlacedAt = placedAt ?? Now.AddHours(-1),
        ModifiedAt = Now.AddMinutes(-30),
        SourceVersion = 7,
    };

    private static CustomerSummary Summary(DateTimeOffset? firstOrderAt) => new() { CustomerId = "c-1", Currency = "EUR", FirstOrderAt = firstOrderAt };

    // Scope

    [Fact]
    public void SkipReason_DtcOrderWithCustomer_IsInScope() => OrderRules.SkipReason(Order(), Scope).ShouldBeNull();

    [Fact]
    public void SkipReason_ChannelNotSynced_SaysWhichChannelsAre() =>
        OrderRules.SkipReason(Order() with { Channel = SalesChannelKind.Wholesale }, Scope).ShouldBe("wholesale order (only dtc orders are synced)");

    [Fact]
    public void SkipReason_ChannelAddedToScope_IsInScope() =>
        OrderRules.SkipReason(Order() with { Channel = SalesChannelKind.Pos },
            new OrderScopeOptions { Channels = new HashSet<SalesChannelKind> { SalesChannelKind.Dtc, SalesChannelKind.Pos } }).ShouldBeNull();

    [Fact]
    public void SkipReason_ExcludedStore_MatchesIgnoringCase()
    {
        var scope = new OrderScopeOptions { ExcludeStores = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "outlet" } };

        OrderRules.SkipReason(Order() with { Store = "Outlet" }, scope).ShouldBe("store 'Outlet' is excluded");
        OrderRules.SkipReason(Order() with { Store = "main" }, scope).ShouldBeNull();
    }

    [Fact]
    public void SkipReason_NoEmailAndNoCustomer_IsSkipped() =>
        OrderRules.SkipReason(Order(customer: null) with { Email = " " }, Scope).ShouldBe("order without an email or customer");

    [Fact]
    public void SkipReason_GuestWithEmail_IsInScope() => OrderRules.SkipReason(Order(customer: null), Scope).ShouldBeNull();

    [Fact]
    public void SkipReason_ChannelCheckedBeforeStore() =>
        OrderRules.SkipReason(Order() with { Channel = SalesChannelKind.Marketplace, Store = "outlet" },
            new OrderScopeOptions { ExcludeStores = new HashSet<string> { "outlet" } }).ShouldBe("marketplace order (only dtc orders are synced)");

    // Facts

    [Fact]
    public void Fact_GuestOrder_IsNull() => OrderRules.Fact(Order(customer: null)).ShouldBeNull();

    [Fact]
    public void Fact_PlainOrder_CountsItsTotal() =>
        OrderRules.Fact(Order()).ShouldBe(new OrderFact("c-1", "o-1", Now.AddHours(-1), 100m, "EUR", true));

    [Fact]
    public void Fact_Refunds_InTheOrderCurrency_AreSubtracted_OthersIgnored()
    {
        var order = Order() with
        {
            Refunds = [new Refund("r-1", [], new Money(30m, "EUR"), Now), new Refund("r-2", [], new Money(5m, "USD"), Now)],
        };

        OrderRules.Fact(order)!.NetAmount.ShouldBe(70m);
    }

    [Fact]
    public void Fact_RefundsAboveTheTotal_NetIsZeroNotNegative() =>
        OrderRules.Fact(Order() with { Refunds = [new Refund("r-1", [], new Money(150m, "EUR"), Now)] })!.NetAmount.ShouldBe(0m);

    [Fact]
    public void Fact_Cancelled_IsNotCountedAndWorthNothing()
    {
        var fact = OrderRules.Fact(Order(status: OrderStatus.Cancelled))!;

        fact.Counted.ShouldBeFalse();
        fact.NetAmount.ShouldBe(0m);
    }

    // Summaries

    [Fact]
    public void Summarise_CountedOrders_CountValueAverageAndDates()
    {
        var d1 = Now.AddDays(-10);
        var d2 = Now.AddDays(-5);
        var d3 = Now.AddDays(-1);

        var summary = OrderRules.Summarise("c-1", [(d1, 10m, "EUR", true), (d2, 0m, "EUR", false), (d3, 25m, "EUR", true)]);

        summary.CustomerId.ShouldBe("c-1");
        summary.OrderCount.ShouldBe(2);
        summary.LifetimeValue.ShouldBe(35m);
        summary.AverageOrderValue.ShouldBe(17.5m);
        summary.Currency.ShouldBe("EUR");
        summary.FirstOrderAt.ShouldBe(d1);
        summary.LastOrderAt.ShouldBe(d3);
        summary.ModifiedAt.ShouldBe(d3);
    }

    [Fact]
    public void Summarise_MixedCurrencies_ValueInTheLatestCountedCurrencyOnly()
    {
        var summary = OrderRules.Summarise("c-1", [(Now.AddDays(-3), 40m, "EUR", true), (Now.AddDays(-2), 10m, "SEK", true), (Now.AddDays(-1), 20m, "SEK", true)]);

        summary.Currency.ShouldBe("SEK");
        summary.OrderCount.ShouldBe(3);
        summary.LifetimeValue.ShouldBe(30m);
        summary.AverageOrderValue.ShouldBe(15m);
    }

    [Fact]
    public void Summarise_AverageIsRoundedToCents() =>
        OrderRules.Summarise("c-1", [(Now.AddDays(-3), 10m, "EUR", true), (Now.AddDays(-2), 10m, "EUR", true), (Now.AddDays(-1), 0.01m, "EUR", true)])
            .AverageOrderValue.ShouldBe(6.67m);

    [Fact]
    public void Summarise_NothingCounted_NoOrdersNoDates_CurrencyOfTheLatestRow()
    {
        var summary = OrderRules.Summarise("c-1", [(Now.AddDays(-2), 0m, "EUR", false), (Now.AddDays(-1), 0m, "SEK", false)]);

        summary.OrderCount.ShouldBe(0);
        summary.LifetimeValue.ShouldBe(0m);
        summary.AverageOrderValue.ShouldBe(0m);
        summary.Currency.ShouldBe("SEK");
        summary.FirstOrderAt.ShouldBeNull();
        summary.LastOrderAt.ShouldBeNull();
        summary.ModifiedAt.ShouldBe(Now.AddDays(-1));
    }

    // Events

    [Fact]
    public void Events_GuestOrder_None() => OrderRules.Events(Order(customer: null), Now, Scope).ShouldBeEmpty();

    [Fact]
    public void Events_NewOrderWithoutSummary_OnlyPlaced_CarryingTheOrder()
    {
        var placed = OrderRules.Events(Order(), Now, Scope).ShouldHaveSingleItem();

        placed.Type.ShouldBe(CommerceEventType.OrderPlaced);
        placed.DedupeKey.ShouldBe("OrderPlaced:o-1");
        placed.CustomerId.ShouldBe("c-1");
        placed.SubjectId.ShouldBe("o-1");
        placed.OccurredAt.ShouldBe(Now.AddHours(-1));
        placed.ModifiedAt.ShouldBe(Now.AddMinutes(-30));
        placed.SourceVersion.ShouldBe(7);
        placed.Data["orderNumber"].ShouldBe("N-o-1");
        placed.Data["total"].ShouldBe("100.00");
        placed.Data["currency"].ShouldBe("EUR");
        placed.Data["lines"].ShouldBe("2 x Mug; 1.5 x SKU-2");
    }

    [Fact]
    public void Events_NeverFirstOrRepeatPurchase_TheyAreDecidedOverTheHistory() =>
        OrderRules.Events(Order(status: OrderStatus.Paid), Now, Scope).ShouldNotContain(e =>
            e.Type == CommerceEventType.FirstPurchase || e.Type == CommerceEventType.RepeatPurchase);

    // First and repeat purchase

    [Fact]
    public void PurchaseEvents_FirstOrderOfTheCustomer_FirstPurchaseKeyedByCustomer_AndDecided()
    {
        var order = Order();

        var (events, decision) = OrderRules.PurchaseEvents([order], Summary(order.PlacedAt), null, Now, Scope);

        events.Select(e => e.DedupeKey).ShouldBe(["FirstPurchase:c-1"]);
        events[0].Data["orderNumber"].ShouldBe("N-o-1");
        decision.ShouldBe(new FirstPurchaseDecision("o-1", order.PlacedAt));
    }

    [Fact]
    public void PurchaseEvents_LaterOrder_RepeatPurchaseKeyedByOrder_NothingDecided()
    {
        var (events, decision) = OrderRules.PurchaseEvents([Order()], Summary(Now.AddDays(-30)), null, Now, Scope);

        events.Select(e => e.DedupeKey).ShouldBe(["RepeatPurchase:o-1"]);
        decision.ShouldBeNull();
    }

    [Fact]
    public void PurchaseEvents_TwoOrdersReadOutOfTimeOrder_FirstGoesToTheEarlier()
    {
        var later = Order("o-1", placedAt: Now.AddHours(-1));
        var earlier = Order("o-9", placedAt: Now.AddHours(-3));

        var (events, decision) = OrderRules.PurchaseEvents([later, earlier], Summary(earlier.PlacedAt), null, Now, Scope);

        events.Select(e => e.DedupeKey).ShouldBe(["FirstPurchase:c-1", "RepeatPurchase:o-1"]);
        events[0].SubjectId.ShouldBe("o-9");
        decision!.OrderId.ShouldBe("o-9");
    }

    [Fact]
    public void PurchaseEvents_DecidedBefore_StandsWhenAnEarlierOrderIsReadLate()
    {
        var first = Order("o-1", placedAt: Now.AddHours(-1));
        var lateEarlier = Order("o-2", placedAt: Now.AddHours(-5));
        var decided = new FirstPurchaseDecision("o-1", first.PlacedAt);
        var notes = new List<string>();

        // The history now starts at the late order; the decision already sent does not move, and no order carries both.
        var (events, decision) = OrderRules.PurchaseEvents([first, lateEarlier], Summary(lateEarlier.PlacedAt), decided, Now, Scope, notes);

        events.Select(e => e.DedupeKey).ShouldBe(["FirstPurchase:c-1"]);
        events[0].SubjectId.ShouldBe("o-1");
        decision.ShouldBeNull();
        notes.ShouldBe([OrderRules.EarlierThanFirst]);
    }

    [Fact]
    public void PurchaseEvents_ReReadAfterTheFirstWasCancelled_StaysRepeat()
    {
        var decided = new FirstPurchaseDecision("o-1", Now.AddHours(-5));
        var second = Order("o-2", placedAt: Now.AddHours(-1));

        var (events, _) = OrderRules.PurchaseEvents([second], Summary(second.PlacedAt), decided, Now, Scope);

        events.Select(e => e.DedupeKey).ShouldBe(["RepeatPurchase:o-2"]);
    }

    [Fact]
    public void PurchaseEvents_CancelledOrOlderThanTheHorizon_None()
    {
        var cancelled = Order("o-1", status: OrderStatus.Cancelled);
        var old = Order("o-2", placedAt: Now.AddDays(-3));

        OrderRules.PurchaseEvents([cancelled, old], Summary(old.PlacedAt), null, Now, Scope).Events.ShouldBeEmpty();
    }

    [Fact]
    public void FirstPurchaseDecision_RoundTripsThroughRuleState()
    {
        var decision = new FirstPurchaseDecision("o-1", Now.AddHours(-1));

        FirstPurchaseDecision.FromState(decision.ToState()).ShouldBe(decision);
        FirstPurchaseDecision.FromState(new Dictionary<string, string?> { ["order"] = "o-1", ["placedAt"] = "not a time" }).ShouldBeNull();
    }

    [Fact]
    public void Events_CancelledOrder_NoPurchaseEvent_Cancelled()
    {
        var order = Order(status: OrderStatus.Cancelled);

        var events = OrderRules.Events(order, Now, Scope);

        events.Select(e => e.DedupeKey).ShouldBe(["OrderPlaced:o-1", "OrderCancelled:o-1"]);
        events[1].OccurredAt.ShouldBe(order.ModifiedAt);
    }

    [Theory]
    [InlineData(OrderStatus.Paid, null)]
    [InlineData(OrderStatus.Completed, null)]
    [InlineData(OrderStatus.Pending, "paid")]
    public void Events_PaidByStatusOrPaymentState_OrderPaidAtModification(OrderStatus status, string? payment)
    {
        var order = Order(status: status) with { PaymentStatus = payment };

        var paid = OrderRules.Events(order, Now, Scope).Single(e => e.Type == CommerceEventType.OrderPaid);

        paid.DedupeKey.ShouldBe("OrderPaid:o-1");
        paid.OccurredAt.ShouldBe(order.ModifiedAt);
    }

    [Fact]
    public void Events_PendingUnpaid_NoOrderPaid() =>
        OrderRules.Events(Order() with { PaymentStatus = "Pending" }, Now, Scope).ShouldNotContain(e => e.Type == CommerceEventType.OrderPaid);

    [Fact]
    public void Events_EachShipment_OneDispatchedEventWithItsTracking()
    {
        var order = Order() with
        {
            Shipments =
            [
                new Shipment("s-1", [new ShipmentLine("l-1", 2)], Now.AddMinutes(-20), "DHL", "T1", "https://track.example/T1"),
                new Shipment("s-2", [new ShipmentLine("l-2", 1.5m), new ShipmentLine("l-1", 1)], null, null, null, null),
            ],
        };

        var dispatched = OrderRules.Events(order, Now, Scope).Where(e => e.Type == CommerceEventType.ShipmentDispatched).ToList();

        dispatched.Select(e => e.DedupeKey).ShouldBe(["ShipmentDispatched:o-1:s-1", "ShipmentDispatched:o-1:s-2"]);
        dispatched[0].OccurredAt.ShouldBe(Now.AddMinutes(-20));
        dispatched[0].Data["carrier"].ShouldBe("DHL");
        dispatched[0].Data["trackingNumber"].ShouldBe("T1");
        dispatched[0].Data["trackingUrl"].ShouldBe("https://track.example/T1");
        dispatched[0].Data["items"].ShouldBe("2");
        dispatched[0].Data["orderNumber"].ShouldBe("N-o-1");
        dispatched[1].OccurredAt.ShouldBe(order.ModifiedAt);
        dispatched[1].Data["items"].ShouldBe("2.5");
    }

    [Fact]
    public void Events_DeliveredShipmentState_OrderDelivered() =>
        OrderRules.Events(Order() with { ShipmentState = "DELIVERED" }, Now, Scope)
            .Single(e => e.Type == CommerceEventType.OrderDelivered).DedupeKey.ShouldBe("OrderDelivered:o-1");

    [Fact]
    public void Events_EachRefund_OneEventWithItsAmount()
    {
        var order = Order() with
        {
            Refunds = [new Refund("r-1", [], new Money(12.5m, "EUR"), Now.AddMinutes(-10)), new Refund("r-2", [], new Money(3m, "EUR"), Now.AddMinutes(-5))],
        };

        var refunds = OrderRules.Events(order, Now, Scope).Where(e => e.Type == CommerceEventType.RefundIssued).ToList();

        refunds.Select(e => e.DedupeKey).ShouldBe(["RefundIssued:o-1:r-1", "RefundIssued:o-1:r-2"]);
        refunds[0].Data["refundAmount"].ShouldBe("12.50");
        refunds[0].Data["refundId"].ShouldBe("r-1");
        refunds[1].OccurredAt.ShouldBe(Now.AddMinutes(-5));
    }

    [Fact]
    public void Events_OlderThanTheHorizon_LeftOut_NewerKept()
    {
        // A backfill of an old order must not start journeys; a refund on it today still does.
        var order = Order(status: OrderStatus.Paid, placedAt: Now.AddDays(-3)) with
        {
            ModifiedAt = Now.AddDays(-2),
            Refunds = [new Refund("r-1", [], new Money(5m, "EUR"), Now.AddHours(-2))],
        };

        OrderRules.Events(order, Now, Scope).Select(e => e.DedupeKey).ShouldBe(["RefundIssued:o-1:r-1"]);
    }

    [Fact]
    public void Events_Horizon_IsTheScopes_AndInclusive()
    {
        var scope = new OrderScopeOptions { EventHorizon = TimeSpan.FromDays(7) };
        var atHorizon = Order(placedAt: Now.AddDays(-7));
        var pastHorizon = Order(placedAt: Now.AddDays(-7).AddTicks(-1));

        OrderRules.Events(atHorizon, Now, scope).Select(e => e.Type).ShouldBe([CommerceEventType.OrderPlaced]);
        OrderRules.Events(pastHorizon, Now, scope).ShouldBeEmpty();
        OrderRules.Events(atHorizon, Now, Scope).ShouldBeEmpty();
    }

    // Lifecycle corrections

    [Fact]
    public void Summarise_AverageOnAHalfCent_RoundsAwayFromZero()
    {
        var rows = new List<(DateTimeOffset, decimal, string, bool)> { (Now.AddDays(-2), 576.96m, "EUR", true), (Now.AddDays(-1), 576.97m, "EUR", true) };

        OrderRules.Summarise("c-1", rows).AverageOrderValue.ShouldBe(576.97m);
    }

    [Theory]
    [InlineData("576.965", "576.97")]
    [InlineData("0.125", "0.13")]
    [InlineData("-0.125", "-0.13")]
    [InlineData("2.5", "2.50")]
    public void MoneyRounding_HalfCent_AwayFromZero(string amount, string expected) =>
        MoneyRounding.Format(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(expected);

    [Fact]
    public void Events_PaidButAlreadyCancelled_NoOrderPaid_AndSaysWhy()
    {
        var voided = new List<string>();

        var events = OrderRules.Events(Order(status: OrderStatus.Cancelled) with { PaymentStatus = "Paid" }, Now, Scope, voided);

        events.ShouldNotContain(e => e.Type == CommerceEventType.OrderPaid);
        events.ShouldContain(e => e.Type == CommerceEventType.OrderCancelled);
        voided.ShouldBe(["OrderPaid not sent: the order is already cancelled"]);
    }
}
