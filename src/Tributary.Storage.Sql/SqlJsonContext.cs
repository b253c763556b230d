using System.Text.Json.Serialization;

namespace Tributary.Storage.Sql;

/// <summary>Source-generated JSON for field sets and value lists: no reflection on the staging and completion paths.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string?>))]
[JsonSerializable(typeof(IEnumerable<string>))]
[JsonSerializable(typeof(IEnumerable<long>))]
internal sealed partial class SqlJsonContext : JsonSerializerContext;
