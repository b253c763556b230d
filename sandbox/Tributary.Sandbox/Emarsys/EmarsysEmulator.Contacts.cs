using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Emarsys;

public sealed partial class EmarsysEmulator
{
    /// <summary>Most contacts one create/update/getdata/delete call may carry.</summary>
    public const int MaxBatchSize = 1000;

    private const string DefaultKeyId = "3";

    private async Task WriteContactsAsync(HttpContext context, bool create)
    {
        using var doc = await ReadJsonAsync(context);
        if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2007, "Invalid request body");
            return;
        }

        var root = doc.RootElement;
        var upsert = !create && context.Request.Query["create_if_not_exists"].ToString() is "1" or "true";
        if (!TryReadKeyId(root, "key_id", DefaultKeyId, out var keyId))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2004, $"Invalid key field id: {keyId}");
            return;
        }

        if (create && keyId is EmarsysContactStore.IdKey or EmarsysContactStore.UidKey)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2004, "Cannot use id or uid as key on contact creation");
            return;
        }

        if (!root.TryGetProperty("contacts", out var contacts))
        {
            await WriteSingleAsync(context, root, keyId, create, upsert);
            return;
        }

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

        var ids = new List<long>(contacts.GetArrayLength());
        var errors = new List<(string Key, int Code, string Message)>();
        lock (_gate)
        {
            foreach (var item in contacts.EnumerateArray())
            {
                var outcome = WriteOne(item, keyId, create, upsert, batch: true);
                if (outcome.Error is { } e)
                {
                    errors.Add((outcome.KeyValue, e.Code, e.Message));
                }
                else
                {
                    ids.Add(outcome.Id);
                }
            }
        }

        await WriteEnvelopeAsync(context, StatusCodes.Status200OK, 0, "OK", json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("ids");
            for (var i = 0; i < ids.Count; i++)
            {
                WriteId(json, ids[i], i);
            }

            json.WriteEndArray();
            WriteErrorMap(json, errors);
            json.WriteEndObject();
        });
    }

    private async Task WriteSingleAsync(HttpContext context, JsonElement root, string keyId, bool create, bool upsert)
    {
        WriteOutcome outcome;
        lock (_gate)
        {
            outcome = WriteOne(root, keyId, create, upsert, batch: false);
        }

        if (outcome.Error is { } e)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, e.Code, e.Message);
            return;
        }

        await WriteEnvelopeAsync(context, StatusCodes.Status200OK, 0, "OK", json =>
        {
            json.WriteStartObject();
            if (create)
            {
                json.WriteNumber("id", outcome.Id);
            }
            else
            {
                json.WriteStartArray("ids");
                WriteId(json, outcome.Id, 0);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        });
    }

    /// <summary>Validates and applies one contact; the caller holds the lock.</summary>
    private WriteOutcome WriteOne(JsonElement item, string keyId, bool create, bool upsert, bool batch)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return WriteOutcome.Fail(string.Empty, 2005, "Invalid key field value");
        }

        var keyValue = item.TryGetProperty(keyId, out var k) ? ScalarText(k) : null;
        if (string.IsNullOrEmpty(keyValue))
        {
            return WriteOutcome.Fail(string.Empty, 2005, $"No value provided for key field: {keyId}");
        }

        if (_rejections.TryGetValue(keyValue, out var rejection))
        {
            return WriteOutcome.Fail(keyValue, rejection.Code, rejection.Message);
        }

        var matches = _store.Find(keyId, keyValue);
        if (matches.Count > 1)
        {
            return WriteOutcome.Fail(keyValue, 2010, $"More contacts found with the external id: {keyId} - {keyValue}");
        }

        var existing = matches.Count == 1 ? matches[0] : null;
        if (create && existing is not null)
        {
            return batch
                ? WriteOutcome.Fail(keyValue, 2009, $"Contact with the external id already exists: {keyId}")
                : WriteOutcome.Fail(keyValue, 2006, "Contact with the external id already exists");
        }

        var creating = existing is null;
        if (creating && !create && (!upsert || keyId is EmarsysContactStore.IdKey or EmarsysContactStore.UidKey))
        {
            return WriteOutcome.Fail(keyValue, 2008, $"No contact found with the external id: {keyId} - {keyValue}");
        }

        var changes = new List<(string Field, string? Value)>();
        foreach (var property in item.EnumerateObject())
        {
            var name = property.Name;
            if (name is EmarsysContactStore.IdKey or EmarsysContactStore.UidKey)
            {
                if (creating)
                {
                    return WriteOutcome.Fail(keyValue, 2007, "Cannot set id or uid on creation");
                }

                if (name != keyId)
                {
                    return WriteOutcome.Fail(keyValue, 2007, $"Invalid field id: {name}");
                }

                continue;
            }

            if (name is "key_id" or "source_id" or "contact_list_id")
            {
                continue;
            }

            if (!Fields.TryGet(name, out var field))
            {
                return WriteOutcome.Fail(keyValue, 2007, $"Invalid field id: {name}");
            }

            var error = EmarsysFieldValidator.Validate(field, property.Value, Options.ValidateEmails, out var stored);
            if (error is not null)
            {
                return WriteOutcome.Fail(keyValue, 2007, error);
            }

            changes.Add((field.Key, stored));
        }

        var contact = existing ?? _store.Create();
        foreach (var (fieldKey, value) in changes)
        {
            _store.Set(contact, fieldKey, value);
        }

        return new WriteOutcome(keyValue, contact.Id, null);
    }

    private bool TryReadKeyId(JsonElement root, string property, string fallback, out string keyId)
    {
        keyId = fallback;
        if (root.TryGetProperty(property, out var raw) && raw.ValueKind != JsonValueKind.Null)
        {
            keyId = ScalarText(raw) ?? raw.GetRawText();
        }

        return keyId is EmarsysContactStore.IdKey or EmarsysContactStore.UidKey || Fields.TryGet(keyId, out _);
    }

    private static void WriteErrorMap(Utf8JsonWriter json, List<(string Key, int Code, string Message)> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        json.WriteStartObject("errors");
        foreach (var group in errors.GroupBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject(group.Key);
            foreach (var (_, code, message) in group.DistinctBy(e => e.Code))
            {
                json.WriteString(code.ToString(System.Globalization.CultureInfo.InvariantCulture), message);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private readonly record struct WriteOutcome(string KeyValue, long Id, (int Code, string Message)? Error)
    {
        public static WriteOutcome Fail(string keyValue, int code, string message) => new(keyValue, 0, (code, message));
    }
}
