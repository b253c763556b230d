using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Sandbox.Emarsys;

namespace Tributary.Tests.Connectors.Emarsys;

[Connector]
public class EmarsysSalesEventsDeliveryTests
{
    [Fact]
    public async Task DeliverAsync_BatchOfOrders_OneUploadWhoseRowsEqualTheFacts()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        var d = f.Destination;
        var paid = d.Project(EmarsysSalesProjectionTests.Order());
        var refunded = d.Project(EmarsysSalesProjectionTests.Order() with
        {
            SourceId = "o-2", OrderNumber = "43", CustomerId = null, Email = "guest@example.com",
            Refunds = [new Refund("r-1", [new ShipmentLine("l-1", 1)], new Money(19.99m, "EUR"), new DateTimeOffset(2026, 5, 3, 0, 0, 0, TimeSpan.Zero))],
        });
        var items = new[] { Item("o-1", paid.Fields), Item("o-2", refunded.Fields) };

        var result = await d.DeliverAsync(EntityKind.Order, items, CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        f.Emulator.SalesUploads.ShouldBe(1);
        var uploaded = f.Emulator.SalesRows.Select(r => string.Join(',', d.SalesCsv.Columns.Select(c => r[c]))).ToList();
        uploaded.ShouldBe(paid.Fields.Values.Concat(refunded.Fields.Values).Select(f => EmarsysSalesProjectionTests.Row(d.SalesCsv, f)).ToList(),
            ignoreOrder: true);
        f.Emulator.SalesRows.Single(r => r["price"] == "-19.99")["email"].ShouldBe("guest@example.com");
    }

    [Fact]
    public async Task DeliverAsync_OnlyUnsentFacts_UploadsOnlyThose()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        var facts = f.Destination.Project(EmarsysSalesProjectionTests.Order()).Fields;
        var unsent = facts.Where(x => x.Key == "sale:o-1:l-2").ToDictionary(x => x.Key, x => x.Value);

        await f.Destination.DeliverAsync(EntityKind.Order, [new DeliveryItem("o-1", unsent, facts)], CancellationToken.None);

        f.Emulator.SalesRows.ShouldHaveSingleItem()["item"].ShouldBe("SKU-2");
    }

    [Fact]
    public async Task DeliverAsync_UploadFails_ThrowsTransientAndNothingStored()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        f.Emulator.Faults.FailNext(1);
        var facts = f.Destination.Project(EmarsysSalesProjectionTests.Order()).Fields;

        var ex = await Should.ThrowAsync<EmarsysException>(() => f.Destination.DeliverAsync(EntityKind.Order, [Item("o-1", facts)], CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Transient);
        f.Emulator.SalesRows.ShouldBeEmpty();
    }

    [Fact]
    public async Task UploadSalesDataAsync_WrongToken_ThrowsAuthWithoutTheToken()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(client: c => c.SalesDataToken = "wrong-token-value");

        var ex = await Should.ThrowAsync<EmarsysException>(() => f.Client.UploadSalesDataAsync(
            "order,timestamp,customer,item,price,quantity\n1,2026-05-01T00:00:00Z,c,i,1.00,1\n", CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Auth);
        ex.StatusCode.ShouldBe(401);
        ex.Message.ShouldNotContain("wrong-token-value");
    }

    [Fact]
    public async Task UploadSalesDataAsync_BadHeader_ThrowsInvalidWithTheReason()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(client: c => c.GzipSalesData = false);

        var ex = await Should.ThrowAsync<EmarsysException>(() => f.Client.UploadSalesDataAsync(
            "Order,timestamp,customer,item,price,quantity\n1,2026-05-01T00:00:00Z,c,i,1.00,1\n", CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Invalid);
        ex.Message.ShouldContain("order");
    }

    [Fact]
    public async Task DeliverAsync_EventsOfTwoTypes_OneTriggerCallPerEventIdWithPerContactErrorsByKey()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(destination: o =>
        {
            o.EventIds[CommerceEventType.ShipmentDispatched] = "1003";
            o.EventIds[CommerceEventType.OrderPlaced] = "1001";
        });
        await CreateContactsAsync(f, "CT-1", "CT-2");
        var d = f.Destination;
        var shipped = EmarsysEventProjectionTests.Shipped();
        var events = new[]
        {
            shipped,
            shipped with { DedupeKey = "ShipmentDispatched:o-2:d-1", CustomerId = "CT-2" },
            shipped with { DedupeKey = "ShipmentDispatched:o-3:d-1", CustomerId = "CT-404" },
            shipped with { Type = CommerceEventType.OrderPlaced, DedupeKey = "OrderPlaced:o-1" },
        };
        var items = events.Select(e => Item(e.DedupeKey, d.Project(e).Fields)).ToList();
        f.Emulator.ResetCounters();

        var result = await d.DeliverAsync(EntityKind.Event, items, CancellationToken.None);

        f.Emulator.TriggerRequests.ShouldBe(2);
        var failure = result.Failures.ShouldHaveSingleItem();
        failure.Key.ShouldBe("ShipmentDispatched:o-3:d-1");
        failure.Value.Code.ShouldBe("2008");
        failure.Value.Kind.ShouldBe(FailureKind.NotFound);
        var triggers = f.Emulator.Triggers;
        triggers.Select(t => (t.EventId, t.ExternalId)).ShouldBe([(1001, "CT-1"), (1003, "CT-1"), (1003, "CT-2")], ignoreOrder: true);
        var first = triggers.Single(t => t.EventId == 1003 && t.ExternalId == "CT-1");
        first.TriggerId.ShouldBe("ShipmentDispatched:o-1:d-1");
        first.EventTime.ShouldBe("2026-05-02T08:30:00Z");
        JsonDocument.Parse(first.DataJson!).RootElement.GetProperty("global").GetProperty("carrier").GetString().ShouldBe("DHL");
    }

    [Fact]
    public async Task DeliverAsync_EventIdUnknownToTheAccount_ThatGroupFailsAsConfigOthersSent()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(destination: o =>
        {
            o.EventIds[CommerceEventType.ShipmentDispatched] = "1003";
            o.EventIds[CommerceEventType.OrderPlaced] = "999";
        });
        await CreateContactsAsync(f, "CT-1");
        var shipped = EmarsysEventProjectionTests.Shipped();
        var placed = shipped with { Type = CommerceEventType.OrderPlaced, DedupeKey = "OrderPlaced:o-1" };
        var items = new[] { shipped, placed }.Select(e => Item(e.DedupeKey, f.Destination.Project(e).Fields)).ToList();

        var result = await f.Destination.DeliverAsync(EntityKind.Event, items, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.Key.ShouldBe("OrderPlaced:o-1");
        failure.Value.Kind.ShouldBe(FailureKind.Config);
        failure.Value.Code.ShouldBe("5001");
        f.Emulator.Triggers.ShouldHaveSingleItem().EventId.ShouldBe(1003);
    }

    [Fact]
    public async Task TriggerEventAsync_TupleForm_SendsDataAndReturnsErrorsByExternalId()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        await CreateContactsAsync(f, "CT-1");

        var result = await f.Client.TriggerEventAsync("1002", "9001",
            [("CT-1", new JsonObject { ["global"] = new JsonObject { ["orderId"] = "42" } }), ("CT-9", null)], CancellationToken.None);

        result.Errors.Keys.ShouldBe(["CT-9"]);
        result.Errors["CT-9"].ShouldHaveSingleItem().Code.ShouldBe("2008");
        f.Emulator.Triggers.ShouldHaveSingleItem().DataJson.ShouldBe("""{"global":{"orderId":"42"}}""");
    }

    [Fact]
    public async Task DeliverAsync_Summary_FieldsLandOnTheExistingContact()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(
            emulator: o =>
            {
                o.CustomFields[9003] = new EmarsysCustomField("order_count", EmarsysFieldTypes.Numeric);
                o.CustomFields[9004] = new EmarsysCustomField("lifetime_value", EmarsysFieldTypes.Numeric);
                o.CustomFields[9006] = new EmarsysCustomField("first_order", EmarsysFieldTypes.Date);
            },
            destination: o =>
            {
                o.SummaryFields["orderCount"] = "9003";
                o.SummaryFields["lifetimeValue"] = "9004";
                o.SummaryFields["firstOrderDate"] = "9006";
            });
        await CreateContactsAsync(f, "CT-1");
        var projection = f.Destination.Project(new CustomerSummary
        {
            CustomerId = "CT-1", Currency = "EUR", OrderCount = 2, LifetimeValue = 70m, AverageOrderValue = 35m,
            FirstOrderAt = new DateTimeOffset(2026, 4, 2, 12, 0, 0, TimeSpan.Zero),
        });

        var result = await f.Destination.DeliverAsync(EntityKind.CustomerSummary, [Item("CT-1", projection.Fields)], CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        var contact = f.Emulator.FindByField("9001", "CT-1").ShouldNotBeNull();
        contact.Fields["9003"].ShouldBe("2");
        contact.Fields["9004"].ShouldBe("70.00");
        contact.Fields["9006"].ShouldBe("2026-04-02");
        contact.Fields["3"].ShouldBe("ct-1@example.com");
    }

    [Fact]
    public async Task DeliverAsync_SummaryForMissingContact_NotFoundAndNoContactCreated()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(
            emulator: o => o.CustomFields[9003] = new EmarsysCustomField("order_count", EmarsysFieldTypes.Numeric),
            destination: o => o.SummaryFields["orderCount"] = "9003");
        var projection = f.Destination.Project(new CustomerSummary { CustomerId = "CT-7", Currency = "EUR", OrderCount = 1 });

        var result = await f.Destination.DeliverAsync(EntityKind.CustomerSummary, [Item("CT-7", projection.Fields)], CancellationToken.None);

        result.Failures["CT-7"].Kind.ShouldBe(FailureKind.NotFound);
        f.Emulator.Contacts.ShouldBeEmpty();
    }

    private static async Task CreateContactsAsync(EmarsysConnectorFixture f, params string[] keys)
    {
        var writes = keys.Select(k => new EmarsysContactWrite(k, new Dictionary<string, string?> { ["3"] = $"{k.ToLowerInvariant()}@example.com" })).ToList();
        (await f.Client.UpsertContactsAsync("9001", writes, createIfNotExists: true, CancellationToken.None)).Errors.ShouldBeEmpty();
    }

    private static DeliveryItem Item(string key, IReadOnlyDictionary<string, string?> fields) => new(key, fields, fields);
}
