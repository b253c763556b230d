using System.Text.Json.Serialization;

namespace Tributary.Storage.Sqlite.Internal;

/// <summary>Source-generated JSON for field sets and key lists: no reflection on the staging and completion paths.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string?>))]
[JsonSerializable(typeof(IEnumerable<string>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
