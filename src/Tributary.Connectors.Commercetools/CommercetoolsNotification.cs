using System.Text;
using System.Text.Json;
using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

/// <summary>How a pushed notification was read.</summary>
public enum CommercetoolsNotificationStatus
{
    /// <summary>A notification about a record Tributary re-reads by key.</summary>
    Hint,
    /// <summary>Well-formed, but about a resource this pipeline does not re-read by id (the sweep covers it).</summary>
    Ignored,
    /// <summary>Not a Pub/Sub push envelope holding a commercetools payload.</summary>
    Malformed,
}

/// <summary>One notification read from a Google Pub/Sub push envelope.</summary>
/// <param name="Status">How it was read.</param>
/// <param name="MessageId">The deduplication id (the payload's message id, else the envelope's).</param>
/// <param name="Entity">The record kind to re-read.</param>
/// <param name="Key">The key to re-read: a record id, a SKU, or a group key (<see cref="CommercetoolsHints"/>).</param>
/// <param name="Version">The resource version the notification reports, for ordering.</param>
/// <param name="Reason">Why it was ignored or refused.</param>
public sealed record CommercetoolsNotification(CommercetoolsNotificationStatus Status, string? MessageId, EntityKind? Entity, string? Key,
    long? Version, string? Reason)
{
    /// <summary>
    /// Reads the push envelope commercetools Connect event applications receive (<c>{"message":{"data":base64,"messageId"}}</c>)
    /// and the Platform-format payload inside it (Message, ResourceCreated/Updated/Deleted), bare or inside a CloudEvents
    /// envelope. The payload is a hint only: the
    /// record is always re-read from the API.
    /// </summary>
    public static CommercetoolsNotification Read(ReadOnlySpan<byte> body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body.ToArray());
            if (envelope.RootElement.ValueKind != JsonValueKind.Object
                || !envelope.RootElement.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String)
            {
                return Refused("the body is not a Pub/Sub push envelope with message.data");
            }

            var envelopeId = message.TryGetProperty("messageId", out var mid) ? mid.GetString() : null;
            using var payload = JsonDocument.Parse(Convert.FromBase64String(data.GetString()!));
            var root = payload.RootElement;

            // A Subscription in CloudEvents format carries the Platform-format payload in "data" (commercetools' published
            // cloudevents-payload example); the envelope's own fields only repeat it.
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("specversion", out _)
                && root.TryGetProperty("data", out var cloudData) && cloudData.ValueKind == JsonValueKind.Object)
            {
                root = cloudData;
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resource", out var resource)
                || resource.ValueKind != JsonValueKind.Object || !resource.TryGetProperty("typeId", out var typeId)
                || !resource.TryGetProperty("id", out var id))
            {
                return Refused("the payload names no resource");
            }

            if (typeId.ValueKind != JsonValueKind.String || id.ValueKind != JsonValueKind.String)
            {
                // "id": null (or a number) names no record to re-read; storing it would only fail later.
                return Refused("resource.typeId and resource.id must be strings");
            }

            var messageId = root.TryGetProperty("id", out var payloadId) && payloadId.ValueKind == JsonValueKind.String
                ? payloadId.GetString()
                : envelopeId;
            long? version = root.TryGetProperty("resourceVersion", out var rv) && rv.TryGetInt64(out var r) ? r
                : root.TryGetProperty("version", out var v) && v.TryGetInt64(out var vv) ? vv : null;
            messageId ??= $"{typeId.GetString()}:{id.GetString()}:{version}";
            return CommercetoolsHints.For(typeId.GetString(), id.GetString()!, CommercetoolsHints.SkuOf(root)) is { } hint
                ? new(CommercetoolsNotificationStatus.Hint, messageId, hint.Entity, hint.Key, version, null)
                : new(CommercetoolsNotificationStatus.Ignored, messageId, null, id.GetString(), version,
                    $"resource type '{typeId.GetString()}' is not re-read by id; the sweep covers it");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or DecoderFallbackException or InvalidOperationException)
        {
            return Refused($"unreadable: {ex.GetType().Name}");
        }
    }

    private static CommercetoolsNotification Refused(string reason) =>
        new(CommercetoolsNotificationStatus.Malformed, null, null, null, null, reason);
}
