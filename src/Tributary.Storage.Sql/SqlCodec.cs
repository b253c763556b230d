using System.Data.Common;
using System.Text.Json;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Storage.Sql;

/// <summary>
/// How the ledger's values are stored in every dialect, so the stores read alike: times as unix milliseconds (UTC;
/// sub-millisecond precision and the offset are not kept), enums by name (readable by an operator, safe when an enum gains
/// members), field sets as JSON objects in text (the store never queries inside them).
/// </summary>
public static class SqlCodec
{
    /// <summary>The outcome word of an attempt that was sent.</summary>
    public const string SentOutcome = "sent";

    /// <summary>The outcome word of an attempt row, for the record trace.</summary>
    public static string Outcome(OutboxStatus? status) => status switch
    {
        null => SentOutcome,
        OutboxStatus.Pending => "retry",
        _ => status.Value.ToString().ToLowerInvariant(),
    };

    /// <summary>A time as unix milliseconds.</summary>
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>Unix milliseconds as a time.</summary>
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>An entity kind's stored name.</summary>
    public static string Name(EntityKind entity) => entity switch
    {
        EntityKind.Customer => "Customer",
        EntityKind.Order => "Order",
        EntityKind.Product => "Product",
        EntityKind.Stock => "Stock",
        EntityKind.Event => "Event",
        _ => entity.ToString(),
    };

    /// <summary>An outbox status's stored name.</summary>
    public static string Name(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => "Pending",
        OutboxStatus.Parked => "Parked",
        OutboxStatus.Quarantined => "Quarantined",
        OutboxStatus.Dead => "Dead",
        _ => status.ToString(),
    };

    /// <summary>An outbox lane's stored name.</summary>
    public static string Name(OutboxLane lane) => lane == OutboxLane.Realtime ? "Realtime" : "Bulk";

    /// <summary>A failure kind's stored name.</summary>
    public static string? Name(FailureKind? kind) => kind?.ToString();

    /// <summary>A stored entity kind.</summary>
    public static EntityKind Entity(string name) => Enum.Parse<EntityKind>(name);

    /// <summary>A stored outbox status.</summary>
    public static OutboxStatus Status(string name) => Enum.Parse<OutboxStatus>(name);

    /// <summary>A stored outbox lane.</summary>
    public static OutboxLane Lane(string name) => Enum.Parse<OutboxLane>(name);

    /// <summary>A stored failure kind, or null.</summary>
    public static FailureKind? Kind(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : Enum.Parse<FailureKind>(reader.GetString(ordinal));
    }

    /// <summary>Text, or null.</summary>
    public static string? NullableString(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    /// <summary>An integer, or null.</summary>
    public static int? NullableInt(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
    }

    /// <summary>A field set as JSON.</summary>
    public static string Json(IReadOnlyDictionary<string, string?> fields) =>
        JsonSerializer.Serialize(fields, SqlJsonContext.Default.IReadOnlyDictionaryStringString);

    /// <summary>A list of strings as a JSON array.</summary>
    public static string JsonArray(IEnumerable<string> values) => JsonSerializer.Serialize(values, SqlJsonContext.Default.IEnumerableString);

    /// <summary>A list of integers as a JSON array.</summary>
    public static string JsonArray(IEnumerable<long> values) => JsonSerializer.Serialize(values, SqlJsonContext.Default.IEnumerableInt64);

    /// <summary>A stored field set.</summary>
    public static Dictionary<string, string?> Fields(string json) =>
        JsonSerializer.Deserialize(json, SqlJsonContext.Default.DictionaryStringString) ?? new Dictionary<string, string?>(StringComparer.Ordinal);
}
