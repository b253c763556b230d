using System.Text;
using Tributary.Connectors.Commercetools;
using Tributary.Core.Model;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Connectors.Commercetools;

[Unit]
public sealed class CommercetoolsNotificationTests
{
    private static CommercetoolsNotification Read(string payload) =>
        CommercetoolsNotification.Read(Encoding.UTF8.GetBytes(JsonSerializerHelper.Envelope(payload, "env-1")));

    [Theory]
    [InlineData("""{"notificationType":"ResourceUpdated","id":"m-1","resource":{"typeId":"customer","id":null},"version":2}""")]
    [InlineData("""{"notificationType":"ResourceUpdated","id":"m-1","resource":{"typeId":"customer","id":42},"version":2}""")]
    [InlineData("""{"notificationType":"ResourceUpdated","id":"m-1","resource":{"typeId":null,"id":"c-1"},"version":2}""")]
    [InlineData("""{"notificationType":"ResourceUpdated","id":"m-1","resource":"customer/c-1","version":2}""")]
    [InlineData("""["not","an","object"]""")]
    public void Read_ResourceWithoutStringTypeAndId_IsMalformedWithTheReason(string payload)
    {
        var notification = Read(payload);

        notification.Status.ShouldBe(CommercetoolsNotificationStatus.Malformed);
        notification.Key.ShouldBeNull();
        notification.Reason.ShouldNotBeNullOrWhiteSpace();
        notification.Reason!.ShouldNotContain("\n");
    }

    [Fact]
    public void Read_CustomerNotification_IsAHintForThatCustomer()
    {
        var notification = Read("""{"notificationType":"ResourceUpdated","id":"m-1","resource":{"typeId":"customer","id":"c-1"},"version":2}""");

        notification.Status.ShouldBe(CommercetoolsNotificationStatus.Hint);
        notification.Entity.ShouldBe(EntityKind.Customer);
        notification.Key.ShouldBe("c-1");
        notification.MessageId.ShouldBe("m-1");
    }

    [Theory]
    // The quantity message names the SKU: the stock of that SKU is re-read over every channel.
    [InlineData("""{"notificationType":"Message","id":"m-2","resource":{"typeId":"inventory-entry","id":"e-1"},"type":"InventoryEntryQuantitySet","sku":"SKU-1","newAvailableQuantity":4}""", "SKU-1")]
    // The created message carries the whole entry.
    [InlineData("""{"notificationType":"Message","id":"m-2","resource":{"typeId":"inventory-entry","id":"e-1"},"type":"InventoryEntryCreated","inventoryEntry":{"id":"e-1","sku":"SKU-2"}}""", "SKU-2")]
    // A change payload names the resource only, unless its user-provided identifiers carry the SKU.
    [InlineData("""{"notificationType":"ResourceUpdated","id":"m-2","resource":{"typeId":"inventory-entry","id":"e-1"},"resourceUserProvidedIdentifiers":{"sku":"SKU-3"},"version":4}""", "SKU-3")]
    [InlineData("""{"notificationType":"ResourceUpdated","id":"m-2","resource":{"typeId":"inventory-entry","id":"e-1"},"version":4}""", "@inventory-entry/e-1")]
    public void Read_InventoryEntryNotification_IsAStockHintByTheSkuItNames(string payload, string key)
    {
        var notification = Read(payload);

        notification.Status.ShouldBe(CommercetoolsNotificationStatus.Hint);
        notification.Entity.ShouldBe(EntityKind.Stock);
        notification.Key.ShouldBe(key);
    }

    [Fact]
    public void Read_ProductNotification_NamesTheProductAsAGroupOfVariants()
    {
        var notification = Read("""{"notificationType":"Message","id":"m-3","resource":{"typeId":"product","id":"p-1"},"type":"ProductPriceChanged","variantId":1}""");

        notification.Status.ShouldBe(CommercetoolsNotificationStatus.Hint);
        notification.Entity.ShouldBe(EntityKind.Product);
        notification.Key.ShouldBe("@product/p-1");
        CommercetoolsHints.GroupId(EntityKind.Product, notification.Key!).ShouldBe("p-1");
        CommercetoolsHints.GroupId(EntityKind.Stock, notification.Key!).ShouldBeNull();
        CommercetoolsHints.GroupId(EntityKind.Product, "SKU-1").ShouldBeNull();
    }
}
