using Tributary.Core.Model;

namespace Tributary.Host.Configuration;

/// <summary>The whole configuration of one pipeline, read from one YAML file (see docs/configuration.md).</summary>
public sealed class TributaryConfig
{
    public required string FilePath { get; init; }

    public string PipelineName { get; init; } = "default";

    /// <summary>Path of the SQLite state file, relative to the config file.</summary>
    public string StatePath { get; init; } = ".tributary/state.db";

    /// <summary>PostgreSQL connection string of the state store (<c>state.postgres</c>); null keeps the SQLite file.</summary>
    public string? StateConnectionString { get; init; }

    /// <summary>The installation's schema in PostgreSQL (<c>state.schema</c>).</summary>
    public string StateSchema { get; init; } = "tributary";

    public CommercetoolsConfig? Commercetools { get; init; }

    public EmarsysConfig? Emarsys { get; init; }

    public CentraConfig? Centra { get; init; }

    public Cin7CoreConfig? Cin7Core { get; init; }

    public DotdigitalConfig? Dotdigital { get; init; }

    public SyncConfig Sync { get; init; } = new();

    /// <summary>Address the service listens on for webhooks and health (run and demo); null: no HTTP side.</summary>
    public string? ServerUrl { get; init; }

    /// <summary>Scale-out settings for the <c>worker</c> verb; null when the pipeline runs as one process.</summary>
    public ClusterConfig? Cluster { get; init; }

    /// <summary>Alert rules and channels; null: no alerts.</summary>
    public AlertsConfig? Alerts { get; init; }

    /// <summary>Reconciliation settings (defaults when the section is absent).</summary>
    public ReconcileConfig Reconcile { get; init; } = new();
    /// <summary>The operations dashboard served with the HTTP side (see docs/operations.md).</summary>
    public DashboardConfig Dashboard { get; init; } = new();

    /// <summary>Log output: "text" (one readable line per entry) or "json" (one JSON object per line, personal data masked).</summary>
    public string LogFormat { get; init; } = "text";

    /// <summary>Trace and metric export over OTLP (see docs/operations.md).</summary>
    public TelemetryConfig Telemetry { get; init; } = new();
}

/// <summary>The <c>cluster:</c> section: how workers share one broker and one state database (docs/deployment.md).</summary>
public sealed class ClusterConfig
{
    public const int DefaultPartitions = 16;

    public static readonly TimeSpan DefaultMemberTtl = TimeSpan.FromSeconds(15);

    /// <summary>Broker address (from the environment: it holds a password).</summary>
    public required Uri Amqp { get; init; }

    /// <summary>Partition queues; the same on every worker.</summary>
    public int Partitions { get; init; } = DefaultPartitions;

    /// <summary>This worker's name; null: host name and process id.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Coordination file for leases and shared budgets when the state is SQLite; null: next to the state file.</summary>
    public string? Coordination { get; init; }

    /// <summary>How long a silent worker keeps its partitions.</summary>
    public TimeSpan MemberTtl { get; init; } = DefaultMemberTtl;

    /// <summary>Prefix of the partition queue names.</summary>
    public string QueuePrefix { get; init; } = "tributary.work";
}

public sealed class DashboardConfig
{
    /// <summary>Serve the dashboard and its JSON API under /dashboard and /api when the HTTP side runs.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Bearer token (from the environment); the page takes it once as ?token= and keeps it in a cookie.</summary>
    public string? Token { get; init; }

    /// <summary>Basic auth user, with <see cref="Password"/>.</summary>
    public string? User { get; init; }

    /// <summary>Basic auth password (from the environment).</summary>
    public string? Password { get; init; }

    /// <summary>True when a token or a user and password protect the dashboard.</summary>
    public bool HasCredentials => Token is { Length: > 0 } || (User is { Length: > 0 } && Password is { Length: > 0 });
}

public sealed class CommercetoolsConfig
{
    public required Uri ApiUrl { get; init; }

    public required Uri AuthUrl { get; init; }

    public required string ProjectKey { get; init; }

    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    public string? Scopes { get; init; }

    public string ConsentField { get; init; } = "marketingOptIn";

    public string? ConsentDateField { get; init; }

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string> { ["loyaltyTier"] = "loyaltyTier" };

    /// <summary>commercetools orderState → canonical status; null keeps the connector's default table.</summary>
    public IReadOnlyDictionary<string, OrderStatus>? OrderStatusMap { get; init; }

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

public sealed class CentraConfig
{
    public required Uri Url { get; init; }

    public required string Token { get; init; }

    public string ConsentField { get; init; } = "newsletter";

    public IReadOnlyDictionary<string, OrderStatus>? StatusMap { get; init; }

    public IReadOnlyList<string>? StockWarehouses { get; init; }

    /// <summary>Shared secret of the Centra Webhook plugin; webhooks are refused without it.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>Centra's published limit: 60 requests per 10 seconds, shared by every integration on the account.</summary>
    public int RequestsPerWindow { get; init; } = 60;

    /// <summary>Storefront link of a product ({locale}, {sku}, {productNumber}, {productId}); the Emarsys feed needs one.</summary>
    public string? ProductUrlTemplate { get; init; }
}

public sealed class Cin7CoreConfig
{
    public Uri Url { get; init; } = new("https://inventory.dearsystems.com/ExternalApi/v2/");

    public required string AccountId { get; init; }

    public required string ApplicationKey { get; init; }

    public string? ConsentField { get; init; }

    public IReadOnlyList<string> NonSellableLocations { get; init; } = [];

    public IReadOnlyList<string> WholesaleLocations { get; init; } = [];

    public decimal SafetyStock { get; init; }

    /// <summary>The header value Cin7 Core sends with each webhook (it signs nothing); webhooks are refused without it.</summary>
    public string? WebhookKey { get; init; }

    /// <summary>Cin7 Core's published limit per API application; the client spends 95% of it.</summary>
    public int RequestsPerMinute { get; init; } = 60;
}

public sealed class DotdigitalConfig
{
    public Uri ApiUrl { get; init; } = new("https://r1-api.dotdigital.com");

    public required string User { get; init; }

    public required string Password { get; init; }

    public IReadOnlyList<long> ListIds { get; init; } = [];

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
    public Tributary.Connectors.Dotdigital.GuestOrderHandling GuestOrders { get; init; }

    /// <summary>Lists a contact created for a guest order joins.</summary>
    public IReadOnlyList<long> GuestListIds { get; init; } = [];

    /// <summary>Deliver stock levels into the catalogue collection's <c>stock</c>.</summary>
    public bool CatalogueStock { get; init; } = true;
}

public sealed class EmarsysConfig
{
    public Uri ApiUrl { get; init; } = new("https://api.emarsys.net");

    public required string User { get; init; }

    public required string Secret { get; init; }

    public string KeyFieldId { get; init; } = "9001";

    public IReadOnlyDictionary<string, string>? Fields { get; init; }

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    public bool SendOptIn { get; init; } = true;

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
    public Tributary.Connectors.Emarsys.EmarsysCatalogueOptions? Catalogue { get; init; }

    /// <summary>User of the basic auth protecting the feed.</summary>
    public string FeedUser { get; init; } = "emarsys";

    /// <summary>Password of the basic auth protecting the feed (from the environment).</summary>
    public string? FeedPassword { get; init; }
}

public sealed class SyncConfig
{
    public IReadOnlyList<EntityKind> Entities { get; init; } = [EntityKind.Customer];

    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan Overlap { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan Heal { get; init; } = TimeSpan.FromHours(24);

    public int PageSize { get; init; } = 500;

    public bool ClearOnNull { get; init; }

    public int DeliveryConcurrency { get; init; } = 2;

    public int MaxAttempts { get; init; } = 8;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    public bool ResendUncertain { get; init; }

    public IReadOnlySet<SalesChannelKind> OrderChannels { get; init; } = new HashSet<SalesChannelKind> { SalesChannelKind.Dtc };

    public IReadOnlySet<string> ExcludeStores { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public TimeSpan EventHorizon { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Back-in-stock and low-stock thresholds on available-to-sell.</summary>
    public Tributary.Core.Rules.StockThresholds StockThresholds { get; init; } = Tributary.Core.Rules.StockThresholds.Default;

    /// <summary>Share of each destination budget only the real-time lane may use (<c>sync.realtimeReserve</c>, percent in YAML).</summary>
    public double RealtimeReserve { get; init; } = 0.2;
}
