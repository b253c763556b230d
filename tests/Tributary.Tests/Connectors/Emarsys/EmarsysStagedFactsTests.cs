using System.Text.Json;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Facts;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Emarsys;

/// <summary>
/// Outbox rows staged by the previous version hold finished sales rows and trigger JSON instead of typed facts: they still
/// deliver, byte for byte as they would have, next to facts staged by this version.
/// </summary>
[Connector]
public class EmarsysStagedFactsTests
{
    private const string StagedRow = "42,2026-05-01T09:12:00Z,CT-981,,SKU-1,39.98,2";

    private const string StagedTrigger =
        """{"event_id":"1003","external_id":"CT-1","trigger_id":"ShipmentDispatched:o-1:d-1","event_time":"2026-05-02T08:30:00Z","data":{"global":{"carrier":"DHL","lines":[{"sku":"SKU-1","qty":2}]}}}""";

    [Fact]
    public async Task DeliverAsync_SalesRowStagedByEarlierVersion_UploadedAsItWasWithTheNewFacts()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        var fresh = f.Destination.Project(EmarsysSalesProjectionTests.Order() with { SourceId = "o-2", OrderNumber = "43" }).Fields;
        var staged = new Dictionary<string, string?> { ["sale:o-1:l-1"] = StagedRow };

        var result = await f.Destination.DeliverAsync(EntityKind.Order,
            [new DeliveryItem("o-1", staged, staged), new DeliveryItem("o-2", fresh, fresh)], CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        f.Emulator.SalesUploads.ShouldBe(1);
        f.Emulator.SalesRows.Select(r => string.Join(',', f.Destination.SalesCsv.Columns.Select(c => r[c]))).ShouldBe([
            StagedRow,
            "43,2026-05-01T09:12:00Z,CT-981,,SKU-1,39.98,2",
            "43,2026-05-01T09:12:00Z,CT-981,,SKU-2,15.00,1",
        ]);
    }

    [Fact]
    public async Task DeliverAsync_StagedRowOfAnotherLayout_InvalidAndNothingUploaded()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(destination: o => o.SalesCustomerColumn = EmarsysSalesIdentity.Email);
        var staged = new Dictionary<string, string?> { ["sale:o-1:l-1"] = StagedRow };

        var result = await f.Destination.DeliverAsync(EntityKind.Order, [new DeliveryItem("o-1", staged, staged)], CancellationToken.None);

        result.Failures["o-1"].Kind.ShouldBe(FailureKind.Invalid);
        result.Failures["o-1"].Message.ShouldContain("another column layout");
        f.Emulator.SalesUploads.ShouldBe(0);
    }

    [Fact]
    public async Task DeliverAsync_LineProjectedBeforeTheLayoutChanged_WrittenInTheNewLayout()
    {
        // A typed line carries its buyer, not a finished row: a guest line is written in any layout with an email column.
        await using var f = await EmarsysConnectorFixture.StartAsync();
        var line = new SalesLine("42", new DateTimeOffset(2026, 5, 1, 9, 12, 0, TimeSpan.Zero), null, "guest@example.com", "SKU-1", 39.98m, 2m);
        var facts = new Dictionary<string, string?> { ["sale:o-1:l-1"] = FactCodec.Encode(line) };

        var result = await f.Destination.DeliverAsync(EntityKind.Order, [new DeliveryItem("o-1", facts, facts)], CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        f.Emulator.SalesRows.ShouldHaveSingleItem()["email"].ShouldBe("guest@example.com");
    }

    [Fact]
    public async Task DeliverAsync_GuestLineAndNoEmailColumn_InvalidAndNothingUploaded()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(destination: o => o.SalesGuestsByEmail = false);
        var line = new SalesLine("42", new DateTimeOffset(2026, 5, 1, 9, 12, 0, TimeSpan.Zero), null, "guest@example.com", "SKU-1", 39.98m, 2m);
        var facts = new Dictionary<string, string?> { ["sale:o-1:l-1"] = FactCodec.Encode(line) };

        var result = await f.Destination.DeliverAsync(EntityKind.Order, [new DeliveryItem("o-1", facts, facts)], CancellationToken.None);

        result.Failures["o-1"].Kind.ShouldBe(FailureKind.Invalid);
        f.Emulator.SalesUploads.ShouldBe(0);
    }

    [Fact]
    public async Task DeliverAsync_TriggerStagedByEarlierVersion_SentLikeTheSameTriggerStagedNow()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(destination: o => o.EventIds[CommerceEventType.ShipmentDispatched] = "1003");
        var writes = new[] { "CT-1", "CT-2" }.Select(k => new EmarsysContactWrite(k, new Dictionary<string, string?> { ["3"] = $"{k}@example.com" })).ToList();
        await f.Client.UpsertContactsAsync("9001", writes, createIfNotExists: true, CancellationToken.None);
        var shipped = EmarsysEventProjectionTests.Shipped() with
        {
            CustomerId = "CT-2",
            Data = new Dictionary<string, string?> { ["carrier"] = "DHL", ["lines"] = """[{"sku":"SKU-1","qty":2}]""" },
        };
        var fresh = f.Destination.Project(shipped).Fields;
        var staged = new Dictionary<string, string?> { [EmarsysDestination.TriggerFact] = StagedTrigger };

        var result = await f.Destination.DeliverAsync(EntityKind.Event,
            [new DeliveryItem("ShipmentDispatched:o-1:d-1", staged, staged), new DeliveryItem("ShipmentDispatched:o-1:d-2", fresh, fresh)],
            CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        var triggers = f.Emulator.Triggers;
        triggers.Count.ShouldBe(2);
        triggers.Select(t => t.ExternalId).ShouldBe(["CT-1", "CT-2"], ignoreOrder: true);
        triggers.Select(t => t.DataJson).Distinct().ShouldHaveSingleItem().ShouldBe("""{"global":{"carrier":"DHL","lines":[{"sku":"SKU-1","qty":2}]}}""");
        triggers.Select(t => t.EventTime).Distinct().ShouldHaveSingleItem().ShouldBe("2026-05-02T08:30:00Z");
    }

    [Fact]
    public async Task DeliverAsync_UnreadableFact_InvalidAndTheOthersSent()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(destination: o => o.EventIds[CommerceEventType.ShipmentDispatched] = "1003");
        await f.Client.UpsertContactsAsync("9001", [new EmarsysContactWrite("CT-1", new Dictionary<string, string?> { ["3"] = "a@example.com" })],
            createIfNotExists: true, CancellationToken.None);
        var fresh = f.Destination.Project(EmarsysEventProjectionTests.Shipped()).Fields;
        var damaged = new Dictionary<string, string?> { [EmarsysDestination.TriggerFact] = """{"fact":"trigger","target":""" };

        var result = await f.Destination.DeliverAsync(EntityKind.Event,
            [new DeliveryItem("bad", damaged, damaged), new DeliveryItem("good", fresh, fresh)], CancellationToken.None);

        result.Failures.Keys.ShouldBe(["bad"]);
        result.Failures["bad"].Kind.ShouldBe(FailureKind.Invalid);
        f.Emulator.Triggers.ShouldHaveSingleItem().ExternalId.ShouldBe("CT-1");
        JsonDocument.Parse(f.Emulator.Triggers[0].DataJson!).RootElement.GetProperty("global").GetProperty("carrier").GetString().ShouldBe("DHL");
    }
}
