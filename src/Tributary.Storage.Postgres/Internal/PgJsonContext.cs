using System.Text.Json.Serialization;

namespace Tributary.Storage.Postgres.Internal;

/// <summary>Source-generated JSON for field sets: no reflection on the staging and completion paths.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string?>))]
internal sealed partial class PgJsonContext : JsonSerializerContext;
