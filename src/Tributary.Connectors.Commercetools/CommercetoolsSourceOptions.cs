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
}
