using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Centra;

/// <summary>The <c>source.centra</c> section (docs/configuration.md).</summary>
public sealed class CentraConfig : ConnectorConfig
{
    /// <inheritdoc />
    public override IConnectorModule Module => CentraModule.Instance;

    public required Uri Url { get; init; }

    public required string Token { get; init; }

    public string ConsentField { get; init; } = "newsletter";

    public string MobileField { get; init; } = CentraSourceOptions.DefaultMobileField;

    public string? SmsConsentField { get; init; }

    public IReadOnlyDictionary<string, OrderStatus>? StatusMap { get; init; }

    public IReadOnlyList<string>? StockWarehouses { get; init; }

    /// <summary>Shared secret of the Centra Webhook plugin; webhooks are refused without it.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>Centra's published limit: 60 requests per 10 seconds, shared by every integration on the account.</summary>
    public int RequestsPerWindow { get; init; } = 60;

    /// <summary>Storefront link of a product ({locale}, {sku}, {productNumber}, {productId}); the Emarsys feed needs one.</summary>
    public string? ProductUrlTemplate { get; init; }
}
