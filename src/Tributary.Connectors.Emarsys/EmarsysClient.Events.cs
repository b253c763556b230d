using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Connectors.Emarsys;

public sealed partial class EmarsysClient
{
    /// <summary>Most contacts one event trigger call may carry.</summary>
    public const int MaxContactsPerTrigger = 1000;

    /// <summary>
    /// Triggers an external event for contacts (<c>POST /api/v2/event/{eventId}/trigger</c>, batch form). The contacts must
    /// exist: triggering never creates them. Per-contact failures (2008 unknown contact, …) come back keyed by external id; a
    /// failure of the whole call (5001 unknown event id, auth, rate limit) throws <see cref="EmarsysException"/>.
    /// </summary>
    public Task<EmarsysWriteResult> TriggerEventAsync(string eventId, string keyId, IReadOnlyList<(string ExternalId, JsonObject? Data)> contacts,
        CancellationToken cancellationToken) =>
        TriggerEventAsync(eventId, keyId, contacts.Select(c => new EmarsysEventTrigger(c.ExternalId, c.Data)).ToList(), cancellationToken);

    /// <summary>
    /// Triggers an external event for contacts, with a <c>trigger_id</c> and <c>event_time</c> per contact where given
    /// (see the other overload for the semantics).
    /// </summary>
    public async Task<EmarsysWriteResult> TriggerEventAsync(string eventId, string keyId, IReadOnlyList<EmarsysEventTrigger> contacts,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (contacts.Count == 0)
        {
            return new EmarsysWriteResult([], new Dictionary<string, IReadOnlyList<EmarsysItemError>>());
        }

        if (contacts.Count > MaxContactsPerTrigger)
        {
            throw new ArgumentOutOfRangeException(nameof(contacts), contacts.Count, $"Emarsys triggers at most {MaxContactsPerTrigger} contacts per call.");
        }

        var body = TriggerBody(keyId, contacts);
        var answer = await SendAsync(HttpMethod.Post, $"api/v2/event/{Uri.EscapeDataString(eventId)}/trigger", JsonContent(body), cancellationToken);
        return new EmarsysWriteResult(ReadIds(answer.Data), ReadErrorMap(answer.Data));
    }

    /// <summary>The batch trigger body; exposed to size batches under the payload limit before sending.</summary>
    internal static byte[] TriggerBody(string keyId, IReadOnlyList<EmarsysEventTrigger> contacts)
    {
        var buffer = new ArrayBufferWriter<byte>(contacts.Count * 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("key_id", keyId);
            json.WriteStartArray("contacts");
            foreach (var contact in contacts)
            {
                json.WriteStartObject();
                json.WriteString("external_id", contact.ExternalId);
                if (contact.TriggerId is { } triggerId)
                {
                    json.WriteString("trigger_id", triggerId);
                }

                if (contact.EventTime is { } at)
                {
                    json.WriteString("event_time", FormatEventTime(at));
                }

                if (contact.Data is { } data)
                {
                    json.WritePropertyName("data");
                    data.WriteTo(json);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>event_time</c> as the API requires: UTC, <c>YYYY-MM-DDTHH:MM:SSZ</c>; anything else rejects the event.</summary>
    public static string FormatEventTime(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
