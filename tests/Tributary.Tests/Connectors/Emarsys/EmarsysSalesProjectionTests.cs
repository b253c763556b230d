using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Facts;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Emarsys;

[Unit]
public class EmarsysSalesProjectionTests
{
    private static readonly DateTimeOffset Placed = new(2026, 5, 1, 9, 12, 0, TimeSpan.Zero);

    private static EmarsysDestination Destination(Action<EmarsysDestinationOptions>? configure = null)
    {
        var options = new EmarsysDestinationOptions();
        configure?.Invoke(options);
        return EmarsysDestination.Create(new EmarsysClientOptions { User = "u", Secret = "s", MerchantId = "m", SalesDataToken = "t" },
            options, TimeProvider.System);
    }

    [Fact]
    public void Project_PaidOrder_OneSaleRowPerLineWithLineTotal()
    {
        var projection = Destination().Project(Order());

        projection.QuarantineReason.ShouldBeNull();
        Rows(projection).ShouldBe(new Dictionary<string, string?>
        {
            ["sale:o-1:l-1"] = "42,2026-05-01T09:12:00Z,CT-981,,SKU-1,39.98,2",
            ["sale:o-1:l-2"] = "42,2026-05-01T09:12:00Z,CT-981,,SKU-2,15.00,1",
        }, ignoreOrder: true);
        projection.DependsOn.ShouldBe(new DependencyKey(EntityKind.Customer, "CT-981"));
    }

    [Fact]
    public void Semantics_OrderAndEvent_AppendOnceCustomerAndSummaryUpsert()
    {
        var d = Destination();

        d.Semantics(EntityKind.Order).ShouldBe(DeliverySemantics.AppendOnce);
        d.Semantics(EntityKind.Event).ShouldBe(DeliverySemantics.AppendOnce);
        d.Semantics(EntityKind.Customer).ShouldBe(DeliverySemantics.Upsert);
        d.Semantics(EntityKind.CustomerSummary).ShouldBe(DeliverySemantics.Upsert);
    }

    [Fact]
    public void Supports_Order_OnlyWhenSalesDataConfigured()
    {
        var without = EmarsysDestination.Create(new EmarsysClientOptions { User = "u", Secret = "s" }, new EmarsysDestinationOptions(),
            TimeProvider.System);

        Destination().Supports(EntityKind.Order).ShouldBeTrue();
        without.Supports(EntityKind.Order).ShouldBeFalse();
    }

    [Fact]
    public void Project_PartialRefund_NegativeRowForExactlyTheRefundedQuantity()
    {
        var order = Order() with
        {
            Refunds = [new Refund("r-1", [new ShipmentLine("l-1", 1)], Eur(19.99m), Placed.AddDays(8))],
        };

        var fields = Rows(Destination().Project(order));

        fields["refund:o-1:r-1:l-1"].ShouldBe("42,2026-05-09T09:12:00Z,CT-981,,SKU-1,-19.99,-1");
        fields.Keys.Count(k => k.StartsWith("refund:", StringComparison.Ordinal)).ShouldBe(1);
        fields.Keys.ShouldNotContain(k => k.StartsWith("cancel:", StringComparison.Ordinal));
    }

    [Fact]
    public void Project_RefundOfDiscountedLine_TakesBackTheNetAmountOnly()
    {
        var line = new OrderLine("l-1", "SKU-1", null, 2, Eur(20m), Eur(30m), Discount: Eur(10m));
        var order = Order() with
        {
            Lines = [line],
            Refunds = [new Refund("r-1", [new ShipmentLine("l-1", 1)], Eur(15m), Placed.AddDays(2)),
                new Refund("r-2", [new ShipmentLine("l-1", 1)], Eur(15m), Placed.AddDays(3))],
        };

        var fields = Rows(Destination().Project(order));

        fields["refund:o-1:r-1:l-1"].ShouldEndWith(",SKU-1,-15.00,-1");
        fields["refund:o-1:r-2:l-1"].ShouldEndWith(",SKU-1,-15.00,-1");
    }

    [Fact]
    public void Project_CancelledOrder_NegatesEveryLine()
    {
        var order = Order() with { Status = OrderStatus.Cancelled, SourceStatus = "Cancelled", ModifiedAt = Placed.AddHours(2) };

        var fields = Rows(Destination().Project(order));

        fields["cancel:o-1:l-1"].ShouldBe("42,2026-05-01T11:12:00Z,CT-981,,SKU-1,-39.98,-2");
        fields["cancel:o-1:l-2"].ShouldBe("42,2026-05-01T11:12:00Z,CT-981,,SKU-2,-15.00,-1");
        fields.Keys.Count(k => k.StartsWith("sale:", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public void Project_CancelledAfterPartialReturn_CancelsOnlyWhatWasNotReturnedAndSkipsPaymentRefund()
    {
        var order = Order() with
        {
            Status = OrderStatus.Cancelled,
            Refunds = [new Refund("r-1", [new ShipmentLine("l-1", 1)], Eur(19.99m), Placed.AddDays(1)),
                new Refund("pay-1", [], Eur(35m), Placed.AddDays(2))],
        };

        var fields = Rows(Destination().Project(order));

        fields["refund:o-1:r-1:l-1"].ShouldEndWith(",SKU-1,-19.99,-1");
        fields["cancel:o-1:l-1"].ShouldEndWith(",SKU-1,-19.99,-1");
        fields["cancel:o-1:l-2"].ShouldEndWith(",SKU-2,-15.00,-1");
        fields.Keys.ShouldNotContain("refund:o-1:pay-1");
    }

    [Fact]
    public void Project_AmountOnlyRefund_RefundItemWithNegativeAmountAndQuantity()
    {
        var order = Order() with { Refunds = [new Refund("r-9", [], Eur(5.5m), Placed.AddDays(1))] };

        var fields = Rows(Destination(o => o.RefundItem = "GOODWILL").Project(order));

        fields["refund:o-1:r-9"].ShouldBe("42,2026-05-02T09:12:00Z,CT-981,,GOODWILL,-5.50,-1");
    }

    [Fact]
    public void Project_UnmappedStatus_Quarantined()
    {
        var projection = Destination().Project(Order() with { Status = null, SourceStatus = "OnHold" });

        projection.QuarantineReason.ShouldBe("order status 'OnHold' is not mapped");
        projection.Fields.ShouldBeEmpty();
    }

    [Fact]
    public void Project_GuestOrder_GoesByNormalisedEmailWithoutDependency()
    {
        var projection = Destination().Project(Order() with { CustomerId = null, Email = " Guest@Example.COM " });

        projection.DependsOn.ShouldBeNull();
        Rows(projection)["sale:o-1:l-1"].ShouldBe("42,2026-05-01T09:12:00Z,,guest@example.com,SKU-1,39.98,2");
    }

    [Fact]
    public void Project_GuestOrderWithCustomerColumnOnly_Quarantined()
    {
        var projection = Destination(o => o.SalesGuestsByEmail = false).Project(Order() with { CustomerId = null });

        projection.QuarantineReason.ShouldNotBeNull().ShouldContain("guest order");
    }

    [Fact]
    public void Project_EmailColumn_WritesEmailAndStillWaitsForTheContact()
    {
        var d = Destination(o => o.SalesCustomerColumn = EmarsysSalesIdentity.Email);

        var projection = d.Project(Order());

        d.SalesCsv.Header.ShouldBe("order,timestamp,email,item,price,quantity");
        Rows(projection, d.SalesCsv)["sale:o-1:l-2"].ShouldBe("42,2026-05-01T09:12:00Z,ann@example.com,SKU-2,15.00,1");
        projection.DependsOn.ShouldBe(new DependencyKey(EntityKind.Customer, "CT-981"));
    }

    [Fact]
    public void Project_SameOrderTwice_SameFactKeysAndRows()
    {
        var d = Destination();
        var order = Order() with { Refunds = [new Refund("r-1", [new ShipmentLine("l-2", 1)], Eur(15m), Placed.AddDays(1))] };

        var first = d.Project(order).Fields;
        var second = d.Project(order with { SourceVersion = 7 }).Fields;

        second.ShouldBe(first, ignoreOrder: true);
    }

    [Fact]
    public void Project_RefundBeyondLineQuantity_Quarantined()
    {
        var order = Order() with { Refunds = [new Refund("r-1", [new ShipmentLine("l-2", 2)], Eur(30m), Placed.AddDays(1))] };

        Destination().Project(order).QuarantineReason.ShouldNotBeNull().ShouldContain("returns 2 of line l-2");
    }

    [Fact]
    public void Project_OtherCurrencyThanSalesCurrency_Quarantined() =>
        Destination(o => o.SalesCurrency = "SEK").Project(Order()).QuarantineReason.ShouldBe("order currency EUR is not the sales-data currency SEK");

    [Fact]
    public void Project_ValueWithComma_QuotedAsCsv()
    {
        var projection = Destination().Project(Order() with { OrderNumber = "42,b", Lines = [Order().Lines[1] with { Sku = "SKU \"2\"" }] });

        Rows(projection)["sale:o-1:l-2"].ShouldBe("\"42,b\",2026-05-01T09:12:00Z,CT-981,,\"SKU \"\"2\"\"\",15.00,1");
    }

    /// <summary>The CSV row each sales fact of a projection becomes in the upload (the default layout unless one is given).</summary>
    internal static Dictionary<string, string?> Rows(Projection projection, EmarsysSalesCsv? layout = null) =>
        projection.Fields.ToDictionary(f => f.Key, f => Row(layout ?? Destination().SalesCsv, f.Value));

    /// <summary>The CSV row of one staged sales fact.</summary>
    internal static string? Row(EmarsysSalesCsv layout, string? fact)
    {
        FactCodec.TryDecode<SalesLine>(fact, out var line).ShouldBeTrue($"not a sales line: {fact}");
        return layout.Row(line);
    }

    internal static Order Order() => new()
    {
        SourceId = "o-1",
        OrderNumber = "42",
        CustomerId = "CT-981",
        Email = "ann@example.com",
        SourceStatus = "Confirmed",
        Status = OrderStatus.Paid,
        Currency = "EUR",
        PlacedAt = Placed,
        ModifiedAt = Placed,
        Total = Eur(54.98m),
        Lines =
        [
            new OrderLine("l-1", "SKU-1", "p-1", 2, Eur(19.99m), Eur(39.98m)),
            new OrderLine("l-2", "SKU-2", "p-2", 1, Eur(15m), Eur(15m)),
        ],
    };

    private static Money Eur(decimal amount) => new(amount, "EUR");
}
