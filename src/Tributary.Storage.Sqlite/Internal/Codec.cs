using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Storage.Sqlite.Internal;

/// <summary>
/// How values are stored: times as unix milliseconds (UTC; sub-millisecond precision and the offset are not kept), enums by
/// name so the file stays readable by an operator and safe if an enum gains members, field sets as JSON objects.
/// </summary>
internal static class Codec
{
    public const string SentOutcome = "sent";

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string Name(EntityKind entity) => entity switch
    {
        EntityKind.Customer => "Customer",
        EntityKind.Order => "Order",
        EntityKind.Product => "Product",
        EntityKind.Stock => "Stock",
        EntityKind.Event => "Event",
        _ => entity.ToString(),
    };

    public static string Name(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => "Pending",
        OutboxStatus.Parked => "Parked",
        OutboxStatus.Quarantined => "Quarantined",
        OutboxStatus.Dead => "Dead",
        _ => status.ToString(),
    };

    public static string? Name(FailureKind? kind) => kind?.ToString();

    public static string Name(OutboxLane lane) => lane == OutboxLane.Realtime ? "Realtime" : "Bulk";

    public static OutboxLane Lane(string name) => Enum.Parse<OutboxLane>(name);

    /// <summary>The outcome word of an attempt row, for the record trace.</summary>
    public static string Outcome(OutboxStatus? status) => status switch
    {
        null => SentOutcome,
        OutboxStatus.Pending => "retry",
        OutboxStatus.Parked => "parked",
        OutboxStatus.Quarantined => "quarantined",
        OutboxStatus.Dead => "dead",
        _ => status.Value.ToString().ToLowerInvariant(),
    };

    public static EntityKind Entity(string name) => Enum.Parse<EntityKind>(name);

    public static OutboxStatus Status(string name) => Enum.Parse<OutboxStatus>(name);

    public static FailureKind? Kind(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Enum.Parse<FailureKind>(reader.GetString(ordinal));

    public static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static int? NullableInt(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    public static string Json(IReadOnlyDictionary<string, string?> fields) =>
        JsonSerializer.Serialize(fields, StoreJsonContext.Default.IReadOnlyDictionaryStringString);

    public static string Json(Dictionary<string, string?> fields) =>
        JsonSerializer.Serialize(fields, StoreJsonContext.Default.DictionaryStringString);

    public static string JsonArray(IEnumerable<string> values) =>
        JsonSerializer.Serialize(values, StoreJsonContext.Default.IEnumerableString);

    public static Dictionary<string, string?> Fields(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.DictionaryStringString) ?? new Dictionary<string, string?>(StringComparer.Ordinal);

}
