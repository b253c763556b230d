using System.Collections.Frozen;

namespace Tributary.Sandbox.Emarsys;

/// <summary>Emarsys field application types used by the emulator.</summary>
public static class EmarsysFieldTypes
{
    public const string ShortText = "shorttext";
    public const string LongText = "longtext";
    public const string Url = "url";
    public const string Date = "date";
    public const string BirthDate = "birthdate";
    public const string Numeric = "numeric";
    public const string SingleChoice = "singlechoice";
    public const string MultiChoice = "multichoice";
    public const string Special = "special";
}

/// <summary>One contact field of the emulated account.</summary>
/// <param name="Id">Numeric field id, used as the JSON key in payloads.</param>
/// <param name="Name">Display name.</param>
/// <param name="StringId">String id.</param>
/// <param name="Type">Application type (<see cref="EmarsysFieldTypes"/>).</param>
/// <param name="ReadOnly">Computed by Emarsys; writes are rejected.</param>
public sealed record EmarsysField(int Id, string Name, string StringId, string Type, bool ReadOnly = false)
{
    /// <summary>The id as it appears as a JSON key.</summary>
    public string Key { get; } = Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The system fields of an Emarsys account (the published table) plus the configured custom fields.</summary>
public sealed class EmarsysFieldRegistry
{
    /// <summary>The opt-in field: 1 = true, 2 = false, empty = unknown.</summary>
    public const int OptInFieldId = 31;

    /// <summary>The email field.</summary>
    public const int EmailFieldId = 3;

    private static readonly EmarsysField[] SystemFields =
    [
        new(0, "Interests", "interests", EmarsysFieldTypes.MultiChoice, ReadOnly: true),
        new(1, "First Name", "first_name", EmarsysFieldTypes.ShortText),
        new(2, "Last Name", "last_name", EmarsysFieldTypes.ShortText),
        new(3, "E-Mail", "email", EmarsysFieldTypes.LongText),
        new(4, "Date of Birth", "birth_date", EmarsysFieldTypes.BirthDate),
        new(5, "Gender", "gender", EmarsysFieldTypes.SingleChoice),
        new(6, "Marital Status", "marital_status", EmarsysFieldTypes.SingleChoice),
        new(7, "Children", "children", EmarsysFieldTypes.SingleChoice),
        new(8, "Education", "education", EmarsysFieldTypes.SingleChoice),
        new(9, "Title", "title", EmarsysFieldTypes.SingleChoice),
        new(10, "Address", "address", EmarsysFieldTypes.LongText),
        new(11, "City", "city", EmarsysFieldTypes.ShortText),
        new(12, "State", "state", EmarsysFieldTypes.ShortText),
        new(13, "ZIP Code", "zip", EmarsysFieldTypes.ShortText),
        new(14, "Country", "country", EmarsysFieldTypes.SingleChoice),
        new(15, "Phone", "phone", EmarsysFieldTypes.ShortText),
        new(16, "Fax", "fax", EmarsysFieldTypes.ShortText),
        new(17, "Job Position", "job_position", EmarsysFieldTypes.SingleChoice),
        new(18, "Company", "company", EmarsysFieldTypes.ShortText),
        new(19, "Department", "department", EmarsysFieldTypes.SingleChoice),
        new(20, "Industry", "industry", EmarsysFieldTypes.SingleChoice),
        new(21, "Phone (office)", "phone_office", EmarsysFieldTypes.ShortText),
        new(22, "Fax (office)", "fax_office", EmarsysFieldTypes.ShortText),
        new(23, "Number of Employees", "number_of_employees", EmarsysFieldTypes.SingleChoice),
        new(24, "Annual Revenue (in 000 EUR)", "annual_revenue", EmarsysFieldTypes.SingleChoice),
        new(25, "URL", "url", EmarsysFieldTypes.Url),
        new(26, "Preferred email format", "email_format", EmarsysFieldTypes.SingleChoice),
        new(27, "Avg. length of visit (minutes)", "avg_length_of_visit", EmarsysFieldTypes.Special, ReadOnly: true),
        new(28, "Page views per day", "page_views_per_day", EmarsysFieldTypes.Special, ReadOnly: true),
        new(29, "Days since last email sent", "days_since_last_email_sent", EmarsysFieldTypes.Special, ReadOnly: true),
        new(30, "Response rate (% of emails)", "response_rate", EmarsysFieldTypes.Special, ReadOnly: true),
        new(OptInFieldId, "Opt-In", "optin", EmarsysFieldTypes.Special),
        new(32, "User status", "user_status", EmarsysFieldTypes.Special, ReadOnly: true),
        new(33, "Contact source", "source", EmarsysFieldTypes.Special, ReadOnly: true),
        new(34, "Contact form", "form", EmarsysFieldTypes.Special, ReadOnly: true),
        new(35, "Registration Language", "registration_language", EmarsysFieldTypes.SingleChoice),
        new(36, "Newsletter", "newsletter", EmarsysFieldTypes.Special, ReadOnly: true),
        new(37, "Mobile", "mobile", EmarsysFieldTypes.ShortText),
        new(38, "First name of partner", "first_name_of_partner", EmarsysFieldTypes.ShortText),
        new(39, "Birthdate of partner", "birth_date_of_partner", EmarsysFieldTypes.BirthDate),
        new(40, "Anniversary", "anniversary", EmarsysFieldTypes.Date),
        new(41, "Company Address", "company_address", EmarsysFieldTypes.LongText),
        new(42, "Zip Code (office)", "zip_office", EmarsysFieldTypes.ShortText),
        new(43, "City (office)", "city_office", EmarsysFieldTypes.ShortText),
        new(44, "State (office)", "state_office", EmarsysFieldTypes.ShortText),
        new(45, "Country (office)", "country_office", EmarsysFieldTypes.SingleChoice),
        new(46, "Salutation", "salutation", EmarsysFieldTypes.SingleChoice),
        new(47, "Email valid", "email_valid", EmarsysFieldTypes.Special, ReadOnly: true),
        new(48, "Date of first registration", "date_of_first_registration", EmarsysFieldTypes.Special, ReadOnly: true),
    ];

    private readonly FrozenDictionary<string, EmarsysField> _byKey;

    /// <summary>Builds the registry from the system fields and the configured custom fields.</summary>
    public EmarsysFieldRegistry(IReadOnlyDictionary<int, EmarsysCustomField> customFields)
    {
        var all = new List<EmarsysField>(SystemFields);
        foreach (var (id, custom) in customFields.OrderBy(c => c.Key))
        {
            all.RemoveAll(f => f.Id == id);
            all.Add(new EmarsysField(id, custom.Name, custom.Name, custom.Type));
        }

        Fields = all;
        _byKey = all.ToFrozenDictionary(f => f.Key, StringComparer.Ordinal);
    }

    /// <summary>Every field, system fields first.</summary>
    public IReadOnlyList<EmarsysField> Fields { get; }

    /// <summary>Finds a field by its id as written in JSON.</summary>
    public bool TryGet(string key, out EmarsysField field) => _byKey.TryGetValue(key, out field!);
}
