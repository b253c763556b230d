using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Emarsys;

/// <summary>One contact an external event was triggered for, as a test sees it.</summary>
/// <param name="EventId">The event id of the call.</param>
/// <param name="KeyId">The <c>key_id</c> of the call.</param>
/// <param name="ExternalId">The contact's key value.</param>
/// <param name="ContactId">The internal id of the contact it resolved to.</param>
/// <param name="DataJson">The <c>data</c> object as sent, or null.</param>
/// <param name="TriggerId">The client-side <c>trigger_id</c>, or null.</param>
/// <param name="EventTime">The <c>event_time</c> as sent, or null.</param>
/// <param name="At">When the emulator received it (its clock).</param>
public sealed record EmarsysTrigger(int EventId, string KeyId, string ExternalId, long ContactId, string? DataJson, string? TriggerId,
    string? EventTime, DateTimeOffset At);

public sealed partial class EmarsysEmulator
{
    private const string EventPrefix = "api/v2/event/";
    private const string TriggerSuffix = "/trigger";

    // Unconfirmed: the API's answer to an oversized payload is undocumented; a 400 with a field-payload code is this choice.
    private const int PayloadTooLargeReplyCode = 2007;

    private static readonly string[] EventTimeFormats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"];

    private readonly List<EmarsysTrigger> _triggers = [];
    private long _triggerRequests;

    /// <summary>Every contact an event was triggered for, in arrival order.</summary>
    public IReadOnlyList<EmarsysTrigger> Triggers
    {
        get
        {
            lock (_gate)
            {
                return _triggers.ToList();
            }
        }
    }

    /// <summary>Trigger calls that passed auth, limits and faults (single and batch alike).</summary>
    public long TriggerRequests => Interlocked.Read(ref _triggerRequests);

    private static bool IsTriggerPath(string path, out string eventId)
    {
        eventId = string.Empty;
        if (!path.StartsWith(EventPrefix, StringComparison.Ordinal) || !path.EndsWith(TriggerSuffix, StringComparison.Ordinal)
            || path.Length <= EventPrefix.Length + TriggerSuffix.Length)
        {
            return false;
        }

        eventId = path[EventPrefix.Length..^TriggerSuffix.Length];
        return !eventId.Contains('/', StringComparison.Ordinal);
    }

    private async Task TriggerAsync(HttpContext context, string rawEventId)
    {
        Interlocked.Increment(ref _triggerRequests);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > Options.MaxEventPayloadBytes)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, PayloadTooLargeReplyCode,
                $"The event payload exceeds the maximum size of {Options.MaxEventPayloadBytes / 1024} KB");
            return;
        }

        if (!int.TryParse(rawEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var eventId) || !Options.Events.ContainsKey(eventId))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 5001, "Invalid event id for customer");
            return;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2007, "Invalid request body");
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (RefuseKeyedBody(context, root, out var keyId) is { } refused)
            {
                await refused;
                return;
            }

            if (root.TryGetProperty("contacts", out var contacts))
            {
                await TriggerBatchAsync(context, eventId, keyId, contacts);
                return;
            }

            TriggerOutcome outcome;
            lock (_gate)
            {
                outcome = TriggerOne(eventId, keyId, root);
            }

            if (outcome.Error is { } e)
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, e.Code, e.Message);
                return;
            }

            await WriteEnvelopeAsync(context, StatusCodes.Status200OK, 0, "OK", json =>
            {
                json.WriteStartObject();
                json.WriteEndObject();
            });
        }
    }

    private async Task TriggerBatchAsync(HttpContext context, int eventId, string keyId, JsonElement contacts)
    {
        if (contacts.ValueKind != JsonValueKind.Array)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2007, "Array expected");
            return;
        }

        if (contacts.GetArrayLength() > MaxBatchSize)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 1000, "The request exceeded the maximum batch size of 1,000");
            return;
        }

        var ids = new List<long>();
        var errors = new List<(string Key, int Code, string Message)>();
        lock (_gate)
        {
            foreach (var item in contacts.EnumerateArray())
            {
                var outcome = TriggerOne(eventId, keyId, item);
                if (outcome.Error is { } e)
                {
                    errors.Add((outcome.KeyValue, e.Code, e.Message));
                }
                else
                {
                    ids.Add(outcome.ContactId);
                }
            }
        }

        await WriteEnvelopeAsync(context, StatusCodes.Status200OK, 0, "OK", json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("ids");
            for (var i = 0; i < ids.Count; i++)
            {
                // The batch answer lists ids as strings.
                json.WriteStringValue(ids[i].ToString(CultureInfo.InvariantCulture));
            }

            json.WriteEndArray();
            WriteErrorMap(json, errors);
            json.WriteEndObject();
        });
    }

    /// <summary>Resolves and records one contact's trigger; the caller holds the lock.</summary>
    private TriggerOutcome TriggerOne(int eventId, string keyId, JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return TriggerOutcome.Fail(string.Empty, 2005, "Invalid key field value");
        }

        var externalId = item.TryGetProperty("external_id", out var e) ? ScalarText(e) : null;
        if (string.IsNullOrEmpty(externalId))
        {
            return TriggerOutcome.Fail(string.Empty, 2005, $"No value provided for key field: {keyId}");
        }

        if (_rejections.TryGetValue(externalId, out var rejection))
        {
            return TriggerOutcome.Fail(externalId, rejection.Code, rejection.Message);
        }

        string? eventTime = null;
        if (item.TryGetProperty("event_time", out var time) && time.ValueKind != JsonValueKind.Null)
        {
            eventTime = ScalarText(time);
            if (eventTime is null || !DateTime.TryParseExact(eventTime, EventTimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _))
            {
                return TriggerOutcome.Fail(externalId, 2007, "Invalid event_time: expected YYYY-MM-DDTHH:MM:SSZ");
            }
        }

        var matches = _store.Find(keyId, externalId);
        if (matches.Count == 0)
        {
            return TriggerOutcome.Fail(externalId, 2008, $"No contact found with the external id: {keyId} - {externalId}");
        }

        if (matches.Count > 1)
        {
            return TriggerOutcome.Fail(externalId, 2010, $"More contacts found with the external id: {keyId} - {externalId}");
        }

        var data = item.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
        var triggerId = item.TryGetProperty("trigger_id", out var t) ? ScalarText(t) : null;
        var contactId = matches[0].Id;
        _triggers.Add(new EmarsysTrigger(eventId, keyId, externalId, contactId, data, triggerId, eventTime, Time.GetUtcNow()));
        return new TriggerOutcome(externalId, contactId, null);
    }

    private readonly record struct TriggerOutcome(string KeyValue, long ContactId, (int Code, string Message)? Error)
    {
        public static TriggerOutcome Fail(string keyValue, int code, string message) => new(keyValue, 0, (code, message));
    }
}
