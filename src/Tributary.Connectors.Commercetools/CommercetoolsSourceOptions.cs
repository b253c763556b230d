using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

/// <summary>
/// How commercetools records map onto the canonical model: consent and attributes of customers live in custom fields, named
/// here; orders need a status table and the rules that tell marketplace and wholesale orders from the web shop's.
/// </summary>
public sealed class CommercetoolsSourceOptions
{
    /// <summary>Name of the custom field holding email marketing consent (boolean, or a string such as "yes"/"opted_out").</summary>
    public string ConsentField { get; set; } = "marketingOptIn";

    /// <summary>Optional custom field with the time consent was given or withdrawn (ISO-8601 date or timestamp).</summary>
    public string? ConsentDateField { get; set; }

    /// <summary>
    /// Where the mobile number is read: <see cref="MobileFromAddress"/> (the default) takes <c>mobile</c> of the default
    /// shipping address, else of the default billing address, else of the first address that has one; any other value names a
    /// custom field of the customer holding it.
    /// </summary>
    public string MobileField { get; set; } = MobileFromAddress;

    /// <summary>The <see cref="MobileField"/> value that reads the number from the customer's addresses.</summary>
    public const string MobileFromAddress = "address";

    /// <summary>Name of the custom field holding SMS marketing consent (same spellings as <see cref="ConsentField"/>).</summary>
    public string SmsConsentField { get; set; } = DefaultSmsConsentField;

    /// <summary>Default <see cref="SmsConsentField"/>: a boolean custom field beside the email opt-in; rename it to the project's.</summary>
    public const string DefaultSmsConsentField = "smsOptIn";

    /// <summary>Optional custom field with the time SMS consent was given or withdrawn (ISO-8601 date or timestamp).</summary>
    public string? SmsConsentDateField { get; set; }

    /// <summary>Canonical attribute name → custom field name.</summary>
    public IDictionary<string, string> Attributes { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["loyaltyTier"] = "loyaltyTier",
    };

    /// <summary>
    /// <c>orderState</c> → canonical status. A state missing from the table maps to a null status, which the engine quarantines.
    /// Default: the platform's four states as the design maps them (Open→Pending, Confirmed→Paid, Complete→Completed,
    /// Cancelled→Cancelled). Keys compare without regard to case.
    /// </summary>
    public IDictionary<string, OrderStatus> OrderStatusMap { get; set; } = new Dictionary<string, OrderStatus>(StringComparer.OrdinalIgnoreCase)
    {
        ["Open"] = OrderStatus.Pending,
        ["Confirmed"] = OrderStatus.Paid,
        ["Complete"] = OrderStatus.Completed,
        ["Cancelled"] = OrderStatus.Cancelled,
    };

    /// <summary>
    /// Store key → the currency (ISO 4217) a customer of that store shops in. A commercetools customer carries no currency of its
    /// own, so the contact's currency comes from its (first) store through this map; a store not in it leaves the currency out.
    /// Keys compare without regard to case.
    /// </summary>
    public IDictionary<string, string> CurrencyByStore { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Store key → sales channel, for stores that are not the web shop. Default: <c>marketplace</c> → Marketplace and
    /// <c>b2b</c> → Wholesale. Keys compare without regard to case.
    /// </summary>
    public IDictionary<string, SalesChannelKind> ChannelByStore { get; set; } = new Dictionary<string, SalesChannelKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["marketplace"] = SalesChannelKind.Marketplace,
        ["b2b"] = SalesChannelKind.Wholesale,
    };

    /// <summary>
    /// Order custom field naming the sales channel (<c>dtc</c>, <c>marketplace</c>, <c>wholesale</c> or <c>b2b</c>, <c>pos</c>;
    /// any case). It wins over <see cref="ChannelByStore"/>; null disables it. An order whose field holds another value is
    /// rejected rather than guessed into the web shop's channel.
    /// </summary>
    public string? ChannelField { get; set; } = "salesChannel";

    /// <summary>Locale of line item names (for example <c>en</c>); null or missing on a line → the first locale the line has.</summary>
    public string? Locale { get; set; }

    /// <summary>Default product page URL: the storefront's usual shape; replace it with the shop's own.</summary>
    public const string DefaultProductUrlTemplate = "https://shop.example.com/{locale}/p/{slug}";

    /// <summary>
    /// Product page URL per locale. Placeholders: <c>{locale}</c>, <c>{slug}</c> (the product's slug in that locale), <c>{sku}</c>,
    /// <c>{key}</c> (the product key) and <c>{id}</c> (the product id), each URL-escaped except the locale.
    /// </summary>
    public string ProductUrlTemplate { get; set; } = DefaultProductUrlTemplate;

    /// <summary>Name of the variant attribute holding the brand (a text, enum or localized value).</summary>
    public string BrandAttribute { get; set; } = "brand";

    /// <summary>Locales of names, URLs and descriptions to map (for example <c>en</c>, <c>de</c>); empty maps every locale.</summary>
    public IList<string> Locales { get; set; } = [];

    /// <summary>Currencies of prices to map (ISO 4217); empty maps every currency.</summary>
    public IList<string> Currencies { get; set; } = [];

    /// <summary>
    /// Country of the store: prices scoped to another country are left out (prices without a country stay). Null maps the prices
    /// of every country, each with its country.
    /// </summary>
    public string? Country { get; set; }

    /// <summary>
    /// Read the staged product projection instead of the current (published) one. Staged shows unpublished products with
    /// <c>Active = false</c>, so retirements reach the destinations, but also unpublished edits; it needs <c>view_products</c>.
    /// Off by default: the current view is what shoppers see.
    /// </summary>
    public bool StagedProducts { get; set; }

    /// <summary>
    /// Keys of the supply channels whose stock serves the storefront (summed into available-to-sell); entries without a supply
    /// channel count as <see cref="DefaultStockLocation"/>. Empty counts every channel. Keys compare without regard to case.
    /// </summary>
    public ISet<string> StockChannels { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Units held back from available-to-sell per SKU (once per SKU, not per channel).</summary>
    public decimal SafetyStock { get; set; }

    /// <summary>SKU → safety stock, overriding <see cref="SafetyStock"/> for that SKU.</summary>
    public IDictionary<string, decimal> SafetyStockBySku { get; set; } = new Dictionary<string, decimal>(StringComparer.Ordinal);

    /// <summary>
    /// Send back-in-stock and low-stock signals to the customers whose shopping lists (wishlists, "notify me" lists) hold the
    /// SKU. Needs the <c>view_shopping_lists</c> scope. Off: stock signals are recorded but reach no one.
    /// </summary>
    public bool StockAlertsFromShoppingLists { get; set; } = true;

    /// <summary>
    /// Optional query predicate that narrows which shopping lists count as alert lists, e.g. <c>key = "notify-me"</c> or
    /// <c>name(en = "Notify me")</c>. Null counts every list that belongs to a customer.
    /// </summary>
    public string? StockAlertListWhere { get; set; }

    /// <summary>The kinds the pipeline reads (<c>sync.entities</c>): <c>check</c> tests the token's scopes for each.</summary>
    public IList<EntityKind> CheckedEntities { get; set; } = [EntityKind.Customer];

    /// <summary>Location name of inventory entries without a supply channel (the project's default stock).</summary>
    public const string DefaultStockLocation = "default";
}
