using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Core.Contracts;
using Tributary.Core.Facts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// Business events as external event triggers: each event is one <see cref="EventTrigger"/> fact (the event id, the contact's key,
/// the dedupe key as trigger id, the time, the data), staged through <see cref="FactCodec"/> and written as the trigger's JSON only
/// when sent.
/// </summary>
internal sealed class EmarsysEventWriter(EmarsysClient client, EmarsysDestinationOptions options, int batchSize)
{
    private static readonly Dictionary<string, string> EmptyData = new(StringComparer.Ordinal);

    /// <summary>
    /// Projects an event onto one fact, <see cref="EmarsysDestination.TriggerFact"/>: its <see cref="EventTrigger"/>, whose data is
    /// the event's data in ordinal order, so the fact reads the same on every projection. Types without an event id, and events
    /// without a customer (triggers need an existing contact), project to nothing. The trigger is measured as Emarsys will see
    /// it: above <see cref="EmarsysDestinationOptions.MaxEventDataBytes"/> no Interactions program starts, so it is quarantined.
    /// </summary>
    public Projection Project(CommerceEvent commerceEvent)
    {
        if (!options.EventIds.TryGetValue(commerceEvent.Type, out var eventId) || string.IsNullOrWhiteSpace(commerceEvent.CustomerId))
        {
            return new Projection(new Dictionary<string, string?>());
        }

        var customerId = commerceEvent.CustomerId.Trim();
        var data = new Dictionary<string, string>(commerceEvent.Data.Count, StringComparer.Ordinal);
        foreach (var (name, value) in commerceEvent.Data.Where(d => d.Value is not null).OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            data[name] = value!;
        }

        var trigger = new EventTrigger(eventId, customerId, commerceEvent.DedupeKey, commerceEvent.OccurredAt == default ? null : commerceEvent.OccurredAt,
            data);
        var size = MeasuredSize(trigger);
        if (size > options.MaxEventDataBytes)
        {
            return Projection.Quarantine($"{commerceEvent.Type} data is {size} bytes; Emarsys starts no Interactions program "
                + $"above {options.MaxEventDataBytes} bytes (MaxEventDataBytes): keep event data to what the template renders");
        }

        return new Projection(new Dictionary<string, string?> { [EmarsysDestination.TriggerFact] = FactCodec.Encode(trigger) },
            DependsOn: new DependencyKey(EntityKind.Customer, customerId));
    }

    /// <summary>
    /// Sends triggers grouped by event id, one batch call per event id (more when a group exceeds the batch size or the payload
    /// limit). Per-contact errors map back to every item of that contact. A call that fails before anything was sent throws, so
    /// the engine retries or stops the whole batch; once a call has succeeded, later failures become per-item failures, so
    /// the triggers already accepted are not sent twice.
    /// </summary>
    public async Task<DeliveryResult> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var pending = new List<(string EventId, DeliveryItem Item, EmarsysEventTrigger Trigger)>(items.Count);
        foreach (var item in items)
        {
            if (!item.Changes.TryGetValue(EmarsysDestination.TriggerFact, out var fact) || fact is null)
            {
                continue; // Nothing unsent for this event.
            }

            if (FactCodec.TryDecode<EventTrigger>(fact, out var trigger))
            {
                pending.Add((trigger.Target, item, Wire(trigger)));
            }
            else if (!FactCodec.IsEncoded(fact) && ReadStagedTrigger(fact) is { } parsed)
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
                result = await client.TriggerEventAsync(eventId, options.KeyFieldId, chunk.Select(c => c.Trigger).ToList(), cancellationToken);
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
            var size = EmarsysClient.TriggerBody(options.KeyFieldId, [entry.Trigger]).Length;
            if (current.Count > 0 && (current.Count >= batchSize || bytes + size > EmarsysDestination.MaxTriggerRequestBytes))
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

    /// <summary>The trigger as sent: <c>data.global</c> holds the data, a JSON array or object nested, anything else as text.</summary>
    private static EmarsysEventTrigger Wire(EventTrigger trigger)
    {
        var global = new JsonObject();
        foreach (var (name, value) in trigger.Data ?? EmptyData)
        {
            global[name] = DataValue(value);
        }

        return new EmarsysEventTrigger(trigger.Contact, new JsonObject { ["global"] = global }, trigger.TriggerId, trigger.OccurredAt);
    }

    /// <summary>
    /// The size of the trigger object Emarsys receives for one contact, with the event id (the measure the projection has always
    /// used against <see cref="EmarsysDestinationOptions.MaxEventDataBytes"/>).
    /// </summary>
    private static int MeasuredSize(EventTrigger trigger)
    {
        var wire = Wire(trigger);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event_id", trigger.Target);
            json.WriteString("external_id", wire.ExternalId);
            json.WriteString("trigger_id", wire.TriggerId);
            if (wire.EventTime is { } at)
            {
                json.WriteString("event_time", EmarsysClient.FormatEventTime(at));
            }

            json.WritePropertyName("data");
            wire.Data!.WriteTo(json);
            json.WriteEndObject();
        }

        return buffer.WrittenCount;
    }

    /// <summary>A trigger staged by an earlier version, which projected the trigger's JSON itself.</summary>
    private static (string EventId, EmarsysEventTrigger Trigger)? ReadStagedTrigger(string fact)
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
    private static JsonNode? DataValue(string value)
    {
        var trimmed = value.AsSpan().Trim();
        if (trimmed.Length > 1 && (trimmed[0] == '[' || trimmed[0] == '{'))
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                // Not JSON after all: sent as text.
            }
        }

        return JsonValue.Create(value);
    }
}
