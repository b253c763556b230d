using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Dotdigital;

/// <summary>What a customer with Unknown email consent becomes in Dotdigital.</summary>
public enum UnknownConsentHandling
{
    /// <summary>
    /// Send <c>unsubscribed</c> (the default). A new contact written without a status becomes <c>subscribed</c> by the API's own
    /// default, so sending nothing would make people who never opted in marketable.
    /// </summary>
    Unsubscribed,

    /// <summary>
    /// Send no status. Existing contacts keep theirs, but a new contact becomes <c>subscribed</c> (API default): only for accounts
    /// where Dotdigital itself collects consent (forms, double opt-in) and every write is followed by its own opt-in step.
    /// </summary>
    Omit,
}

/// <summary>What an order without a customer account (a guest order) becomes in Dotdigital.</summary>
public enum GuestOrderHandling
{
    /// <summary>
    /// The default: stored on the contact with the order's email when that contact exists; otherwise quarantined with the
    /// reason (no contact is created for someone who never made an account). Replay it once the contact exists.
    /// </summary>
    ExistingContact,

    /// <summary>
    /// Creates the missing contact first, <c>unsubscribed</c> (a guest checkout is no opt-in), in <c>GuestListIds</c>; an existing
    /// contact keeps its status. Costs a contact read (and a write when missing) per new guest email.
    /// </summary>
    CreateContact,

    /// <summary>Guest orders send nothing.</summary>
    Skip,
}

/// <summary>How canonical records become Dotdigital contacts, Insight records and program enrolments.</summary>
public sealed class DotdigitalDestinationOptions
{
    /// <summary>The lowest published tier (Low, Basic package): 35 calls a minute. Raise it to the account's tier.</summary>
    public const int DefaultRequestsPerMinute = 35;

    /// <summary>Records per delivery call: imports take up to 50 MB, so 500 records stay far below.</summary>
    public const int DefaultMaxBatchSize = 500;

    /// <summary>Batches larger than this use the bulk import (one call plus polls) instead of one call per record.</summary>
    public const int DefaultBulkThreshold = 20;

    /// <summary>Program enrolment is capped at 20 calls an hour per account, across all programs.</summary>
    public const int DefaultEnrolmentCallsPerHour = 20;

    /// <summary>Canonical customer field → data field. Known names: firstName, lastName, fullName, dateOfBirth, customerNumber, store, locale, currency.</summary>
    public Dictionary<string, string> Fields { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["firstName"] = "FIRSTNAME",
        ["lastName"] = "LASTNAME",
        ["fullName"] = "FULLNAME",
    };

    /// <summary>Canonical custom attribute name → data field.</summary>
    public Dictionary<string, string> Attributes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Send the email channel status from the consent rule. Turn off when Dotdigital owns consent for this account.</summary>
    public bool SendEmailConsent { get; set; } = true;

    /// <summary>
    /// Send the mobile number (<c>identifiers.mobileNumber</c>) and the SMS channel status from SMS consent. Unknown SMS consent
    /// is never written (a new contact's SMS status then comes from the account's settings). Default true.
    /// </summary>
    public bool SendSms { get; set; } = true;

    /// <summary>Regions for mobile numbers written without a country code.</summary>
    public Tributary.Core.Rules.MobileRegions Mobile { get; set; } = new();

    /// <summary>What Unknown consent becomes; see <see cref="UnknownConsentHandling"/>.</summary>
    public UnknownConsentHandling UnknownConsent { get; set; } = UnknownConsentHandling.Unsubscribed;

    /// <summary>Lists (address books) every contact is added to.</summary>
    public List<long> ListIds { get; set; } = [];

    /// <summary>
    /// Lists (address books) by rule (<c>lists:</c>): a contact is added to a list when its rule starts to hold and taken out of it
    /// when the rule stops holding.
    /// </summary>
    public List<ListRule> ListRules { get; set; } = [];

    /// <summary>How PATCH and imports merge data fields.</summary>
    public DotdigitalMergeOption MergeOption { get; set; } = DotdigitalMergeOption.Overwrite;

    /// <summary>Batches larger than this go through the bulk import; smaller ones are sent one record per call.</summary>
    public int BulkThreshold { get; set; } = DefaultBulkThreshold;

    /// <summary>Records per delivery call.</summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>
    /// Calls per minute of the Low tier (imports) for this account's package; 0 for none. Every HTTP request is drawn from the
    /// tier it is counted in (<see cref="DotdigitalCallBudget"/>), not one permit per delivery.
    /// </summary>
    public int RequestsPerMinute { get; set; } = DefaultRequestsPerMinute;

    /// <summary>Calls per minute of the Medium tier (single writes, enrolments); null starts at <see cref="RequestsPerMinute"/>.</summary>
    public int? MediumTierPerMinute { get; set; }

    /// <summary>Calls per minute of the High tier (light reads); null starts at <see cref="RequestsPerMinute"/>.</summary>
    public int? HighTierPerMinute { get; set; }

    /// <summary>
    /// Learn each tier's limit from <c>X-RateLimit-Limit</c> and pause a tier whose <c>X-RateLimit-Remaining</c> is spent until
    /// <c>X-RateLimit-Reset</c> (default true).
    /// </summary>
    public bool AdaptToRateLimitHeaders { get; set; } = true;

    /// <summary>What an order without a customer account becomes; see <see cref="GuestOrderHandling"/>.</summary>
    public GuestOrderHandling GuestOrders { get; set; } = GuestOrderHandling.ExistingContact;

    /// <summary>Lists a contact created for a guest order is added to (with <see cref="GuestOrderHandling.CreateContact"/>).</summary>
    public List<long> GuestListIds { get; set; } = [];

    /// <summary>The contact-scoped collection Order Insight reads. Use <c>Orders_v2</c> style names when an existing schema differs.</summary>
    public string OrdersCollection { get; set; } = "Orders";

    /// <summary>Canonical order status → <c>orderStatus</c>. Unmapped orders send their source status lower-cased.</summary>
    public Dictionary<OrderStatus, string> OrderStatuses { get; set; } = new()
    {
        [OrderStatus.Pending] = "open",
        [OrderStatus.Paid] = "confirmed",
        [OrderStatus.Completed] = "complete",
        [OrderStatus.Cancelled] = "cancelled",
    };

    /// <summary><c>orderStatus</c> of an order refunded in full.</summary>
    public string RefundedStatus { get; set; } = "refunded";

    /// <summary>
    /// Deliver stock levels (<c>EntityKind.Stock</c>, available to sell) into the catalogue record's <c>stock</c>, rewriting the
    /// SKU's whole record (an Insight upsert replaces it). Default true.
    /// </summary>
    public bool DeliverStock { get; set; } = true;

    /// <summary>The account-scoped catalogue collection.</summary>
    public string CatalogCollection { get; set; } = "Catalog_Default";

    /// <summary>Currency of the catalogue's prices; null takes each product's first price.</summary>
    public string? CatalogCurrency { get; set; }

    /// <summary>Locale of names and URLs; null takes each product's first.</summary>
    public string? CatalogLocale { get; set; }

    /// <summary>
    /// Key of the image in catalogue records: <c>imagePath</c> (current official connectors) or <c>image_path</c> (older ones).
    /// Never change it on a collection that holds records: the first record fixed the schema.
    /// </summary>
    public string CatalogImageKey { get; set; } = "imagePath";

    /// <summary>Summary attribute → data field. Known names: orderCount, lifetimeValue, averageOrderValue, firstOrderAt, lastOrderAt.</summary>
    public Dictionary<string, string> SummaryFields { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["orderCount"] = "ORDER_COUNT",
        ["lifetimeValue"] = "LIFETIME_VALUE",
        ["averageOrderValue"] = "AVERAGE_ORDER_VALUE",
        ["firstOrderAt"] = "FIRST_ORDER_DATE",
        ["lastOrderAt"] = "LAST_ORDER_DATE",
    };

    /// <summary>Event type → program id the contact is enrolled into. Unmapped event types send nothing.</summary>
    public Dictionary<CommerceEventType, long> Programs { get; set; } = [];

    /// <summary>Enrolment calls allowed per rolling hour; 0 for no cap.</summary>
    public int EnrolmentCallsPerHour { get; set; } = DefaultEnrolmentCallsPerHour;
}
