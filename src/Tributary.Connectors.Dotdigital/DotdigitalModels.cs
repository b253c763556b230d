using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Connectors.Dotdigital;

/// <summary>The email channel status values a write may carry (the request enum has no <c>noSubscription</c>).</summary>
public static class DotdigitalEmailStatus
{
    /// <summary>Opted in.</summary>
    public const string Subscribed = "subscribed";

    /// <summary>
    /// Opted out. A later <c>subscribed</c> resubscribes it, options or not (resubscribeWithNoChallenge defaults to true): the
    /// contact writer reads Dotdigital's opt-outs first and never writes an older opt-in over one.
    /// </summary>
    public const string Unsubscribed = "unsubscribed";

    /// <summary>Suppressed account-wide.</summary>
    public const string Suppressed = "suppressed";
}

/// <summary>PATCH <c>merge-option</c> (kebab-case in the query string).</summary>
public enum DotdigitalMergeOption
{
    /// <summary>Sent values replace stored ones (the API default).</summary>
    Overwrite,
    /// <summary>Only non-empty sent values replace stored ones.</summary>
    OverwriteIfNotEmpty,
    /// <summary>Only empty stored values are filled.</summary>
    OverwriteIfEmpty,
}

/// <summary>One contact to upsert (a PATCH body or one bulk import item).</summary>
/// <param name="MatchIdentifier">The identifier to match on (<c>email</c>, or a custom identifier).</param>
/// <param name="Identifiers">Identifier name → value; must hold the match identifier.</param>
/// <param name="DataFields">Data field name → value; null clears the field, absent fields stay as they are.</param>
/// <param name="EmailStatus">Email channel status to set (<see cref="DotdigitalEmailStatus"/>), or null to leave it.</param>
/// <param name="Lists">List (address book) ids to add the contact to.</param>
/// <param name="NumericFields">Data fields whose numeric values are sent as JSON numbers.</param>
public sealed record DotdigitalContactWrite(string MatchIdentifier, IReadOnlyDictionary<string, string> Identifiers,
    IReadOnlyDictionary<string, string?> DataFields, string? EmailStatus = null, IReadOnlyList<long>? Lists = null,
    IReadOnlySet<string>? NumericFields = null)
{
    /// <summary>
    /// Set when the write changes the email of an existing contact: the PATCH then addresses the contact by this id and carries
    /// the new email as its identifier, so Dotdigital updates the same contact instead of creating a second one.
    /// </summary>
    public long? ContactId { get; init; }

    /// <summary>The SMS channel status to write (<c>subscribed</c> or <c>unsubscribed</c>); null writes none.</summary>
    public string? SmsStatus { get; init; }

    /// <summary>True when the write would change nothing: only the matching email, no data, status, list or other identifier.</summary>
    public bool ChangesNothing => ContactId is null && DataFields.Count == 0 && EmailStatus is null && SmsStatus is null
                                  && Lists is not { Count: > 0 } && Identifiers.Count <= 1;

    /// <summary>The value of the match identifier.</summary>
    public string MatchValue => Identifiers.TryGetValue(MatchIdentifier, out var v) ? v : string.Empty;
}

/// <summary>A contact as the API returns it.</summary>
public sealed class DotdigitalContact
{
    /// <summary>Immutable contact id (needed for program enrolment).</summary>
    [JsonPropertyName("contactId")]
    public long ContactId { get; set; }

    /// <summary>Overall status.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>Identifiers (email, mobileNumber, custom).</summary>
    [JsonPropertyName("identifiers")]
    public Dictionary<string, string?> Identifiers { get; set; } = [];

    /// <summary>Data fields as stored.</summary>
    [JsonPropertyName("dataFields")]
    public Dictionary<string, JsonElement> DataFields { get; set; } = [];

    /// <summary>Channel properties (email, sms).</summary>
    [JsonPropertyName("channelProperties")]
    public Dictionary<string, DotdigitalChannel> ChannelProperties { get; set; } = [];

    /// <summary>True when the API answered 201 (the contact was created).</summary>
    [JsonIgnore]
    public bool Created { get; set; }

    /// <summary>The email channel status, or null.</summary>
    [JsonIgnore]
    public string? EmailStatus => ChannelProperties.TryGetValue("email", out var email) ? email.Status : null;

    /// <summary>The SMS channel status, or null.</summary>
    [JsonIgnore]
    public string? SmsStatus => ChannelProperties.TryGetValue("sms", out var sms) ? sms.Status : null;
}

/// <summary>One channel's properties.</summary>
public sealed class DotdigitalChannel
{
    /// <summary>Channel status.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }
}

/// <summary>Status of a contact import (<c>GET /contacts/v3/import/{id}</c>).</summary>
public sealed class DotdigitalContactImport
{
    /// <summary>Import id.</summary>
    [JsonPropertyName("importId")]
    public string? ImportId { get; set; }

    /// <summary><c>NotFinished</c>, <c>Finished</c>, <c>Failed</c>, <c>RejectedByWatchdog</c>, <c>ExceedsAllowedContactLimit</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>Contacts created.</summary>
    [JsonPropertyName("created")]
    public List<DotdigitalImportedContact> CreatedContacts { get; set; } = [];

    /// <summary>Contacts updated.</summary>
    [JsonPropertyName("updated")]
    public List<DotdigitalImportedContact> UpdatedContacts { get; set; } = [];

    /// <summary>Contacts that failed, with the reasons.</summary>
    [JsonPropertyName("failures")]
    public List<DotdigitalContactImportFailure> Failures { get; set; } = [];
}

/// <summary>A contact an import created or updated.</summary>
public sealed class DotdigitalImportedContact
{
    /// <summary>Contact id.</summary>
    [JsonPropertyName("contactId")]
    public long ContactId { get; set; }

    /// <summary>Its identifiers.</summary>
    [JsonPropertyName("identifiers")]
    public Dictionary<string, string?> Identifiers { get; set; } = [];
}

/// <summary>One failed import item.</summary>
public sealed class DotdigitalContactImportFailure
{
    /// <summary>The identifier matched on.</summary>
    [JsonPropertyName("matchIdentifier")]
    public string? MatchIdentifier { get; set; }

    /// <summary>The item's identifiers, as sent.</summary>
    [JsonPropertyName("identifiers")]
    public Dictionary<string, string?> Identifiers { get; set; } = [];

    /// <summary>Why.</summary>
    [JsonPropertyName("failures")]
    public List<DotdigitalFailureReason> Failures { get; set; } = [];
}

/// <summary>A failure code with its description.</summary>
public sealed class DotdigitalFailureReason
{
    /// <summary>Code (<c>invalidEmail</c>, <c>duplicateIdentifier</c>…).</summary>
    [JsonPropertyName("failureCode")]
    public string? FailureCode { get; set; }

    /// <summary>Description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; set; }
}

/// <summary>One Insight data record to write.</summary>
/// <param name="Key">Record key, unique in the collection.</param>
/// <param name="Json">The record as UTF-8 JSON (an object).</param>
/// <param name="ContactIdentifier">Contact scope: the identifier name (<c>email</c>); null for account scope.</param>
/// <param name="ContactValue">Contact scope: the identifier value.</param>
public sealed record DotdigitalInsightRecord(string Key, ReadOnlyMemory<byte> Json, string? ContactIdentifier = null, string? ContactValue = null);

/// <summary>Status of an Insight data import (<c>GET /insightData/v3/import/{id}</c>).</summary>
public sealed class DotdigitalInsightImport
{
    /// <summary>Import id.</summary>
    [JsonPropertyName("importId")]
    public string? ImportId { get; set; }

    /// <summary><c>NotStarted</c>, <c>Processing</c>, <c>Complete</c> or <c>Finished</c> (both appear in the spec), <c>Failed</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary>Records that failed.</summary>
    [JsonPropertyName("failures")]
    public List<DotdigitalInsightFailure> Failures { get; set; } = [];
}

/// <summary>One failed Insight record.</summary>
public sealed class DotdigitalInsightFailure
{
    /// <summary>The record key.</summary>
    [JsonPropertyName("key")]
    public JsonElement Key { get; set; }

    /// <summary>Why (<c>ContactEmailDoesNotExist</c>, <c>JsonValueIncompatibleWithSchema</c>…).</summary>
    [JsonPropertyName("failureReason")]
    public string? FailureReason { get; set; }

    /// <summary>The key as text (the examples send it as a number or a string).</summary>
    [JsonIgnore]
    public string KeyText => Key.ValueKind switch
    {
        JsonValueKind.String => Key.GetString() ?? string.Empty,
        JsonValueKind.Number => Key.GetRawText(),
        _ => string.Empty,
    };
}

/// <summary>An accepted program enrolment.</summary>
public sealed class DotdigitalEnrolment
{
    /// <summary>Enrolment id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>Program.</summary>
    [JsonPropertyName("programId")]
    public long ProgramId { get; set; }

    /// <summary>Processing state.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }
}

/// <summary>A program (automation).</summary>
public sealed class DotdigitalProgram
{
    /// <summary>Program id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>Name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary><c>Draft</c>, <c>Active</c>, <c>Deactivated</c>, <c>ReadOnly</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }
}

/// <summary>A contact data field of the account.</summary>
public sealed class DotdigitalDataField
{
    /// <summary>Name (upper case by convention).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary><c>String</c>, <c>Numeric</c>, <c>Date</c>, <c>Boolean</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }
}

/// <summary>The account, as <c>GET /v2/account-info</c> describes it.</summary>
public sealed class DotdigitalAccountInfo
{
    /// <summary>Account id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>Named properties (<c>ApiEndpoint</c>, <c>MainEmail</c>…).</summary>
    [JsonPropertyName("properties")]
    public List<DotdigitalAccountProperty> Properties { get; set; } = [];

    /// <summary>A property's value, or null.</summary>
    public string? Property(string name) =>
        Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;
}

/// <summary>One account property.</summary>
public sealed class DotdigitalAccountProperty
{
    /// <summary>Name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Value.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

/// <summary>Both error shapes: v2 <c>{message}</c> and v3 <c>{errorCode, description, details}</c>.</summary>
internal sealed class DotdigitalErrorBody
{
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("errorCode")]
    public string? ErrorCode { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }
}

internal sealed class ImportAccepted
{
    [JsonPropertyName("importId")]
    public string? ImportId { get; set; }
}

internal sealed record EnrolmentRequest(
    [property: JsonPropertyName("programId")] long ProgramId,
    [property: JsonPropertyName("contacts")] IReadOnlyList<long> Contacts,
    [property: JsonPropertyName("addressBooks")] IReadOnlyList<long> AddressBooks);

/// <summary>One opt-out as the v2 unsubscribed-since and suppressed-since lists report it (<c>ApiContactSuppression</c>).</summary>
public sealed class DotdigitalOptOut
{
    /// <summary>The contact (id, email, status).</summary>
    [JsonPropertyName("suppressedContact")]
    public DotdigitalOptOutContact? Contact { get; set; }

    /// <summary>When the contact opted out or was suppressed.</summary>
    [JsonPropertyName("dateRemoved")]
    public DateTimeOffset DateRemoved { get; set; }

    /// <summary>Why (Unsubscribed, HardBounced, Suppressed…).</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }
}

/// <summary>The contact of an opt-out (<c>ApiContact</c>, the fields read here).</summary>
public sealed class DotdigitalOptOutContact
{
    /// <summary>Contact id.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>Email address.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; set; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(List<DotdigitalOptOut>))]
[JsonSerializable(typeof(DotdigitalContact))]
[JsonSerializable(typeof(DotdigitalContactImport))]
[JsonSerializable(typeof(DotdigitalInsightImport))]
[JsonSerializable(typeof(DotdigitalEnrolment))]
[JsonSerializable(typeof(List<DotdigitalProgram>))]
[JsonSerializable(typeof(List<DotdigitalDataField>))]
[JsonSerializable(typeof(DotdigitalAccountInfo))]
[JsonSerializable(typeof(DotdigitalErrorBody))]
[JsonSerializable(typeof(ImportAccepted))]
[JsonSerializable(typeof(EnrolmentRequest))]
internal sealed partial class DotdigitalJsonContext : JsonSerializerContext;
