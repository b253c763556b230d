using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Emarsys;

public sealed partial class EmarsysEmulator
{
    private async Task GetDataAsync(HttpContext context)
    {
        using var doc = await ReadJsonAsync(context);
        var root = doc?.RootElement ?? default;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keyValues", out var keyValues)
            || keyValues.ValueKind != JsonValueKind.Array)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 10001, "Missing parameter: keyValues");
            return;
        }

        if (keyValues.GetArrayLength() > MaxBatchSize)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 10001, "Max. number of contacts: 1000");
            return;
        }

        // Unlike key_id elsewhere, an omitted keyId means the internal id.
        if (!TryReadKeyId(root, "keyId", EmarsysContactStore.IdKey, out var keyId))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2004, $"Invalid key field id: {keyId}");
            return;
        }

        var fields = new List<string>();
        if (root.TryGetProperty("fields", out var requested) && requested.ValueKind == JsonValueKind.Array)
        {
            foreach (var f in requested.EnumerateArray())
            {
                var key = ScalarText(f) ?? string.Empty;
                if (!Fields.TryGet(key, out var field))
                {
                    await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2007, $"Invalid field id: {key}");
                    return;
                }

                fields.Add(field.Key);
            }
        }

        if (fields.Count == 0)
        {
            fields.AddRange(Fields.Fields.Select(f => f.Key));
        }

        var found = new List<EmarsysContact>();
        var missing = new List<string>();
        var parsed = 0;
        lock (_gate)
        {
            foreach (var value in keyValues.EnumerateArray())
            {
                var text = ScalarText(value);
                if (string.IsNullOrEmpty(text) || (keyId == EmarsysContactStore.IdKey && !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                {
                    continue;
                }

                parsed++;
                var matches = _store.Find(keyId, text);
                if (matches.Count == 0)
                {
                    missing.Add(text);
                }

                found.AddRange(matches.Select(m => m.Snapshot()));
            }
        }

        await WriteEnvelopeAsync(context, StatusCodes.Status200OK, 0, "OK", json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("errors");
            foreach (var key in missing)
            {
                json.WriteStartObject();
                json.WriteString("key", key);
                json.WriteString("errorCode", "2008");
                json.WriteString("errorMsg", $"No contact found with the external id: {keyId}");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (parsed == 0)
            {
                json.WriteBoolean("result", false);
            }
            else
            {
                json.WriteStartArray("result");
                foreach (var contact in found)
                {
                    WriteContact(json, contact, fields);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        });
    }

    private static void WriteContact(Utf8JsonWriter json, EmarsysContact contact, List<string> fields)
    {
        json.WriteStartObject();
        json.WriteString("id", contact.Id.ToString(CultureInfo.InvariantCulture));
        json.WriteString("uid", contact.Uid);
        foreach (var field in fields)
        {
            if (contact.Fields.TryGetValue(field, out var value))
            {
                json.WriteString(field, value);
            }
            else
            {
                json.WriteNull(field);
            }
        }

        json.WriteEndObject();
    }

    private async Task DeleteAsync(HttpContext context)
    {
        using var doc = await ReadJsonAsync(context);
        var root = doc?.RootElement ?? default;
        if (RefuseKeyedBody(context, root, out var keyId) is { } refused)
        {
            await refused;
            return;
        }

        if (!root.TryGetProperty(keyId, out var raw) || raw.ValueKind is JsonValueKind.Null or JsonValueKind.Object)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2005, $"No value provided for key field: {keyId}");
            return;
        }

        var batch = raw.ValueKind == JsonValueKind.Array;
        var values = batch ? raw.EnumerateArray().Select(v => ScalarText(v) ?? string.Empty).ToList() : [ScalarText(raw) ?? string.Empty];
        if (values.Count > MaxBatchSize)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 1000, "The request exceeded the maximum batch size of 1,000");
            return;
        }

        var errors = new List<(string Key, int Code, string Message)>();
        var deleted = 0;
        lock (_gate)
        {
            foreach (var value in values)
            {
                var matches = _store.Find(keyId, value);
                if (matches.Count == 0)
                {
                    errors.Add((value, 2008, $"No contact found with the external id: {keyId} - {value}"));
                }
                else if (matches.Count > 1)
                {
                    // Duplicates are not deleted when the key is not unique.
                    errors.Add((value, 2010, $"More contacts found with the external id: {keyId} - {value}"));
                }
                else
                {
                    _store.Delete(matches[0]);
                    deleted++;
                }
            }
        }

        if (!batch && errors.Count == 1)
        {
            var (_, code, message) = errors[0];
            await WriteErrorAsync(context, code == 2008 ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, code, message);
            return;
        }

        await WriteEnvelopeAsync(context, StatusCodes.Status200OK, 0, "OK", json =>
        {
            json.WriteStartObject();
            json.WriteNumber("deleted_contacts", deleted);
            if (errors.Count == 0)
            {
                json.WriteStartObject("errors");
                json.WriteEndObject();
            }
            else
            {
                WriteErrorMap(json, errors);
            }

            json.WriteEndObject();
        });
    }

    private Task FieldsAsync(HttpContext context) =>
        WriteEnvelopeAsync(context, StatusCodes.Status200OK, 0, "OK", json =>
        {
            json.WriteStartArray();
            foreach (var field in Fields.Fields)
            {
                json.WriteStartObject();
                json.WriteNumber("id", field.Id);
                json.WriteString("name", field.Name);
                json.WriteString("application_type", field.Type);
                json.WriteString("string_id", field.StringId);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });

    private Task SettingsAsync(HttpContext context)
    {
        int total;
        lock (_gate)
        {
            total = _store.Count;
        }

        return WriteEnvelopeAsync(context, StatusCodes.Status200OK, 0, "OK", json =>
        {
            json.WriteStartObject();
            json.WriteNumber("id", 1);
            json.WriteString("environment", "sandbox.emarsys.net");
            json.WriteString("timezone", "UTC");
            json.WriteString("name", "Tributary sandbox");
            json.WriteNumber("password_history_queue_size", 1);
            json.WriteString("country", "Austria");
            json.WriteString("language", "en");
            json.WriteNumber("total_contacts", total);
            json.WriteEndObject();
        });
    }
}
