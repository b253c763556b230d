using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Facts;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Emarsys;

[Unit]
public class EmarsysEventProjectionTests
{
    private static readonly EmarsysDestination Destination = EmarsysDestination.Create(new EmarsysClientOptions { User = "u", Secret = "s" },
        new EmarsysDestinationOptions
        {
            EventIds = { [CommerceEventType.ShipmentDispatched] = "1003", [CommerceEventType.OrderPlaced] = "1001" },
            SummaryFields = { ["orderCount"] = "9003", ["lifetimeValue"] = "9004", ["averageOrderValue"] = "9005", ["firstOrderDate"] = "9006", ["lastOrderDate"] = "9007" },
        },
        TimeProvider.System);

    [Fact]
    public void Project_MappedEvent_OneTriggerFactWithDataAndDependency()
    {
        var projection = Destination.Project(Shipped());

        projection.QuarantineReason.ShouldBeNull();
        projection.DependsOn.ShouldBe(new DependencyKey(EntityKind.Customer, "CT-1"));
        projection.Fields.Keys.ShouldHaveSingleItem().ShouldBe(EmarsysDestination.TriggerFact);
        FactCodec.TryDecode<EventTrigger>(projection.Fields[EmarsysDestination.TriggerFact], out var trigger).ShouldBeTrue();
        trigger.Target.ShouldBe("1003");
        trigger.Contact.ShouldBe("CT-1");
        trigger.TriggerId.ShouldBe("ShipmentDispatched:o-1:d-1");
        trigger.OccurredAt.ShouldBe(new DateTimeOffset(2026, 5, 2, 8, 30, 0, TimeSpan.Zero));
        trigger.Data.ShouldNotBeNull().Keys.ShouldBe(["carrier", "lines", "orderNumber"]);
        trigger.Data["orderNumber"].ShouldBe("42");
        trigger.Data["lines"].ShouldBe("""[{"sku":"SKU-1","qty":2}]""");
    }

    [Fact]
    public void Project_SameEventTwice_SameFact() =>
        Destination.Project(Shipped()).Fields.ShouldBe(Destination.Project(Shipped() with { SourceVersion = 3 }).Fields);

    [Fact]
    public void Supports_Event_OnlyWhenAnEventIsMapped()
    {
        var unmapped = EmarsysDestination.Create(new EmarsysClientOptions { User = "u", Secret = "s" }, new EmarsysDestinationOptions(),
            TimeProvider.System);

        Destination.Supports(EntityKind.Event).ShouldBeTrue();
        unmapped.Supports(EntityKind.Event).ShouldBeFalse();
        unmapped.Supports(EntityKind.CustomerSummary).ShouldBeFalse();
    }

    [Fact]
    public void Project_UnmappedType_NothingToSend()
    {
        var projection = Destination.Project(Shipped() with { Type = CommerceEventType.RefundIssued });

        projection.Fields.ShouldBeEmpty();
        projection.QuarantineReason.ShouldBeNull();
    }

    [Fact]
    public void Project_EventWithoutCustomer_NothingToSend() =>
        Destination.Project(Shipped() with { CustomerId = null }).Fields.ShouldBeEmpty();

    [Fact]
    public void Project_DataOverLimit_Quarantined()
    {
        var big = Shipped() with { Data = new Dictionary<string, string?> { ["blob"] = new string('x', 21 * 1024) } };

        Destination.Project(big).QuarantineReason.ShouldNotBeNull().ShouldContain("Interactions");
    }

    [Fact]
    public void Project_Summary_ConfiguredFieldsFormattedForEmarsys()
    {
        var projection = Destination.Project(new CustomerSummary
        {
            CustomerId = "CT-1", Currency = "EUR", OrderCount = 3, LifetimeValue = 120.5m, AverageOrderValue = 40.166666m,
            FirstOrderAt = new DateTimeOffset(2025, 12, 31, 23, 30, 0, TimeSpan.FromHours(-2)), LastOrderAt = null,
        });

        projection.Fields.ShouldBe(new Dictionary<string, string?>
        {
            ["9003"] = "3", ["9004"] = "120.50", ["9005"] = "40.17", ["9006"] = "2026-01-01", ["9007"] = null,
        }, ignoreOrder: true);
        projection.DependsOn.ShouldBe(new DependencyKey(EntityKind.Customer, "CT-1"));
    }

    [Fact]
    public void Create_UnknownSummaryName_Throws() =>
        Should.Throw<ArgumentException>(() => EmarsysDestination.Create(new EmarsysClientOptions { User = "u", Secret = "s" },
            new EmarsysDestinationOptions { SummaryFields = { ["clv"] = "9010" } }, TimeProvider.System)).Message.ShouldContain("clv");

    internal static CommerceEvent Shipped() => new()
    {
        Type = CommerceEventType.ShipmentDispatched,
        DedupeKey = "ShipmentDispatched:o-1:d-1",
        CustomerId = "CT-1",
        SubjectId = "o-1",
        OccurredAt = new DateTimeOffset(2026, 5, 2, 10, 30, 0, TimeSpan.FromHours(2)),
        Data = new Dictionary<string, string?>
        {
            ["orderNumber"] = "42",
            ["lines"] = """[{"sku":"SKU-1","qty":2}]""",
            ["carrier"] = "DHL",
            ["coupon"] = null,
        },
    };
}
