using Tributary.Core.Modules;

namespace Tributary.Connectors.Cin7Core;

/// <summary>The <c>source.cin7core</c> section (docs/configuration.md).</summary>
public sealed class Cin7CoreConfig : ConnectorConfig
{
    /// <inheritdoc />
    public override IConnectorModule Module => Cin7CoreModule.Instance;

    public Uri Url { get; init; } = new("https://inventory.dearsystems.com/ExternalApi/v2/");

    public required string AccountId { get; init; }

    public required string ApplicationKey { get; init; }

    public string? ConsentField { get; init; }

    public string? SmsConsentField { get; init; }

    public IReadOnlyList<string> NonSellableLocations { get; init; } = [];

    public IReadOnlyList<string> WholesaleLocations { get; init; } = [];

    public decimal SafetyStock { get; init; }

    /// <summary>The header value Cin7 Core sends with each webhook (it signs nothing); webhooks are refused without it.</summary>
    public string? WebhookKey { get; init; }

    /// <summary>Cin7 Core's published limit per API application; the client spends 95% of it.</summary>
    public int RequestsPerMinute { get; init; } = 60;
}
