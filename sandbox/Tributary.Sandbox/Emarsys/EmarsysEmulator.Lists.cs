using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Emarsys;

/// <summary>
/// Contact lists (A5.7 of the researched API): <c>POST /api/v2/contactlist</c> creates one, <c>…/{id}/add</c> and <c>…/{id}/delete</c>
/// add contacts to it and take them out, by a key field's values in <c>external_ids</c> (at most 10 000). Members are held by
/// contact id, so a deleted contact leaves every list. A list id the account does not have answers 404 (the reply code is not
/// published; the emulator answers the generic 404 envelope).
/// </summary>
public sealed partial class EmarsysEmulator
{
    private const int MaxListIds = 10_000;

    private readonly Dictionary<long, (string Name, HashSet<long> Members)> _lists = [];

    private long _nextListId = 700_000_001;

    /// <summary>Creates a contact list as if made in the Emarsys UI; answers its id.</summary>
    public long CreateContactList(string name)
    {
        lock (_gate)
        {
            var id = _nextListId++;
            _lists[id] = (name, []);
            return id;
        }
    }

    /// <summary>The key field values of a list's members (contacts without a value in that field are left out); empty for an unknown list.</summary>
    public IReadOnlyList<string> ContactListMembers(long listId, string keyFieldId)
    {
        lock (_gate)
        {
            if (!_lists.TryGetValue(listId, out var list))
            {
                return [];
            }

            var existing = _store.All.ToDictionary(c => c.Id);
            return list.Members.Where(existing.ContainsKey).Select(id => existing[id].Fields.GetValueOrDefault(keyFieldId))
                .OfType<string>().Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>
    /// The answer to a batch body that is no JSON object (2007) or names a key field the account does not have (2004); null when
    /// the body is fine, with its key field id.
    /// </summary>
    private Task? RefuseKeyedBody(HttpContext context, JsonElement root, out string keyId)
    {
        keyId = DefaultKeyId;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2007, "Invalid request body");
        }

        return TryReadKeyId(root, "key_id", DefaultKeyId, out keyId)
            ? null
            : WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2004, $"Invalid key field id: {keyId}");
    }

    private static bool IsContactListPath(string path, out string? listId, out string? operation)
    {
        listId = null;
        operation = null;
        var parts = path.Split('/');
        if (parts is ["api", "v2", "contactlist"])
        {
            return true;
        }

        if (parts is ["api", "v2", "contactlist", var id, var op])
        {
            listId = id;
            operation = op;
            return true;
        }

        return false;
    }

    private async Task ContactListAsync(HttpContext context, string? listIdText, string? operation)
    {
        using var doc = await ReadJsonAsync(context);
        var root = doc?.RootElement ?? default;
        if (RefuseKeyedBody(context, root, out var keyId) is { } refused)
        {
            await refused;
            return;
        }

        var values = root.TryGetProperty("external_ids", out var raw) && raw.ValueKind == JsonValueKind.Array
            ? raw.EnumerateArray().Select(v => ScalarText(v) ?? string.Empty).ToList()
            : [];
        if (values.Count > MaxListIds)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2002, "The list of external ids exceeds the maximum size");
            return;
        }

        if (listIdText is null)
        {
            await CreateListAsync(context, root, keyId, values);
            return;
        }

        if (operation is not ("add" or "delete"))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, 404, "Not found");
            return;
        }

        List<(string Key, int Code, string Message)>? errors = [];
        var changed = 0;
        lock (_gate)
        {
            if (!long.TryParse(listIdText, NumberStyles.None, CultureInfo.InvariantCulture, out var listId) || !_lists.TryGetValue(listId, out var list))
            {
                errors = null;
            }
            else
            {
                foreach (var value in values)
                {
                    var matches = _store.Find(keyId, value);
                    if (matches.Count != 1)
                    {
                        errors.Add(matches.Count == 0
                            ? (value, 2008, $"No contact found with the external id: {keyId} - {value}")
                            : (value, 2010, $"More contacts found with the external id: {keyId} - {value}"));
                        continue;
                    }

                    var done = operation == "add" ? list.Members.Add(matches[0].Id) : list.Members.Remove(matches[0].Id);
                    changed += done ? 1 : 0;
                }
            }
        }

        if (errors is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, 404, $"Contact list not found: {listIdText}");
            return;
        }

        await WriteEnvelopeAsync(context, StatusCodes.Status200OK, 0, "OK", json =>
        {
            json.WriteStartObject();
            json.WriteNumber(operation == "add" ? "inserted_contacts" : "deleted_contacts", changed);
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

    private async Task CreateListAsync(HttpContext context, JsonElement root, string keyId, List<string> values)
    {
        var name = root.TryGetProperty("name", out var n) ? ScalarText(n) : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, 2007, "Missing parameter: name");
            return;
        }

        long id;
        lock (_gate)
        {
            id = _nextListId++;
            var members = values.Select(v => _store.Find(keyId, v)).Where(m => m.Count == 1).Select(m => m[0].Id).ToHashSet();
            _lists[id] = (name, members);
        }

        await WriteEnvelopeAsync(context, StatusCodes.Status200OK, 0, "OK", json =>
        {
            json.WriteStartObject();
            json.WriteNumber("id", id);
            json.WriteEndObject();
        });
    }
}
