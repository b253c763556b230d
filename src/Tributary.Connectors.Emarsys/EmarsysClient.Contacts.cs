using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Tributary.Connectors.Emarsys;

public sealed partial class EmarsysClient
{
    /// <summary>Most contacts one create/update/getdata/delete call may carry.</summary>
    public const int MaxContactsPerCall = 1000;

    /// <summary>
    /// Creates or updates contacts in one <c>PUT /api/v2/contact</c> (with <c>create_if_not_exists=1</c> when
    /// <paramref name="createIfNotExists"/>). Per-contact failures come back in the result keyed by key value.
    /// </summary>
    public async Task<EmarsysWriteResult> UpsertContactsAsync(string keyId, IReadOnlyList<EmarsysContactWrite> contacts,
        bool createIfNotExists, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (contacts.Count == 0)
        {
            return new EmarsysWriteResult([], new Dictionary<string, IReadOnlyList<EmarsysItemError>>());
        }

        if (contacts.Count > MaxContactsPerCall)
        {
            throw new ArgumentOutOfRangeException(nameof(contacts), contacts.Count, $"Emarsys takes at most {MaxContactsPerCall} contacts per call.");
        }

        var body = WriteBody(keyId, contacts);
        var path = createIfNotExists ? "api/v2/contact?create_if_not_exists=1" : "api/v2/contact";
        var answer = await SendAsync(HttpMethod.Put, path, JsonContent(body), cancellationToken);
        return new EmarsysWriteResult(ReadIds(answer.Data), ReadErrorMap(answer.Data));
    }

    /// <summary>Reads contacts by key (<c>POST /api/v2/contact/getdata</c>); empty <paramref name="fields"/> means every field.</summary>
    public async Task<EmarsysContactData> GetContactsAsync(string keyId, IReadOnlyList<string> keyValues, IReadOnlyList<string> fields,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (keyValues.Count > MaxContactsPerCall)
        {
            throw new ArgumentOutOfRangeException(nameof(keyValues), keyValues.Count, $"Emarsys reads at most {MaxContactsPerCall} contacts per call.");
        }

        // Always send keyId: when omitted it means the internal id, not email.
        var body = JsonSerializer.SerializeToUtf8Bytes(new GetDataRequest(keyId, keyValues, fields), EmarsysJsonContext.Default.GetDataRequest);
        var answer = await SendAsync(HttpMethod.Post, "api/v2/contact/getdata", JsonContent(body), cancellationToken);
        var data = answer.Data;
        var contacts = new List<IReadOnlyDictionary<string, string?>>();
        var errors = new List<EmarsysGetDataError>();
        if (data.ValueKind != JsonValueKind.Object)
        {
            return new EmarsysContactData(contacts, errors);
        }

        // "result" is an array, false when no key parsed, or missing when every key failed.
        if (data.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in result.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
            {
                var contact = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var property in item.EnumerateObject())
                {
                    contact[property.Name] = ScalarText(property.Value);
                }

                contacts.Add(contact);
            }
        }

        if (data.TryGetProperty("errors", out var errorList) && errorList.ValueKind == JsonValueKind.Array)
        {
            errors.AddRange(errorList.Deserialize(EmarsysJsonContext.Default.ListEmarsysGetDataError) ?? []);
        }

        return new EmarsysContactData(contacts, errors);
    }

    /// <summary>
    /// Deletes contacts by key (<c>POST /api/v2/contact/delete</c>, batch form). Contacts whose key is not unique are not
    /// deleted and come back as errors. This erases the contact; to unsubscribe, set the opt-in field to 2 instead.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<EmarsysItemError>>> DeleteContactsAsync(string keyId,
        IReadOnlyList<string> keyValues, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (keyValues.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<EmarsysItemError>>();
        }

        if (keyValues.Count > MaxContactsPerCall)
        {
            throw new ArgumentOutOfRangeException(nameof(keyValues), keyValues.Count, $"Emarsys deletes at most {MaxContactsPerCall} contacts per call.");
        }

        var answer = await SendAsync(HttpMethod.Post, "api/v2/contact/delete", JsonContent(KeyedValues(keyId, keyId, keyValues)), cancellationToken);
        return ReadErrorMap(answer.Data);
    }

    /// <summary>Most contacts one contact-list call takes (the documented limit is 10 000; a delivery batch is far below it).</summary>
    public const int MaxContactsPerListCall = 10_000;

    /// <summary>
    /// Adds contacts to a contact list (<c>POST /api/v2/contactlist/{id}/add</c>) or takes them out of it (<c>…/delete</c>), by the
    /// key field's values. Answers the per-key errors the call reported (a key the account does not hold, say).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<EmarsysItemError>>> ChangeContactListAsync(string listId, bool add, string keyId,
        IReadOnlyList<string> keyValues, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(listId);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (keyValues.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<EmarsysItemError>>();
        }

        if (keyValues.Count > MaxContactsPerListCall)
        {
            throw new ArgumentOutOfRangeException(nameof(keyValues), keyValues.Count, $"Emarsys takes at most {MaxContactsPerListCall} contacts per contact-list call.");
        }

        var path = $"api/v2/contactlist/{Uri.EscapeDataString(listId)}/{(add ? "add" : "delete")}";
        var answer = await SendAsync(HttpMethod.Post, path, JsonContent(KeyedValues(keyId, "external_ids", keyValues)), cancellationToken);
        return ReadErrorMap(answer.Data);
    }

    /// <summary><c>{"key_id": keyId, arrayName: [values…]}</c>: the body of the calls that name contacts by their key values.</summary>
    private static byte[] KeyedValues(string keyId, string arrayName, IReadOnlyList<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("key_id", keyId);
            json.WriteStartArray(arrayName);
            foreach (var value in values)
            {
                json.WriteStringValue(value);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] WriteBody(string keyId, IReadOnlyList<EmarsysContactWrite> contacts)
    {
        var buffer = new ArrayBufferWriter<byte>(contacts.Count * 128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("key_id", keyId);
            json.WriteStartArray("contacts");
            foreach (var contact in contacts)
            {
                json.WriteStartObject();
                json.WriteString(keyId, contact.KeyValue);
                foreach (var (field, value) in contact.Fields)
                {
                    if (string.Equals(field, keyId, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (value is null)
                    {
                        json.WriteNull(field);
                    }
                    else if (contact.NumberFields?.Contains(field) == true
                        && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    {
                        json.WriteNumber(field, number);
                    }
                    else
                    {
                        json.WriteString(field, value);
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static List<string> ReadIds(JsonElement data)
    {
        var ids = new List<string>();
        if (data.ValueKind != JsonValueKind.Object)
        {
            return ids;
        }

        // Ids come as numbers or numeric strings; a single create answers {"id": n}.
        if (data.TryGetProperty("ids", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            ids.AddRange(list.EnumerateArray().Select(ScalarText).OfType<string>());
        }
        else if (data.TryGetProperty("id", out var one) && ScalarText(one) is { } id)
        {
            ids.Add(id);
        }

        return ids;
    }

    private static Dictionary<string, IReadOnlyList<EmarsysItemError>> ReadErrorMap(JsonElement data)
    {
        var errors = new Dictionary<string, IReadOnlyList<EmarsysItemError>>(StringComparer.Ordinal);
        // An empty map may come as [] (PHP encodes an empty array that way); only an object carries errors.
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("errors", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return errors;
        }

        foreach (var entry in map.EnumerateObject())
        {
            var list = new List<EmarsysItemError>();
            if (entry.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var error in entry.Value.EnumerateObject())
                {
                    list.Add(new EmarsysItemError(error.Name, EmarsysErrors.MaskPersonalData(ScalarText(error.Value))));
                }
            }
            else
            {
                list.Add(new EmarsysItemError(string.Empty, EmarsysErrors.MaskPersonalData(ScalarText(entry.Value))));
            }

            errors[entry.Name] = list;
        }

        return errors;
    }
}
