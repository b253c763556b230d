using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Emarsys;

public sealed partial class EmarsysDestination
{
    /// <summary>The one fact of an event: its trigger.</summary>
    public const string TriggerFact = "trigger";

    /// <summary>
    /// Largest trigger request sent. The event payload limit is 500 KB (a later help page says 1 MB; whether a batch counts as
    /// one payload is unconfirmed), so batches are cut below it.
    /// </summary>
    public const int MaxTriggerRequestBytes = 450 * 1024;

    /// <summary>
    /// Projects an event onto one fact, <see cref="TriggerFact"/>: a JSON object with the event id, the contact key value, the
    /// trigger id (the dedupe key), the event time and <c>data.global</c> built from the event's data. Keys are written in
    /// ordinal order so the fact reads the same on every projection. Types without an event id, and events without a customer
    /// (triggers need an existing contact), project to nothing.
    /// </summary>
    private Projection ProjectEvent(CommerceEvent commerceEvent)
    {
        if (!_options.EventIds.TryGetValue(commerceEvent.Type, out var eventId) || string.IsNullOrWhiteSpace(commerceEvent.CustomerId))
        {
            return new Projection(new Dictionary<string, string?>());
        }

        var customerId = commerceEvent.CustomerId.Trim();
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event_id", eventId);
            json.WriteString("external_id", customerId);
            json.WriteString("trigger_id", commerceEvent.DedupeKey);
            if (commerceEvent.OccurredAt != default)
            {
                json.WriteString("event_time", EmarsysClient.FormatEventTime(commerceEvent.OccurredAt));
            }

            json.WriteStartObject("data");
            json.WriteStartObject("global");
            foreach (var (name, value) in commerceEvent.Data.Where(d => d.Value is not null).OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                WriteDataValue(json, name, value!);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        if (buffer.WrittenCount > _options.MaxEventDataBytes)
        {
            return Projection.Quarantine($"{commerceEvent.Type} data is {buffer.WrittenCount} bytes; Emarsys starts no Interactions program "
                + $"above {_options.MaxEventDataBytes} bytes (MaxEventDataBytes): keep event data to what the template renders");
        }

        var fact = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return new Projection(new Dictionary<string, string?> { [TriggerFact] = fact },
            DependsOn: new DependencyKey(EntityKind.Customer, customerId));
    }

    /// <summary>
    /// Sends triggers grouped by event id, one batch call per event id (more when a group exceeds the batch size or the payload
    /// limit). Per-contact errors map back to every item of that contact. A call that fails before anything was sent throws, so
    /// the engine retries or stops the whole batch; once a call has succeeded, later failures become per-item failures, so
    /// the triggers already accepted are not sent twice.
    /// </summary>
    private async Task<DeliveryResult> DeliverEventsAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var pending = new List<(string EventId, DeliveryItem Item, EmarsysEventTrigger Trigger)>(items.Count);
        foreach (var item in items)
        {
            if (!item.Changes.TryGetValue(TriggerFact, out var fact) || fact is null)
            {
                continue; // Nothing unsent for this event.
            }

            if (ReadTrigger(fact) is { } parsed)
            {
                pending.Add((parsed.EventId, item, parsed.Trigger));
            }
            else
            {
                failures[item.Key] = new ItemFailure(FailureKind.Invalid, null, "the trigger fact is not readable; replay the event");
            }
        }

        var calls = pending.GroupBy(p => p.EventId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => Chunk(g.ToList()).Select(chunk => (EventId: g.Key, Chunk: chunk)))
            .ToList();
        var sent = false;
        for (var i = 0; i < calls.Count; i++)
        {
            var (eventId, chunk) = calls[i];
            EmarsysWriteResult result;
            try
            {
                result = await Client.TriggerEventAsync(eventId, _options.KeyFieldId, chunk.Select(c => c.Trigger).ToList(), cancellationToken);
            }
            catch (EmarsysException ex) when (sent || ex.Kind is FailureKind.Config or FailureKind.Invalid)
            {
                // A wrong event id or a rejected payload concerns this group only; anything else stops the rest of the batch.
                var stopsAll = ex.Kind is not (FailureKind.Config or FailureKind.Invalid);
                foreach (var (_, later) in calls.Skip(i).Take(stopsAll ? calls.Count : 1))
                {
                    foreach (var entry in later)
                    {
                        failures[entry.Item.Key] = new ItemFailure(ex.Kind, ex.PlatformCode, ex.Message);
                    }
                }

                if (stopsAll)
                {
                    break;
                }

                continue;
            }

            sent = true;
            MapTriggerErrors(chunk, result, failures);
        }

        return new DeliveryResult(failures);
    }

    private List<List<(string EventId, DeliveryItem Item, EmarsysEventTrigger Trigger)>> Chunk(
        List<(string EventId, DeliveryItem Item, EmarsysEventTrigger Trigger)> group)
    {
        var chunks = new List<List<(string, DeliveryItem, EmarsysEventTrigger)>>();
        var current = new List<(string, DeliveryItem, EmarsysEventTrigger)>();
        var bytes = 0;
        foreach (var entry in group)
        {
            var size = EmarsysClient.TriggerBody(_options.KeyFieldId, [entry.Trigger]).Length;
            if (current.Count > 0 && (current.Count >= _batchSize || bytes + size > MaxTriggerRequestBytes))
            {
                chunks.Add(current);
                current = [];
                bytes = 0;
            }

            current.Add(entry);
            bytes += size;
        }

        if (current.Count > 0)
        {
            chunks.Add(current);
        }

        return chunks;
    }

    private static void MapTriggerErrors(List<(string EventId, DeliveryItem Item, EmarsysEventTrigger Trigger)> chunk, EmarsysWriteResult result,
        Dictionary<string, ItemFailure> failures)
    {
        foreach (var (externalId, errors) in result.Errors)
        {
            var first = errors.Count > 0 ? errors[0] : new EmarsysItemError(string.Empty, "rejected without a reason");
            var message = string.Join("; ", errors.Select(e => string.IsNullOrEmpty(e.Code) ? e.Message : $"{e.Code} {e.Message}"));
            // Several events of one contact may share a call: the contact's error is each one's.
            foreach (var entry in chunk.Where(c => string.Equals(c.Trigger.ExternalId.Trim(), externalId.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                failures[entry.Item.Key] = new ItemFailure(EmarsysErrors.ForItem(first.Code), first.Code, message);
            }
        }
    }

    private static (string EventId, EmarsysEventTrigger Trigger)? ReadTrigger(string fact)
    {
        try
        {
            if (JsonNode.Parse(fact) is not JsonObject root
                || root["event_id"]?.GetValue<string>() is not { Length: > 0 } eventId
                || root["external_id"]?.GetValue<string>() is not { Length: > 0 } externalId)
            {
                return null;
            }

            var eventTime = root["event_time"]?.GetValue<string>() is { } time
                && DateTimeOffset.TryParse(time, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
            var data = root["data"] as JsonObject;
            root.Remove("data");
            return (eventId, new EmarsysEventTrigger(externalId, data, root["trigger_id"]?.GetValue<string>(), eventTime));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>A data value goes in as a string, unless it is a JSON array or object (order lines, tracking), which nests.</summary>
    private static void WriteDataValue(Utf8JsonWriter json, string name, string value)
    {
        var trimmed = value.AsSpan().Trim();
        if (trimmed.Length > 1 && (trimmed[0] == '[' || trimmed[0] == '{'))
        {
            try
            {
                using var nested = JsonDocument.Parse(value);
                json.WritePropertyName(name);
                nested.RootElement.WriteTo(json);
                return;
            }
            catch (JsonException)
            {
                // Not JSON after all: sent as text.
            }
        }

        json.WriteString(name, value);
    }
}
