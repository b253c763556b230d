using System.Text.Json;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
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
        var fact = JsonDocument.Parse(projection.Fields.ShouldHaveSingleItem().Value!).RootElement;
        projection.Fields.Keys.Single().ShouldBe(EmarsysDestination.TriggerFact);
        fact.GetProperty("event_id").GetString().ShouldBe("1003");
        fact.GetProperty("external_id").GetString().ShouldBe("CT-1");
        fact.GetProperty("trigger_id").GetString().ShouldBe("ShipmentDispatched:o-1:d-1");
        fact.GetProperty("event_time").GetString().ShouldBe("2026-05-02T08:30:00Z");
        var global = fact.GetProperty("data").GetProperty("global");
        global.GetProperty("orderNumber").GetString().ShouldBe("42");
        global.GetProperty("lines")[0].GetProperty("sku").GetString().ShouldBe("SKU-1");
        global.TryGetProperty("coupon", out _).ShouldBeFalse();
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
