using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Emarsys;

/// <summary>Which column identifies the buyer in sales data.</summary>
public enum EmarsysSalesIdentity
{
    /// <summary>
    /// The <c>customer</c> column, holding the contact key value (the source customer id). It must match the contact field
    /// configured as the Smart Insight customer key.
    /// </summary>
    Customer,
    /// <summary>The <c>email</c> column, holding the order's email (trimmed, lower case).</summary>
    Email,
}

/// <summary>How canonical records become Emarsys contacts, sales data and external events.</summary>
public sealed class EmarsysDestinationOptions
{
    /// <summary>Published limit: 1000 requests per minute per API user.</summary>
    public const int DefaultRequestsPerMinute = 1000;

    /// <summary>Published limit: at most 1000 contacts per create/update call.</summary>
    public const int MaxBatchSizeCap = 1000;

    /// <summary>
    /// The contact field holding the source customer id, used as <c>key_id</c>. Email is not unique in Emarsys (key-by-email
    /// updates fail with 2010 once duplicates exist), so a custom text field is the key.
    /// </summary>
    public string KeyFieldId { get; set; } = "9001";

    /// <summary>
    /// Canonical customer field → Emarsys field id. Known names: firstName, lastName, email, dateOfBirth, phone,
    /// customerNumber, store, locale, currency.
    /// </summary>
    public Dictionary<string, string> Fields { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["firstName"] = "1",
        ["lastName"] = "2",
        ["email"] = "3",
        ["dateOfBirth"] = "4",
        ["phone"] = "15",
    };

    /// <summary>Canonical custom attribute name → Emarsys field id.</summary>
    public Dictionary<string, string> Attributes { get; set; } = new(StringComparer.Ordinal)
    {
        ["loyaltyTier"] = "9002",
    };

    /// <summary>The opt-in system field (1 = opted in, 2 = opted out, empty = unknown).</summary>
    public string OptInFieldId { get; set; } = "31";

    /// <summary>Send email consent as the opt-in field. Turn off when Emarsys forms own consent for this account.</summary>
    public bool SendOptIn { get; set; } = true;

    /// <summary>
    /// The contact field the mobile number is written to, in E.164 (<c>+4915112345678</c>). Default <c>37</c>, Emarsys' system
    /// field "Mobile" (15 is "Phone"); null sends no mobile number.
    /// </summary>
    public string? MobileFieldId { get; set; } = DefaultMobileFieldId;

    /// <summary>Default <see cref="MobileFieldId"/>: system field 37 "Mobile".</summary>
    public const string DefaultMobileFieldId = "37";

    /// <summary>
    /// The contact field holding SMS consent, written 1 (opted in) or 2 (opted out) like the opt-in field. Emarsys has no
    /// documented system field for it (UNCONFIRMED: accounts create a single-choice field, its id differs per account), so the
    /// default is null: SMS consent is not sent until the account's field id is set.
    /// </summary>
    public string? SmsOptInFieldId { get; set; }

    /// <summary>Regions for mobile numbers written without a country code.</summary>
    public MobileRegions Mobile { get; set; } = new();

    /// <summary>
    /// What the first delivery of a customer does when Emarsys already holds one contact with its email and no customer id in
    /// the key field (made by a form, an import, the marketing team): <see cref="ExistingContactHandling.Adopt"/> (default).
    /// </summary>
    public ExistingContactHandling ExistingByEmail { get; set; } = ExistingContactHandling.Adopt;

    /// <summary>
    /// Contact lists by rule (<c>lists:</c>): a contact is added to a list when its rule starts to hold and taken out of it when the
    /// rule stops holding (<c>POST /v2/contactlist/{id}/add</c> and <c>…/delete</c>, by the key field).
    /// </summary>
    public List<ListRule> ListRules { get; set; } = [];

    /// <summary>Requests per minute for this API user; 0 for none.</summary>
    public int RequestsPerMinute { get; set; } = DefaultRequestsPerMinute;

    /// <summary>Contacts (and event contacts) per call, capped at <see cref="MaxBatchSizeCap"/>.</summary>
    public int MaxBatchSize { get; set; } = MaxBatchSizeCap;

    /// <summary>Item id of an amount-only refund row (a refund with no lines); it should exist in the product catalog.</summary>
    public const string DefaultRefundItem = "REFUND";

    /// <summary>
    /// The interactions limit of an event's data: above 20 KB Emarsys still answers 200 but no Interactions program starts.
    /// </summary>
    public const int DefaultMaxEventDataBytes = 20 * 1024;

    /// <summary>
    /// Which column identifies the buyer in sales data: <see cref="EmarsysSalesIdentity.Customer"/> (default: keyed like the
    /// contact, since email is not unique in Emarsys) or <see cref="EmarsysSalesIdentity.Email"/>.
    /// </summary>
    public EmarsysSalesIdentity SalesCustomerColumn { get; set; } = EmarsysSalesIdentity.Customer;

    /// <summary>
    /// With <see cref="EmarsysSalesIdentity.Customer"/>: also write an <c>email</c> column, filled only on guest orders (no
    /// customer id), so that guest sales are attributed by email. Each row fills exactly one of the two. Whether an account
    /// takes both columns in one file is unconfirmed; turn this off to send a <c>customer</c> column only and quarantine
    /// guest orders instead. Default on.
    /// </summary>
    public bool SalesGuestsByEmail { get; set; } = true;

    /// <summary>
    /// The account's sales-data currency (ISO code). Orders in another currency are quarantined, because Emarsys adds the
    /// numbers up as they are. Null (default): every order is sent in its own currency.
    /// </summary>
    public string? SalesCurrency { get; set; }

    /// <summary>Item id of an amount-only refund row. Default <see cref="DefaultRefundItem"/>.</summary>
    public string RefundItem { get; set; } = DefaultRefundItem;

    /// <summary>Business event → Emarsys external event id. Types not mapped are not sent. Default: none.</summary>
    public Dictionary<CommerceEventType, string> EventIds { get; set; } = [];

    /// <summary>
    /// Largest event data (the JSON of one contact's trigger) accepted; larger events are quarantined. Default
    /// <see cref="DefaultMaxEventDataBytes"/>, the Interactions limit; the whole payload limit is 500 KB.
    /// </summary>
    public int MaxEventDataBytes { get; set; } = DefaultMaxEventDataBytes;

    /// <summary>
    /// Derived customer attribute → contact field id. Known names: orderCount, lifetimeValue, averageOrderValue,
    /// firstOrderDate, lastOrderDate. Default: none (summaries are not sent).
    /// </summary>
    public Dictionary<string, string> SummaryFields { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The product catalogue feed (products and stock, rendered by the host as the CSV Emarsys fetches). Default off; see
    /// <see cref="EmarsysCatalogueOptions"/>.
    /// </summary>
    public EmarsysCatalogueOptions Catalogue { get; set; } = new();
}

/// <summary>What to do with a contact Emarsys already holds under a new customer's email, without a customer id.</summary>
public enum ExistingContactHandling
{
    /// <summary>Take it over: the customer id is set on it and its consent is kept; no second contact is made.</summary>
    Adopt,
    /// <summary>Create a second contact keyed by the customer id (Emarsys allows two contacts with one email).</summary>
    Create,
    /// <summary>Quarantine the customer naming the existing contact, for a person to decide.</summary>
    Quarantine,
}
