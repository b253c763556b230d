using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Emarsys;

/// <summary>The <c>destinations.emarsys</c> section (docs/configuration.md).</summary>
public sealed class EmarsysConfig : ConnectorConfig
{
    /// <inheritdoc />
    public override IConnectorModule Module => EmarsysModule.Instance;

    public Uri ApiUrl { get; init; } = new("https://api.emarsys.net");

    public required string User { get; init; }

    public required string Secret { get; init; }

    public string KeyFieldId { get; init; } = "9001";

    public IReadOnlyDictionary<string, string>? Fields { get; init; }

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    public bool SendOptIn { get; init; } = true;

    /// <summary>The <c>mobile:</c> section: field, smsOptInField, defaultRegion, regionByStore.</summary>
    public string? MobileFieldId { get; init; } = EmarsysDestinationOptions.DefaultMobileFieldId;

    public string? SmsOptInFieldId { get; init; }

    /// <summary><c>existingByEmail</c>: adopt (default), create or quarantine a contact Emarsys holds under the email without a key.</summary>
    public ExistingContactHandling ExistingByEmail { get; init; } = ExistingContactHandling.Adopt;

    /// <summary>The <c>lists:</c> rules: contact lists a contact joins and leaves as its consent, store, locale, currency or attributes change.</summary>
    public IReadOnlyList<Tributary.Core.Rules.ListRule> ListRules { get; init; } = [];

    public Tributary.Core.Rules.MobileRegions Mobile { get; init; } = new();

    /// <summary>Published limit: 1000 requests a minute per API user.</summary>
    public int RequestsPerMinute { get; init; } = 1000;

    /// <summary>Published maximum: 1000 contacts a call.</summary>
    public int BatchSize { get; init; } = 1000;

    public Uri? SalesDataUrl { get; init; }

    public string? MerchantId { get; init; }

    public string? SalesDataToken { get; init; }

    public IReadOnlyDictionary<CommerceEventType, string>? EventIds { get; init; }

    public IReadOnlyDictionary<string, string>? SummaryFields { get; init; }

    /// <summary>The product catalogue Emarsys fetches from this service; null: off.</summary>
    public EmarsysCatalogueOptions? Catalogue { get; init; }

    /// <summary>User of the basic auth protecting the feed.</summary>
    public string FeedUser { get; init; } = "emarsys";

    /// <summary>Password of the basic auth protecting the feed (from the environment).</summary>
    public string? FeedPassword { get; init; }

    /// <inheritdoc />
    public override string? Describe(EntityKind entity) => entity switch
    {
        EntityKind.Customer => $"contacts, keyed by the customer id in field {KeyFieldId}; consent in the opt-in field"
                               + (ListRules.Count > 0 ? $"; in contact list(s) {string.Join(", ", ListRules.Select(r => r.List))} by rule" : string.Empty),
        EntityKind.Order => MerchantId is null ? null : "Smart Insight sales data (one line per product, sent once; negative lines for refunds and cancellations), order count and lifetime value on the contact",
        EntityKind.Product => Catalogue is { Enabled: true } ? "the product catalogue feed Emarsys fetches from Tributary" : null,
        EntityKind.Stock => Catalogue is { Enabled: true } ? "availability in the catalogue feed; back-in-stock and low-stock events" : null,
        _ => null,
    };

    /// <inheritdoc />
    public override JourneyMap? Journeys => new("Emarsys external event",
        (EventIds ?? new Dictionary<CommerceEventType, string>()).ToDictionary(kv => kv.Key, kv => $"event {kv.Value}"));

    /// <inheritdoc />
    public override double? FeedDropGuard => Catalogue is { Enabled: true } catalogue ? catalogue.MaxDropShare : null;
}
