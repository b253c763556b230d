namespace Tributary.Sandbox.Dotdigital;

/// <summary>Settings of the Dotdigital emulator. Defaults follow the published API behaviour; unconfirmed ones say so.</summary>
public sealed class DotdigitalEmulatorOptions
{
    /// <summary>The API user (Basic auth user name).</summary>
    public string ApiUser { get; set; } = "apiuser-sandbox@apiconnector.com";

    /// <summary>The API user's password.</summary>
    public string Password { get; set; } = "sandbox-password";

    /// <summary>
    /// The account's region (<c>r1</c>, <c>r2</c>, <c>r3</c>). The emulator serves r1 at its root and every region under
    /// <c>/{region}</c>; calls other than account-info on another region than this answer 401. Default r2, so discovery matters.
    /// </summary>
    public string Region { get; set; } = "r2";

    /// <summary>Low tier (bulk imports) calls per minute; Low on the Basic package is 35. 0 turns the tier's limit off.</summary>
    public int LowTierPerMinute { get; set; } = 35;

    /// <summary>Medium tier (single-record writes, enrolments) calls per minute. The real figure is unconfirmed; 0 turns it off.</summary>
    public int MediumTierPerMinute { get; set; } = 150;

    /// <summary>High tier (light reads) calls per minute. The real figure is unconfirmed; 0 turns it off.</summary>
    public int HighTierPerMinute { get; set; } = 300;

    /// <summary>Send <c>X-RateLimit-Reset</c> as a Unix epoch instead of seconds to the reset (the meaning is unconfirmed).</summary>
    public bool ResetAsEpoch { get; set; }

    /// <summary>Status polls an import answers <c>NotFinished</c> (contacts) or <c>Processing</c> (Insight) before it is done.</summary>
    public int ImportPollsBeforeFinished { get; set; } = 1;

    /// <summary>
    /// The word a finished Insight import reports: the spec's enum says <c>Complete</c> (the default, so answers conform to the
    /// published schema), its example <c>Finished</c>.
    /// </summary>
    public string InsightFinishedStatus { get; set; } = "Complete";

    /// <summary>Contact imports allowed at once (429 <c>contacts:tooManyActiveImports</c> above).</summary>
    public int MaxActiveContactImports { get; set; } = 25;

    /// <summary>Insight imports allowed at once (429 above).</summary>
    public int MaxActiveInsightImports { get; set; } = 5;

    /// <summary>Enrolment calls per rolling hour across all programs; 0 (the default) for no cap. The real API caps it at 20.</summary>
    public int EnrolmentCallsPerHour { get; set; }

    /// <summary>The account's contact data fields, name → type (String, Numeric, Date, Boolean). Writes to others fail.</summary>
    public Dictionary<string, string> DataFields { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FIRSTNAME"] = "String",
        ["LASTNAME"] = "String",
        ["FULLNAME"] = "String",
        ["GENDER"] = "String",
        ["POSTCODE"] = "String",
        ["ORDER_COUNT"] = "Numeric",
        ["LIFETIME_VALUE"] = "Numeric",
        ["AVERAGE_ORDER_VALUE"] = "Numeric",
        ["FIRST_ORDER_DATE"] = "Date",
        ["LAST_ORDER_DATE"] = "Date",
        ["STORE"] = "String",
        ["LOCALE"] = "String",
        ["CURRENCY"] = "String",
    };
}
