using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Storage.Postgres.Internal;

/// <summary>
/// How values are stored, the same way as the SQLite store so both read alike: times as unix milliseconds (UTC), enums by
/// name, field sets as JSON text (kept as written: the store never queries inside them, and text skips jsonb's parse).
/// </summary>
internal static class PgCodec
{
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string Name(EntityKind entity) => entity.ToString();

    public static string Name(OutboxStatus status) => status.ToString();

    public static string Name(OutboxLane lane) => lane.ToString();

    public static OutboxLane Lane(string name) => Enum.Parse<OutboxLane>(name);

    public static string? Name(FailureKind? kind) => kind?.ToString();

    /// <summary>The outcome word of an attempt row, for the record trace (the same words as the SQLite store).</summary>
    public static string Outcome(OutboxStatus? status) => status switch
    {
        null => "sent",
        OutboxStatus.Pending => "retry",
        _ => status.Value.ToString().ToLowerInvariant(),
    };

    public static EntityKind Entity(string name) => Enum.Parse<EntityKind>(name);

    public static OutboxStatus Status(string name) => Enum.Parse<OutboxStatus>(name);

    public static FailureKind? Kind(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Enum.Parse<FailureKind>(reader.GetString(ordinal));

    public static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static int? NullableInt(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static string Json(IReadOnlyDictionary<string, string?> fields) =>
        JsonSerializer.Serialize(fields, PgJsonContext.Default.IReadOnlyDictionaryStringString);

    public static Dictionary<string, string?> Fields(string json) =>
        JsonSerializer.Deserialize(json, PgJsonContext.Default.DictionaryStringString) ?? new Dictionary<string, string?>(StringComparer.Ordinal);


    // Typed parameters: PostgreSQL must know a parameter's type where a NULL or a select-list value gives it no column to infer from.
    public static void Text(this NpgsqlParameterCollection parameters, string name, string? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    public static void Bigint(this NpgsqlParameterCollection parameters, string name, long? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = value is { } v ? v : DBNull.Value });

    public static void Integer(this NpgsqlParameterCollection parameters, string name, int? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Integer) { Value = value is { } v ? v : DBNull.Value });

    public static void TextArray(this NpgsqlParameterCollection parameters, string name, string[] values) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values });
}
