using Tributary.Core.Model;

namespace Tributary.Connectors.Centra;

/// <summary>How Centra records map onto the canonical model.</summary>
public sealed class CentraSourceOptions
{
    /// <summary>
    /// Customer field holding email marketing consent. The REST Order API calls it <c>newsletter</c> (bool); the Integration
    /// API name is unconfirmed, so it is configurable. Absent or null → Unknown, never Subscribed.
    /// </summary>
    public string ConsentField { get; set; } = "newsletter";

    /// <summary>
    /// Customer field holding the mobile number. The Integration API documents only <c>phoneNumber</c> on the customer (a
    /// <c>cellPhoneNumber</c> exists on addresses), so that is the default; the number is used for SMS only when it is a valid
    /// mobile number. Another name is added to the customer query as it is.
    /// </summary>
    public string MobileField { get; set; } = DefaultMobileField;

    /// <summary>Default <see cref="MobileField"/>.</summary>
    public const string DefaultMobileField = "phoneNumber";

    /// <summary>
    /// Customer field holding SMS marketing consent. Centra documents none (UNCONFIRMED: introspect <c>Customer</c>), so there
    /// is no default: null leaves SMS consent Unknown. A name set here is added to the customer query.
    /// </summary>
    public string? SmsConsentField { get; set; }

    /// <summary>The extra customer fields the query selects: the consent fields and a mobile field other than the default.</summary>
    internal string CustomerSelection => string.Join(' ', new[] { ConsentField, SmsConsentField,
        string.Equals(MobileField, DefaultMobileField, StringComparison.Ordinal) ? null : MobileField }.Where(f => !string.IsNullOrWhiteSpace(f)).Distinct());

    /// <summary>
    /// Storefront address of a product, for catalogue feeds that need a link (Emarsys). Placeholders: <c>{locale}</c>,
    /// <c>{sku}</c>, <c>{productNumber}</c>, <c>{productId}</c>, each URL-escaped. Centra's Integration API has no storefront
    /// URL of its own (display URIs are per market and UNCONFIRMED), so null leaves products without a link.
    /// </summary>
    public string? ProductUrlTemplate { get; set; }

    /// <summary>Store types whose orders are wholesale (Centra's B2B store type is <c>WHOLESALE</c>).</summary>
    public ISet<string> WholesaleStoreTypes { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "WHOLESALE" };

    /// <summary>Store ids whose orders are wholesale as well, whatever their type.</summary>
    public ISet<string> WholesaleStoreIds { get; set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Centra order status → canonical status. PROCESSING means at least one shipment exists; payment is captured per
    /// shipment, so it counts as paid. Statuses not in the map (ARCHIVED by default) map to null and the order is counted
    /// as unmapped downstream.
    /// </summary>
    public IDictionary<string, OrderStatus> StatusMap { get; set; } = new Dictionary<string, OrderStatus>(StringComparer.OrdinalIgnoreCase)
    {
        ["PENDING"] = OrderStatus.Pending,
        ["CONFIRMED"] = OrderStatus.Paid,
        ["PROCESSING"] = OrderStatus.Paid,
        ["SHIPPED"] = OrderStatus.Completed,
        ["CANCELLED"] = OrderStatus.Cancelled,
    };

    /// <summary>
    /// Warehouses (names or ids) whose free-to-allocate stock makes up <see cref="StockLevel.AvailableToSell"/>: those serving
    /// the storefront through its allocation rule. Empty means every warehouse.
    /// </summary>
    public ISet<string> StockWarehouses { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Locale the single-language names of the Integration API are filed under.</summary>
    public string DefaultLocale { get; set; } = "en";

    /// <summary>
    /// Centra cannot merge customers: a guest checkout creates an unregistered customer next to the registered one with the same
    /// email. When on, an unregistered customer whose email belongs to a registered one gets <see cref="Customer.MergedInto"/>
    /// set to it (one lookup per distinct guest email in a page).
    /// </summary>
    public bool LinkGuestDuplicates { get; set; } = true;

    /// <summary>Read returns that are not completed as refunds too (by default only completed returns count).</summary>
    public bool IncludePendingReturns { get; set; }
}
