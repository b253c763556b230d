using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tributary.Connectors.Emarsys;

/// <summary>One contact to create or update.</summary>
/// <param name="KeyValue">Value of the key field (sent under the call's <c>key_id</c>).</param>
/// <param name="Fields">Field id → value; null or empty clears the field, absent fields stay as they are.</param>
/// <param name="NumberFields">Fields whose integer values are sent as JSON numbers (the opt-in field 31 takes 1 or 2).</param>
public sealed record EmarsysContactWrite(string KeyValue, IReadOnlyDictionary<string, string?> Fields,
    IReadOnlySet<string>? NumberFields = null);

/// <summary>A per-item error of a batch call.</summary>
/// <param name="Code">The Emarsys error code ("2008").</param>
/// <param name="Message">The message, personal data masked.</param>
public sealed record EmarsysItemError(string Code, string Message);

/// <summary>Outcome of a create/update call.</summary>
/// <param name="Ids">Internal ids of the contacts written. Their order is not documented to follow the input.</param>
/// <param name="Errors">Key value → errors, for the contacts that failed.</param>
public sealed record EmarsysWriteResult(IReadOnlyList<string> Ids, IReadOnlyDictionary<string, IReadOnlyList<EmarsysItemError>> Errors);

/// <summary>Outcome of <c>contact/getdata</c>.</summary>
/// <param name="Contacts">Found contacts: <c>id</c>, <c>uid</c> and the requested field ids → values (strings).</param>
/// <param name="Errors">Keys that were not found.</param>
public sealed record EmarsysContactData(IReadOnlyList<IReadOnlyDictionary<string, string?>> Contacts, IReadOnlyList<EmarsysGetDataError> Errors);

/// <summary>A key getdata could not resolve.</summary>
public sealed record EmarsysGetDataError(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("errorCode")] string? ErrorCode,
    [property: JsonPropertyName("errorMsg")] string? ErrorMessage);

/// <summary>A contact field of the account.</summary>
public sealed record EmarsysFieldInfo(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("application_type")] string? ApplicationType,
    [property: JsonPropertyName("string_id")] string? StringId)
{
    /// <summary>The id as payloads use it.</summary>
    [JsonIgnore]
    public string Key => Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Account settings, with the server's clock as read from the <c>Date</c> header.</summary>
/// <param name="Name">Account name.</param>
/// <param name="Environment">Account host.</param>
/// <param name="ServerTime">The answer's <c>Date</c>, for clock-skew checks.</param>
/// <param name="Data">The whole settings object.</param>
public sealed record EmarsysSettings(string? Name, string? Environment, DateTimeOffset? ServerTime, JsonElement Data);

/// <summary>The last rate-limit headers seen.</summary>
/// <param name="Limit">Requests allowed per window.</param>
/// <param name="Remaining">Requests left.</param>
/// <param name="ResetAt">When the window resets.</param>
/// <param name="ObservedAt">When the answer arrived.</param>
public sealed record EmarsysRateLimit(int? Limit, int? Remaining, DateTimeOffset? ResetAt, DateTimeOffset ObservedAt)
{
    internal static EmarsysRateLimit? Read(HttpResponseMessage response, DateTimeOffset now)
    {
        var limit = ReadInt(response.Headers, "X-Ratelimit-Limit");
        var remaining = ReadInt(response.Headers, "X-Ratelimit-Remaining");
        var reset = ReadReset(response);
        return limit is null && remaining is null && reset is null ? null : new EmarsysRateLimit(limit, remaining, reset, now);
    }

    internal static DateTimeOffset? ReadReset(HttpResponseMessage response) =>
        ReadLong(response.Headers, "X-Ratelimit-Reset") is { } epoch ? DateTimeOffset.FromUnixTimeSeconds(epoch) : null;

    // Header lookups are case-insensitive, so X-RateLimit-* and X-Ratelimit-* both match.
    private static int? ReadInt(HttpResponseHeaders headers, string name) =>
        ReadLong(headers, name) is { } v and <= int.MaxValue and >= int.MinValue ? (int)v : null;

    private static long? ReadLong(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}

/// <summary>The envelope of every Core API answer.</summary>
internal sealed class EmarsysEnvelope
{
    [JsonPropertyName("replyCode")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public int ReplyCode { get; set; }

    [JsonPropertyName("replyText")]
    public string? ReplyText { get; set; }

    [JsonPropertyName("data")]
    public JsonElement Data { get; set; }
}

internal sealed record GetDataRequest(
    [property: JsonPropertyName("keyId")] string KeyId,
    [property: JsonPropertyName("keyValues")] IReadOnlyList<string> KeyValues,
    [property: JsonPropertyName("fields")] IReadOnlyList<string> Fields);

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(EmarsysEnvelope))]
[JsonSerializable(typeof(GetDataRequest))]
[JsonSerializable(typeof(List<EmarsysFieldInfo>))]
[JsonSerializable(typeof(List<EmarsysGetDataError>))]
internal sealed partial class EmarsysJsonContext : JsonSerializerContext;

/// <summary>One contact of an external event trigger.</summary>
/// <param name="ExternalId">The contact's key value (under the call's <c>key_id</c>).</param>
/// <param name="Data">The personalisation object (<c>data</c>: <c>global</c> and ESL variables), or null.</param>
/// <param name="TriggerId">A client-side id sent as <c>trigger_id</c> (Emarsys may use it to de-duplicate; unconfirmed).</param>
/// <param name="EventTime">When the event happened, sent as <c>event_time</c> (<c>YYYY-MM-DDTHH:MM:SSZ</c>).</param>
public sealed record EmarsysEventTrigger(string ExternalId, JsonObject? Data, string? TriggerId = null, DateTimeOffset? EventTime = null);
