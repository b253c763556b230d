using Tributary.Core.Model;

namespace Tributary.Connectors.Cin7Core;

/// <summary>Which of a customer's contacts gives its email (Cin7 Core has no top-level customer email).</summary>
public enum Cin7CoreContactChoice
{
    /// <summary>The contact marked <c>Default</c> when it has an email, else the first contact with an email.</summary>
    DefaultElseFirstWithEmail,
    /// <summary>Only the contact marked <c>Default</c>; no email when it has none.</summary>
    DefaultOnly,
    /// <summary>The first contact with an email, in the order Cin7 Core lists them.</summary>
    FirstWithEmail,
    /// <summary>The first contact flagged <c>IncludeInEmail</c> with an email, else as <see cref="DefaultElseFirstWithEmail"/>.</summary>
    IncludeInEmailElseDefault,
}

/// <summary>How Cin7 Core records map onto the canonical model.</summary>
public sealed class Cin7CoreSourceOptions
{
    /// <summary>Which contact's email becomes the customer's email.</summary>
    public Cin7CoreContactChoice EmailContact { get; set; } = Cin7CoreContactChoice.DefaultElseFirstWithEmail;

    /// <summary>
    /// Top-level customer field holding email marketing consent (for example <c>AdditionalAttribute1</c>). Cin7 Core has no
    /// consent field, so there is no default: null leaves every customer's consent Unknown, never Subscribed. Values are read by
    /// <see cref="Tributary.Core.Rules.ConsentRule"/> (true/yes/subscribed…, false/no/unsubscribed…).
    /// </summary>
    public string? ConsentField { get; set; }

    /// <summary>
    /// Top-level customer field holding SMS marketing consent (for example <c>AdditionalAttribute2</c>). As for email, Cin7 Core
    /// has none (UNCONFIRMED convention), so there is no default: null leaves SMS consent Unknown.
    /// </summary>
    public string? SmsConsentField { get; set; }

    /// <summary>
    /// Sale <c>Status</c> → canonical status. Quote and draft stages (DRAFT, ESTIMATING, ESTIMATED, ORDERING) are not orders
    /// yet and stay unmapped (null, counted downstream). Payment comes from <c>CombinedPaymentStatus</c>, not from this map.
    /// </summary>
    public IDictionary<string, OrderStatus> StatusMap { get; set; } = new Dictionary<string, OrderStatus>(StringComparer.OrdinalIgnoreCase)
    {
        ["ORDERED"] = OrderStatus.Pending,
        ["BACKORDERED"] = OrderStatus.Pending,
        ["PICKING"] = OrderStatus.Pending,
        ["PICKED"] = OrderStatus.Pending,
        ["PACKING"] = OrderStatus.Pending,
        ["PACKED"] = OrderStatus.Pending,
        ["SHIPPING"] = OrderStatus.Pending,
        ["SHIPPED"] = OrderStatus.Completed,
        ["INVOICING"] = OrderStatus.Pending,
        ["INVOICED"] = OrderStatus.Pending,
        ["COMPLETED"] = OrderStatus.Completed,
        ["CREDITED"] = OrderStatus.Completed,
        ["CREDIT NOTE CLOSED"] = OrderStatus.Completed,
        ["VOIDED"] = OrderStatus.Cancelled,
    };

    /// <summary>
    /// Sale <c>SourceChannel</c> → channel kind. A channel matches its exact entry, else the longest entry it starts with
    /// (<c>Amazon_US</c> matches <c>Amazon</c>). Source channels are free text set by the integration that created the sale.
    /// </summary>
    public IDictionary<string, SalesChannelKind> ChannelMap { get; set; } = new Dictionary<string, SalesChannelKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["Shopify"] = SalesChannelKind.Dtc,
        ["Shopify POS"] = SalesChannelKind.Pos,
        ["WooCommerce"] = SalesChannelKind.Dtc,
        ["Magento"] = SalesChannelKind.Dtc,
        ["BigCommerce"] = SalesChannelKind.Dtc,
        ["Amazon"] = SalesChannelKind.Marketplace,
        ["eBay"] = SalesChannelKind.Marketplace,
        ["Etsy"] = SalesChannelKind.Marketplace,
        ["Wholesale"] = SalesChannelKind.Wholesale,
        ["B2B"] = SalesChannelKind.Wholesale,
        ["POS"] = SalesChannelKind.Pos,
    };

    /// <summary>Kind of a sale whose non-empty source channel is not in <see cref="ChannelMap"/>.</summary>
    public SalesChannelKind UnmappedChannel { get; set; } = SalesChannelKind.Dtc;

    /// <summary>
    /// Kind of a sale without a source channel: one keyed in by staff in Cin7 Core, which in an inventory/B2B system is most
    /// often a wholesale order, so it stays out of consumer marketing unless configured otherwise.
    /// </summary>
    public SalesChannelKind NoChannel { get; set; } = SalesChannelKind.Wholesale;

    /// <summary>Location names whose stock is not sellable (quarantine, damaged, returns): counted as NonSellable, never in ATS.</summary>
    public ISet<string> NonSellableLocations { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Location names whose stock is reserved for wholesale: counted as Reserved, never in ATS.</summary>
    public ISet<string> WholesaleLocations { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Safety stock subtracted from every SKU's ATS unless <see cref="SafetyStockBySku"/> names it.</summary>
    public decimal SafetyStock { get; set; }

    /// <summary>Safety stock per SKU, overriding <see cref="SafetyStock"/>.</summary>
    public IDictionary<string, decimal> SafetyStockBySku { get; set; } = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Availability lists only rows with stock, so a SKU that sells out vanishes from it. When on, stock reads also list the
    /// products (one call per 1000) and report every product SKU without rows at zero, so sell-outs reach the destination.
    /// </summary>
    public bool ReportSoldOutSkus { get; set; } = true;

    /// <summary>Currency of product prices; null reads the account's base currency from <c>GET /me</c> once.</summary>
    public string? Currency { get; set; }

    /// <summary>The price tier listed first (the storefront's retail price).</summary>
    public string RetailPriceTier { get; set; } = "Tier 1";

    /// <summary>Locale the single-language product names are filed under.</summary>
    public string DefaultLocale { get; set; } = "en";

    /// <summary>The safety stock of one SKU.</summary>
    public decimal SafetyStockFor(string sku) => SafetyStockBySku.TryGetValue(sku, out var s) ? s : SafetyStock;
}
