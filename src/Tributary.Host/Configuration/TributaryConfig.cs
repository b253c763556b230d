using Tributary.Core.Model;
using Tributary.Core.Modules;

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

    /// <summary>
    /// <c>state.allowFresh</c>: an empty state may send everything even when a destination already holds records of this source
    /// (otherwise the pass refuses until <c>--fresh</c> is given; docs/operations.md).
    /// </summary>
    public bool AllowFresh { get; init; }

    /// <summary>
    /// The platform read from (the one section under <c>source:</c>), as its connector module read it. The loader always sets it;
    /// null only in a config built in code for something that reads no source (telemetry, metrics).
    /// </summary>
    public ConnectorConfig? Source { get; init; }

    /// <summary>The platforms written to (the sections under <c>destinations:</c>), in registration order.</summary>
    public IReadOnlyList<ConnectorConfig> Destinations { get; init; } = [];

    public SyncConfig Sync { get; init; } = new();

    /// <summary>Address the service listens on for webhooks and health (run and demo); null: no HTTP side.</summary>
    public string? ServerUrl { get; init; }

    /// <summary><c>server.metricsAuth</c>: <c>/metrics</c> asks for the dashboard's credentials. Default off (a scraper inside the network).</summary>
    public bool MetricsAuth { get; init; }

    /// <summary>Scale-out settings for the <c>worker</c> verb; null when the pipeline runs as one process.</summary>
    public ClusterConfig? Cluster { get; init; }

    /// <summary>Alert rules and channels; null: no alerts.</summary>
    public AlertsConfig? Alerts { get; init; }

    /// <summary>Reconciliation settings (defaults when the section is absent).</summary>
    public ReconcileConfig Reconcile { get; init; } = new();

    /// <summary>Consent pull-back schedule (<c>consent:</c>).</summary>
    public ConsentConfig Consent { get; init; } = new();
    /// <summary>The operations dashboard served with the HTTP side (see docs/operations.md).</summary>
    public DashboardConfig Dashboard { get; init; } = new();

    /// <summary>The storefront endpoints (<c>storefront:</c>); null when not configured (the endpoints are then not served).</summary>
    public StorefrontConfig? Storefront { get; init; }

    /// <summary>Log output: "text" (one readable line per entry) or "json" (one JSON object per line, personal data masked).</summary>
    public string LogFormat { get; init; } = "text";

    /// <summary>Trace and metric export over OTLP (see docs/operations.md).</summary>
    public TelemetryConfig Telemetry { get; init; } = new();

    /// <summary>
    /// True when every platform address is on this machine (the sandbox): values that would hurt a real platform (a request
    /// budget of 0, sweeps more often than every 30 s) are allowed only then.
    /// </summary>
    public bool Sandbox { get; init; }

    /// <summary>Every configured platform: the source, then the destinations.</summary>
    public IEnumerable<ConnectorConfig> Connectors => Source is null ? Destinations : Destinations.Prepend(Source);

    /// <summary>The settings of one platform by their type, when it is configured (for code that knows the platform: tests, the sandbox).</summary>
    public T? Connector<T>()
        where T : ConnectorConfig => Connectors.OfType<T>().FirstOrDefault();
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
    /// <summary>
    /// Shortest token accepted: 16 characters of a random hex string are 64 bits, out of reach of the throttled guessing the
    /// dashboard allows (ten tries a minute per address).
    /// </summary>
    public const int MinTokenLength = 16;

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

public sealed class SyncConfig
{
    public IReadOnlyList<EntityKind> Entities { get; init; } = [EntityKind.Customer];

    /// <summary>Sweep every 5 minutes unless configured: changes arrive in real time through webhooks; the sweep catches what they miss.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(5);

    /// <summary>Outside the sandbox a sweep runs at most every 30 s: each one reads every entity's window from the source.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(30);

    /// <summary>Re-read a window's start this much earlier than the watermark, for changes committed late at the source.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromMinutes(2);

    /// <summary>Heal (read each entity in full) once a day unless configured.</summary>
    public static readonly TimeSpan DefaultHeal = TimeSpan.FromHours(24);

    /// <summary>Outside the sandbox a heal runs at most every 10 minutes: it re-reads the whole shop.</summary>
    public static readonly TimeSpan MinimumHeal = TimeSpan.FromMinutes(10);

    public TimeSpan Interval { get; init; } = DefaultInterval;

    public TimeSpan Overlap { get; init; } = DefaultOverlap;

    public TimeSpan Heal { get; init; } = DefaultHeal;

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

    /// <summary><c>sync.stock.notifyMeConsent: marketing</c>: "notify me" requests reach only contacts with an email opt-in.</summary>
    public bool NotifyMeNeedsMarketingConsent { get; init; }

    /// <summary>Share of each destination budget only the real-time lane may use (<c>sync.realtimeReserve</c>, percent in YAML).</summary>
    public double RealtimeReserve { get; init; } = 0.2;
}

/// <summary>
/// The endpoints a shop's pages call from the browser (<c>POST /subscriptions/back-in-stock</c>): publishable keys (not secrets:
/// they are in the page), the origins allowed to call, and a per-address rate limit.
/// </summary>
public sealed class StorefrontConfig
{
    /// <summary>Default requests a minute one client address may make.</summary>
    public const int DefaultRequestsPerMinute = 30;

    /// <summary>Largest body accepted, in bytes.</summary>
    public const int MaxBodyBytes = 4096;

    /// <summary>Publishable keys, one per storefront; a request names one in the <c>X-Storefront-Key</c> header.</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>Origins allowed to call (<c>https://shop.example.com</c>); a request from another origin is refused.</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];

    /// <summary>Requests a minute one client address may make.</summary>
    public int RequestsPerMinute { get; init; } = DefaultRequestsPerMinute;
}
