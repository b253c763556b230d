using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tributary.Sandbox.Dotdigital;

/// <summary>An Insight collection as the emulator holds it (a snapshot when read through <see cref="DotdigitalEmulator.Collections"/>).</summary>
/// <param name="Name">Collection name.</param>
/// <param name="Scope"><c>contact</c> or <c>account</c>.</param>
/// <param name="Type">Collection type (orders, catalog…).</param>
/// <param name="Schema">JSON path → type fixed by the first records (<c>products[].qty</c> → Number).</param>
/// <param name="Records">Key → record.</param>
public sealed record DotdigitalCollection(string Name, string Scope, string Type, IReadOnlyDictionary<string, string> Schema,
    IReadOnlyDictionary<string, DotdigitalInsightRecordState> Records);

/// <summary>One stored record.</summary>
/// <param name="Key">Record key.</param>
/// <param name="ContactId">Owning contact (contact scope), or null.</param>
/// <param name="Json">The record's JSON.</param>
public sealed record DotdigitalInsightRecordState(string Key, long? ContactId, string Json);

/// <summary>Insight collections with the schema lock-in of the real service. Not thread-safe: the emulator holds its lock.</summary>
internal sealed partial class DotdigitalInsightStore
{
    private readonly Dictionary<string, Collection> _collections = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<DotdigitalCollection> Snapshot() => _collections.Values.Select(c => new DotdigitalCollection(c.Name, c.Scope, c.Type,
        new Dictionary<string, string>(c.Schema, StringComparer.Ordinal), new Dictionary<string, DotdigitalInsightRecordState>(c.Records, StringComparer.Ordinal)));

    public void Clear() => _collections.Clear();

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public bool Exists(string name) => _collections.ContainsKey(name);

    public string? ScopeOf(string name) => _collections.TryGetValue(name, out var c) ? c.Scope : null;

    public void Ensure(string name, string scope, string type)
    {
        if (!_collections.ContainsKey(name))
        {
            _collections[name] = new Collection(name, scope, type);
        }
    }

    /// <summary>Validates a record against the collection's schema (extending it) and stores it. Returns a failure reason, or null.</summary>
    public (string? Reason, string? Detail, bool Created) Upsert(string name, string key, long? contactId, JsonElement json)
    {
        var collection = _collections[name];
        if (json.ValueKind != JsonValueKind.Object)
        {
            return ("InvalidJson", "the record must be a JSON object", false);
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Flatten(json, string.Empty, types, insideArray: false) is { } nested)
        {
            return ("JsonContainsNestedArray", $"'{nested}' holds an array inside an array", false);
        }

        foreach (var (path, type) in types)
        {
            if (collection.Schema.TryGetValue(path, out var fixedType) && fixedType != type)
            {
                return ("JsonValueIncompatibleWithSchema",
                    $"A value named '{path}' of type {fixedType} already exists in this collection. ERROR_TRANSACTIONAL_DATA_VALIDATION_FAILED", false);
            }
        }

        if (collection.Records.TryGetValue(key, out var existing) && existing.ContactId != contactId)
        {
            return ("KeyExistingForDifferentContact", "the key belongs to another contact", false);
        }

        foreach (var (path, type) in types)
        {
            collection.Schema.TryAdd(path, type);
        }

        collection.Records[key] = new DotdigitalInsightRecordState(key, contactId, json.GetRawText());
        return (null, null, existing is null);
    }

    // Records each path's JSON type; nulls fix nothing. Returns the path of a nested array, if any.
    private static string? Flatten(JsonElement value, string path, Dictionary<string, string> types, bool insideArray)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                if (path.Length > 0)
                {
                    types[path] = "Object";
                }

                foreach (var property in value.EnumerateObject())
                {
                    var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (Flatten(property.Value, child, types, insideArray: false) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                if (insideArray)
                {
                    return path;
                }

                types[path] = "Array";
                foreach (var item in value.EnumerateArray())
                {
                    if (Flatten(item, path + "[]", types, insideArray: true) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.String:
                types[path] = "String";
                return null;
            case JsonValueKind.Number:
                types[path] = "Number";
                return null;
            case JsonValueKind.True or JsonValueKind.False:
                types[path] = "Boolean";
                return null;
            default:
                return null;
        }
    }

    [GeneratedRegex("^[-A-Za-z_][-A-Za-z0-9_]{1,255}$")]
    private static partial Regex NamePattern();

    private sealed class Collection(string name, string scope, string type)
    {
        public string Name { get; } = name;

        public string Scope { get; } = scope;

        public string Type { get; } = type;

        public Dictionary<string, string> Schema { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DotdigitalInsightRecordState> Records { get; } = new(StringComparer.Ordinal);
    }
}
