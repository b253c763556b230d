using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Dotdigital;

/// <summary>The <c>destinations.dotdigital</c> section (docs/configuration.md).</summary>
public sealed class DotdigitalConfig : ConnectorConfig
{
    /// <inheritdoc />
    public override IConnectorModule Module => DotdigitalModule.Instance;

    public Uri ApiUrl { get; init; } = new("https://r1-api.dotdigital.com");

    public required string User { get; init; }

    public required string Password { get; init; }

    public IReadOnlyList<long> ListIds { get; init; } = [];

    /// <summary>Canonical field → data field (<c>fields:</c>); null keeps the default (first, last and full name).</summary>
    public IReadOnlyDictionary<string, string>? Fields { get; init; }

    /// <summary>Mapped attribute → data field (<c>attributes:</c>).</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>The <c>lists:</c> rules: lists a contact joins and leaves as its consent, store, locale, currency or attributes change.</summary>
    public IReadOnlyList<Tributary.Core.Rules.ListRule> ListRules { get; init; } = [];

    /// <summary>The <c>mobile:</c> section's <c>send</c>: the mobile number and SMS status go (default true).</summary>
    public bool SendSms { get; init; } = true;

    /// <summary>The <c>mobile:</c> section's regions.</summary>
    public Tributary.Core.Rules.MobileRegions Mobile { get; init; } = new();

    /// <summary>True: an Unknown consent is written as unsubscribed (the safe default); false: no status is sent.</summary>
    public bool UnknownAsUnsubscribed { get; init; } = true;

    public IReadOnlyDictionary<CommerceEventType, long>? Programs { get; init; }

    /// <summary>The lowest published tier: 35 calls a minute.</summary>
    public int RequestsPerMinute { get; init; } = 35;

    /// <summary>How often a bulk import's status is polled.</summary>
    public TimeSpan ImportPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Medium tier (single writes) calls a minute; null starts at <see cref="RequestsPerMinute"/>.</summary>
    public int? MediumTierPerMinute { get; init; }

    /// <summary>High tier (light reads) calls a minute; null starts at <see cref="RequestsPerMinute"/>.</summary>
    public int? HighTierPerMinute { get; init; }

    /// <summary>Learn tier limits and spent windows from the X-RateLimit headers.</summary>
    public bool AdaptToRateLimitHeaders { get; init; } = true;

    /// <summary>Records per delivery call (one bulk import above the bulk threshold).</summary>
    public int MaxBatchSize { get; init; } = 500;

    /// <summary>What an order without a customer account becomes.</summary>
    public GuestOrderHandling GuestOrders { get; init; }

    /// <summary>Lists a contact created for a guest order joins.</summary>
    public IReadOnlyList<long> GuestListIds { get; init; } = [];

    /// <summary>Deliver stock levels into the catalogue collection's <c>stock</c>.</summary>
    public bool CatalogueStock { get; init; } = true;

    /// <inheritdoc />
    public override string? Describe(EntityKind entity) => entity switch
    {
        EntityKind.Customer => "contacts (by email) with consent" + (ListIds.Count > 0 ? $", in address book(s) {string.Join(", ", ListIds)}" : string.Empty)
                              + (ListRules.Count > 0 ? $", in address book(s) {string.Join(", ", ListRules.Select(r => r.List))} by rule" : string.Empty),
        EntityKind.Order => "order insight data on the contact, order count and lifetime value",
        EntityKind.Stock => "back-in-stock and low-stock events",
        _ => null,
    };

    /// <inheritdoc />
    public override JourneyMap? Journeys => new("Dotdigital program",
        (Programs ?? new Dictionary<CommerceEventType, long>()).ToDictionary(kv => kv.Key, kv => $"program {kv.Value}"));
}
