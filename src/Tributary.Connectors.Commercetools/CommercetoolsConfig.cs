using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Commercetools;

/// <summary>The <c>source.commercetools</c> section (docs/configuration.md).</summary>
public sealed class CommercetoolsConfig : ConnectorConfig
{
    /// <inheritdoc />
    public override IConnectorModule Module => CommercetoolsModule.Instance;

    public required Uri ApiUrl { get; init; }

    public required Uri AuthUrl { get; init; }

    public required string ProjectKey { get; init; }

    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    public string? Scopes { get; init; }

    public string ConsentField { get; init; } = "marketingOptIn";

    public string? ConsentDateField { get; init; }

    /// <summary><c>address</c> (default) or the custom field holding the mobile number.</summary>
    public string MobileField { get; init; } = CommercetoolsSourceOptions.MobileFromAddress;

    /// <summary>Custom field holding SMS consent.</summary>
    public string SmsConsentField { get; init; } = CommercetoolsSourceOptions.DefaultSmsConsentField;

    /// <summary>Custom field with the time of the SMS consent answer.</summary>
    public string? SmsConsentDateField { get; init; }

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string> { ["loyaltyTier"] = "loyaltyTier" };

    /// <summary>commercetools orderState → canonical status; null keeps the connector's default table.</summary>
    public IReadOnlyDictionary<string, OrderStatus>? OrderStatusMap { get; init; }

    /// <summary>Store key → the currency of its customers (<c>currencyByStore</c>); empty leaves the contact's currency out.</summary>
    public IReadOnlyDictionary<string, string> CurrencyByStore { get; init; } = new Dictionary<string, string>();

    /// <summary>Store key → sales channel kind; null keeps the connector's default.</summary>
    public IReadOnlyDictionary<string, SalesChannelKind>? ChannelByStore { get; init; }

    /// <summary>Order custom field naming the sales channel; null keeps the connector's default.</summary>
    public string? ChannelField { get; init; }

    /// <summary>Locale for line names.</summary>
    public string? Locale { get; init; }

    /// <summary>Product page URL template ({locale}, {slug}, {sku}, {key}, {id}); null keeps the connector's default.</summary>
    public string? ProductUrlTemplate { get; init; }

    /// <summary>Token the Pub/Sub push subscription sends (?token= or bearer); notifications are refused without it.</summary>
    public string? PushToken { get; init; }

    /// <summary>Pull the Messages API into the inbox (<c>messages: true</c>; the project must have messages enabled).</summary>
    public bool Messages { get; init; }

    /// <summary>How far back each Messages API pull starts before the last message seen (<c>messagesOverlap</c>).</summary>
    public TimeSpan MessagesOverlap { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Supply channels whose stock is available to sell (empty: all).</summary>
    public IReadOnlyList<string> StockChannels { get; init; } = [];

    /// <summary>Units held back from every SKU's available-to-sell.</summary>
    public decimal SafetyStock { get; init; }

    /// <summary>Safety stock per SKU, overriding <see cref="SafetyStock"/>.</summary>
    public IReadOnlyDictionary<string, decimal> SafetyStockBySku { get; init; } = new Dictionary<string, decimal>();

    /// <summary>Send stock signals to the customers whose shopping lists hold the SKU.</summary>
    public bool StockAlertsFromShoppingLists { get; init; } = true;

    /// <summary>Predicate narrowing which shopping lists count as alert lists; null for all of a customer's lists.</summary>
    public string? StockAlertListWhere { get; init; }
}
