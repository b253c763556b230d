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
}
