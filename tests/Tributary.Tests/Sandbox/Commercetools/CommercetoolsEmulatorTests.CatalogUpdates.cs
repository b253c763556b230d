using System.Net;
using System.Text;
using System.Text.Json;
using Tributary.Connectors.Commercetools;
using Tributary.Core.Model;

namespace Tributary.Tests.Sandbox.Commercetools;

/// <summary>Inventory and product update actions over HTTP, with the messages the platform creates for them.</summary>
public sealed partial class CommercetoolsEmulatorTests
{
    private static string EntryId(EmulatorHarness h, string sku, string channelId) =>
        h.Emulator.Inventory.Single(e => e.Sku == sku && e.SupplyChannelId == channelId).Id!;

    [Fact]
    public async Task InventoryUpdate_AddRemoveChangeQuantity_MoveOnStockAndAvailableTogether_AndAnnounceTheQuantitySet()
    {
        await using var h = await CatalogAsync();
        h.Emulator.MessagesEnabled = true;
        var token = await h.TokenAsync();
        var id = EntryId(h, "SKU-A", WebId);
        var entry = h.Emulator.Inventory.Single(e => e.Id == id);

        var (added, body) = await h.SendAsync(HttpMethod.Post, $"demo/inventory/{id}", token,
            $$"""{"version":{{entry.Version}},"actions":[{"action":"addQuantity","quantity":5},{"action":"removeQuantity","quantity":2}]}""");
        added.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("quantityOnStock").GetInt64().ShouldBe(13);
        body.GetProperty("availableQuantity").GetInt64().ShouldBe(10, "reservations (3) stay reserved");
        var (changed, after) = await h.SendAsync(HttpMethod.Post, $"demo/inventory/{id}", token,
            $$"""{"version":{{entry.Version + 1}},"actions":[{"action":"changeQuantity","quantity":3}]}""");
        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        after.GetProperty("quantityOnStock").GetInt64().ShouldBe(3);
        after.GetProperty("availableQuantity").GetInt64().ShouldBe(0);
        (await h.GetAsync($"demo/inventory/{id}")).Body.GetProperty("version").GetInt64().ShouldBe(entry.Version + 2);

        var (_, messages) = await h.GetAsync("demo/messages");
        var last = Results(messages).Last();
        last.GetProperty("type").GetString().ShouldBe("InventoryEntryQuantitySet");
        last.GetProperty("sku").GetString().ShouldBe("SKU-A");
        last.GetProperty("oldAvailableQuantity").GetInt64().ShouldBe(10);
        last.GetProperty("newAvailableQuantity").GetInt64().ShouldBe(0);
        last.GetProperty("resourceVersion").GetInt64().ShouldBe(entry.Version + 2);
        last.GetProperty("supplyChannel").GetProperty("id").GetString().ShouldBe(WebId);
    }

    [Theory]
    [InlineData("""{"version":1,"actions":[{"action":"setKey","key":"x"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"version":1,"actions":[{"action":"addQuantity","quantity":"five"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"actions":[{"action":"addQuantity","quantity":1}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"version":"1","actions":[{"action":"addQuantity","quantity":1}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"version":1,"actions":[42]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"version":99,"actions":[{"action":"addQuantity","quantity":1}]}""", HttpStatusCode.Conflict)]
    public async Task InventoryUpdate_BadActionOrStaleVersion_IsRefusedAndChangesNothing(string json, HttpStatusCode expected)
    {
        await using var h = await CatalogAsync();
        var id = EntryId(h, "SKU-B", WebId);
        var before = h.Emulator.Inventory.Single(e => e.Id == id);

        var (response, body) = await h.SendAsync(HttpMethod.Post, $"demo/inventory/{id}", await h.TokenAsync(), json.Replace("\"version\":1,", $"\"version\":{before.Version},", StringComparison.Ordinal));

        response.StatusCode.ShouldBe(expected);
        body.GetProperty("errors")[0].GetProperty("code").GetString().ShouldNotBeNullOrEmpty();
        var after = h.Emulator.Inventory.Single(e => e.Id == id);
        (after.Version, after.QuantityOnStock).ShouldBe((before.Version, before.QuantityOnStock));
    }

    [Fact]
    public async Task ProductUpdate_ChangePriceIsStagedByDefault_PublishMakesItCurrent_UnpublishHidesTheProduct()
    {
        await using var h = await CatalogAsync();
        var token = await h.TokenAsync();
        var version = h.Emulator.GetProduct("prod-1")!.Version;

        var (staged, resource) = await h.SendAsync(HttpMethod.Post, "demo/products/prod-1", token,
            $$$$"""{"version":{{{{version}}}},"actions":[{"action":"changePrice","priceId":"p1","price":{"value":{"currencyCode":"EUR","centAmount":2500}}}]}""");
        staged.StatusCode.ShouldBe(HttpStatusCode.OK);
        resource.GetProperty("masterData").GetProperty("hasStagedChanges").GetBoolean().ShouldBeTrue();
        decimal PriceOf(JsonElement projection) =>
            projection.GetProperty("masterVariant").GetProperty("prices").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "p1")
                .GetProperty("value").GetProperty("centAmount").GetInt64() / 100m;
        var current = (await h.GetAsync("demo/product-projections/prod-1")).Body;
        PriceOf(current).ShouldBe(20m, "a staged change is not in the current view");
        current.GetProperty("hasStagedChanges").GetBoolean().ShouldBeTrue();
        PriceOf((await h.GetAsync("demo/product-projections/prod-1?staged=true")).Body).ShouldBe(25m);

        (await h.SendAsync(HttpMethod.Post, "demo/products/prod-1", token, $$"""{"version":{{version + 1}},"actions":[{"action":"publish"}]}""")).Response
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        current = (await h.GetAsync("demo/product-projections/prod-1")).Body;
        PriceOf(current).ShouldBe(25m);
        current.GetProperty("hasStagedChanges").GetBoolean().ShouldBeFalse();

        (await h.SendAsync(HttpMethod.Post, "demo/products/prod-1", token,
            $$$$"""{"version":{{{{version + 2}}}},"actions":[{"action":"setPrices","sku":"SKU-B","prices":[{"value":{"currencyCode":"EUR","centAmount":1999}}],"staged":false},{"action":"unpublish"}]}"""))
            .Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await h.GetAsync("demo/product-projections/prod-1")).Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var hidden = (await h.GetAsync("demo/product-projections/prod-1?staged=true")).Body;
        hidden.GetProperty("published").GetBoolean().ShouldBeFalse();
        hidden.GetProperty("variants")[0].GetProperty("prices")[0].GetProperty("value").GetProperty("centAmount").GetInt64().ShouldBe(1999);

        var (unknownPrice, error) = await h.SendAsync(HttpMethod.Post, "demo/products/prod-1", token,
            $$$$"""{"version":{{{{version + 3}}}},"actions":[{"action":"changePrice","priceId":"nope","price":{"value":{"currencyCode":"EUR","centAmount":1}}}]}""");
        unknownPrice.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        error.GetProperty("errors")[0].GetProperty("code").GetString().ShouldBe("InvalidOperation");
        h.Emulator.GetProduct("prod-1")!.Version.ShouldBe(version + 3);
    }

    [Fact]
    public async Task Push_EnvelopeOfAQuantityChange_ReadsAsAStockHintForTheSku()
    {
        await using var h = await CatalogAsync();
        h.Emulator.MessagesEnabled = true;
        h.Emulator.SetStock("SKU-A", "web-eu", 1, 1).ShouldBeTrue();
        var message = h.Emulator.Messages[^1];

        var notification = CommercetoolsNotification.Read(h.Emulator.PushEnvelope(message));

        notification.Status.ShouldBe(CommercetoolsNotificationStatus.Hint);
        notification.Entity.ShouldBe(EntityKind.Stock);
        notification.Key.ShouldBe("SKU-A");
        notification.MessageId.ShouldBe(message.Id);
        using var envelope = JsonDocument.Parse(h.Emulator.PushEnvelope(message));
        var payload = JsonDocument.Parse(Convert.FromBase64String(envelope.RootElement.GetProperty("message").GetProperty("data").GetString()!)).RootElement;
        payload.GetProperty("notificationType").GetString().ShouldBe("Message");
        payload.GetProperty("projectKey").GetString().ShouldBe("demo");
        Encoding.UTF8.GetString(h.Emulator.PushEnvelope(message)).ShouldContain("\"subscription\"");
    }
}
