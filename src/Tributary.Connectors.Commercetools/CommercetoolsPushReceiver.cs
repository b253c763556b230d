using Tributary.Core.Contracts;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Commercetools;

/// <summary>
/// Subscription messages in the Pub/Sub push envelope at <c>/webhooks/commercetools</c>: the push endpoint carries its secret in
/// the URL (<c>?token=</c>) or as a bearer token; each message becomes one hint under the id a Messages API pull would give it.
/// </summary>
public sealed class CommercetoolsPushReceiver(string pushToken) : IWebhookReceiver
{

    /// <inheritdoc />
    public WebhookOutcome Receive(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var given = request.Query("token") ?? string.Empty;
        if (given.Length == 0 && request.Header("Authorization") is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            given = auth["Bearer ".Length..];
        }

        if (!Tributary.Core.Rules.Secrets.Same(given, pushToken))
        {
            return WebhookOutcome.Refused("wrong or missing token", 401);
        }

        var notification = CommercetoolsNotification.Read(request.Body.Span);
        return notification.Status switch
        {
            CommercetoolsNotificationStatus.Malformed => WebhookOutcome.Refused("malformed", 400, notification.Reason),
            // Acknowledged so Pub/Sub does not redeliver it forever; counted, and the sweep covers the resource.
            CommercetoolsNotificationStatus.Ignored => WebhookOutcome.Ignored("ignored resource type", 204),
            _ => WebhookOutcome.Accepted(
                [new InboxMessage(0, $"commercetools:{notification.MessageId}", CommercetoolsSource.SourceName, notification.Entity!.Value, notification.Key!,
                    request.ReceivedAt)],
                204),
        };
    }
}
