using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Dotdigital;

public sealed partial class DotdigitalEmulator
{
    private readonly Dictionary<string, InsightImport> _insightImports = new(StringComparer.OrdinalIgnoreCase);

    private async Task InsightImportAsync(HttpContext context)
    {
        using var doc = await ReadJsonAsync(context);
        var root = doc?.RootElement;
        string? name = null, scope = null, type = null;
        JsonElement records = default;
        var valid = root is { ValueKind: JsonValueKind.Object } r
            && TryString(r, "collectionName", out name) && TryString(r, "collectionScope", out scope) && TryString(r, "collectionType", out type)
            && r.TryGetProperty("records", out records) && records.ValueKind == JsonValueKind.Array;
        if (!valid || name is null || scope is null || type is null)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status400BadRequest, "insightData:badJson",
                "collectionName, collectionScope, collectionType and records are required");
            return;
        }

        if (!DotdigitalInsightStore.IsValidName(name))
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status400BadRequest, "insightData:invalidId", $"The collectionName value '{name}' is invalid");
            return;
        }

        InsightImport? import = null;
        string? scopeClash = null;
        lock (_gate)
        {
            if (_insight.ScopeOf(name) is { } existing && !string.Equals(existing, scope, StringComparison.OrdinalIgnoreCase))
            {
                scopeClash = existing;
            }
            else if (_insightImports.Values.Count(i => i.PollsLeft > 0) < Options.MaxActiveInsightImports)
            {
                import = new InsightImport(Guid.NewGuid().ToString(), name, Options.ImportPollsBeforeFinished);
                _insight.Ensure(name, scope.ToLowerInvariant(), type);
                foreach (var record in records.EnumerateArray())
                {
                    ImportRecord(import, name, scope, record);
                }

                _insightImports[import.Id] = import;
            }
        }

        if (scopeClash is not null)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status400BadRequest, "insightData:invalidId",
                $"The collection '{name}' already exists with scope {scopeClash}: names are unique across scopes");
            return;
        }

        if (import is null)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status429TooManyRequests, "insightData:tooManyActiveImports",
                $"There are already {Options.MaxActiveInsightImports} active imports");
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status202Accepted, json =>
        {
            json.WriteStartObject();
            json.WriteString("importId", import.Id);
            json.WriteEndObject();
        });
    }

    // The caller holds the lock.
    private void ImportRecord(InsightImport import, string collection, string scope, JsonElement record)
    {
        import.Total++;
        var key = record.TryGetProperty("key", out var k) ? k.ValueKind == JsonValueKind.Number ? k.GetRawText() : k.GetString() ?? string.Empty : string.Empty;
        string? owner = null;
        long? contactId = null;
        if (string.Equals(scope, "contact", StringComparison.OrdinalIgnoreCase))
        {
            owner = record.TryGetProperty("contactIdentity", out var identity) && identity.TryGetProperty("value", out var v) ? v.GetString() : null;
            contactId = owner is null ? null : _contacts.ByEmail(owner)?.ContactId;
            if (contactId is null)
            {
                import.Failures.Add((key, owner, "ContactEmailDoesNotExist"));
                return;
            }
        }

        if (key.Length == 0 || !record.TryGetProperty("json", out var json))
        {
            import.Failures.Add((key, owner, key.Length == 0 ? "InvalidClientKey" : "InvalidJson"));
            return;
        }

        var (reason, _, _) = _insight.Upsert(collection, key, contactId, json);
        if (reason is not null)
        {
            import.Failures.Add((key, owner, reason));
        }
    }

    private async Task InsightImportStatusAsync(HttpContext context, string importId)
    {
        InsightImport? import;
        string status;
        lock (_gate)
        {
            _insightImports.TryGetValue(importId, out import);
            status = Options.InsightFinishedStatus;
            if (import is { PollsLeft: > 0 })
            {
                import.PollsLeft--;
                status = "Processing";
            }
        }

        if (import is null)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status404NotFound, "insightData:importNotFound", "The import was not found");
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("importId", import.Id);
            json.WriteString("status", status);
            json.WriteString("collectionName", import.Collection);
            if (status != "Processing")
            {
                json.WriteStartObject("summary");
                json.WriteNumber("totalRecords", import.Total);
                json.WriteNumber("totalImported", import.Total - import.Failures.Count);
                json.WriteNumber("totalRejected", import.Failures.Count);
                json.WriteEndObject();
            }

            // The published status has "failures" with at least one item, or none at all.
            if (status != "Processing" && import.Failures.Count > 0)
            {
                json.WriteStartArray("failures");
                foreach (var (key, owner, reason) in import.Failures)
                {
                    json.WriteStartObject();
                    json.WriteStartObject("collectionOwner");
                    json.WriteString("ownerType", owner is null ? "account" : "contact");
                    if (owner is not null)
                    {
                        json.WriteStartObject("contactIdentity");
                        json.WriteString("identifier", "email");
                        json.WriteString("value", owner);
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                    json.WriteString("failureReason", reason);
                    json.WriteStartArray("details");
                    json.WriteEndArray();
                    json.WriteString("key", key);
                    json.WriteStartObject("json");
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        });
    }

    private async Task PutRecordAsync(HttpContext context, string collection, string key, string? identifier, string? value)
    {
        using var doc = await ReadJsonAsync(context);
        if (doc is null)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status400BadRequest, "insightData:badJson", "The record is not valid JSON");
            return;
        }

        (int Status, string Code, string Description)? error = null;
        var created = false;
        lock (_gate)
        {
            long? contactId = null;
            if (!_insight.Exists(collection))
            {
                error = (StatusCodes.Status404NotFound, "insightData:collectionNotFound", $"The collection '{collection}' was not found");
            }
            else if (identifier is not null)
            {
                contactId = identifier switch
                {
                    "email" => _contacts.ByEmail(value ?? string.Empty)?.ContactId,
                    "contactId" when long.TryParse(value, out var id) => _contacts.ById(id)?.ContactId,
                    _ => null,
                };
                if (contactId is null)
                {
                    error = (StatusCodes.Status404NotFound, "insightData:contactNotFound", "The contact was not found");
                }
            }

            if (error is null)
            {
                var (reason, detail, isNew) = _insight.Upsert(collection, key, contactId, doc.RootElement);
                created = isNew;
                if (reason is not null)
                {
                    error = (StatusCodes.Status400BadRequest, "insightData:" + char.ToLowerInvariant(reason[0]) + reason[1..], detail ?? reason);
                }
            }
        }

        if (error is { } e)
        {
            await WriteV3ErrorAsync(context, e.Status, e.Code, e.Description, key);
            return;
        }

        context.Response.StatusCode = created ? StatusCodes.Status201Created : StatusCodes.Status204NoContent;
    }

    private static bool TryString(JsonElement root, string name, out string? value)
    {
        value = root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return !string.IsNullOrEmpty(value);
    }

    private sealed class InsightImport(string id, string collection, int pollsLeft)
    {
        public string Id { get; } = id;

        public string Collection { get; } = collection;

        public int PollsLeft { get; set; } = pollsLeft;

        public int Total { get; set; }

        public List<(string Key, string? Owner, string Reason)> Failures { get; } = [];
    }
}
