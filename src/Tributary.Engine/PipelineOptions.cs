using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>How one pipeline (one source into its destinations) reads, diffs and delivers.</summary>
public sealed class PipelineOptions
{
    /// <summary>Default sweep interval: five minutes, as DESIGN.md §1 sets for the sweep lane.</summary>
    public static readonly TimeSpan DefaultSweepInterval = TimeSpan.FromMinutes(5);

    /// <summary>Default overlap of incremental windows: two minutes covers the source's eventual consistency (commercetools' own sync libraries use the same).</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromMinutes(2);

    /// <summary>Pipeline name, used in logs and state.</summary>
    public string Name { get; set; } = "default";

    /// <summary>Entity kinds this pipeline syncs.</summary>
    public IReadOnlyList<EntityKind> Entities { get; set; } = [EntityKind.Customer];

    /// <summary>Records per source page (capped by the connector at the platform maximum).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Overlap subtracted from the watermark of each incremental window.</summary>
    public TimeSpan Overlap { get; set; } = DefaultOverlap;

    /// <summary>Time between sweeps in <c>run</c>.</summary>
    public TimeSpan SweepInterval { get; set; } = DefaultSweepInterval;

    /// <summary>Time between full heal passes in <c>run</c>: daily for customers and consent.</summary>
    public TimeSpan HealInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How a customer deleted at the source is erased at the destinations (<c>consent.erasure</c>): anonymised by default; null
    /// leaves the destinations alone.
    /// </summary>
    public ErasureMode? ErasureOnSourceDeletion { get; set; } = ErasureMode.Anonymise;

    /// <summary>When true, a value missing at the source clears the destination's value; by default it is left alone.</summary>
    public bool ClearOnNull { get; set; }

    /// <summary>
    /// Whether a value with nothing behind it is written empty for <paramref name="entity"/>. A customer summary always clears:
    /// its fields are derived, so a date no counted order backs any more (the only order was cancelled) must be forgotten by the
    /// destination. Other kinds follow <see cref="ClearOnNull"/>.
    /// </summary>
    public bool Clears(EntityKind entity) => ClearOnNull || entity == EntityKind.CustomerSummary;

    /// <summary>Which orders reach marketing, and how old an event may be to still start a journey.</summary>
    public Tributary.Core.Rules.OrderScopeOptions OrderScope { get; set; } = new();

    /// <summary>
    /// What to do with a non-idempotent fact (a sales line, an event trigger) that was about to be sent when the process died,
    /// so nobody knows whether the destination got it: <see cref="UncertainPolicy.Skip"/> never risks a duplicate and puts the
    /// record in the dead lane with the reason; <see cref="UncertainPolicy.Resend"/> sends it again.
    /// </summary>
    public UncertainPolicy Uncertain { get; set; } = UncertainPolicy.Skip;

    /// <summary>Back-in-stock and low-stock thresholds, with hysteresis.</summary>
    public Tributary.Core.Rules.StockThresholds StockThresholds { get; set; } = Tributary.Core.Rules.StockThresholds.Default;

    /// <summary>
    /// When true, a "notify me" request is sent only to contacts whose email answer is an opt-in (<c>sync.stock.notifyMeConsent:
    /// marketing</c>); by default the request itself is the permission for that one message, unless the contact opted out of
    /// email after asking (<c>request</c>).
    /// </summary>
    public bool NotifyMeNeedsMarketingConsent { get; set; }

    /// <summary>Retry policy for transient failures.</summary>
    public RetryOptions Retry { get; set; } = new();

    /// <summary>Batches in flight per destination and entity; keys in flight are leased so per-key order holds.</summary>
    public int DeliveryConcurrency { get; set; } = 2;

    /// <summary>
    /// While a read is in progress, how long a worker may hold back a part-filled batch waiting for more rows: full batches
    /// keep calls near ceil(N / batch size).
    /// </summary>
    public TimeSpan BatchLinger { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a leased outbox row is reserved for one delivery call.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// True (the default): a pass delivers what it stages, in this process. False: the pass only reads and stages, and
    /// delivery is left to cluster workers fed from the outbox (the <c>worker</c> verb).
    /// </summary>
    public bool InProcessDelivery { get; set; } = true;
}

/// <summary>Bounded retries with exponential backoff and jitter.</summary>
public sealed class RetryOptions
{
    /// <summary>Attempts before a transiently failing record goes to the dead lane (rate limiting never counts towards it).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First backoff.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest backoff.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Wait after a rate-limited answer that names no reset time (Emarsys: the limit is per minute).</summary>
    public TimeSpan DefaultRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Seed of each delivery worker's jitter, so tests can repeat the waits; null (the default) seeds every worker on its own.
    /// </summary>
    public int? JitterSeed { get; set; }

    /// <summary>Backoff before attempt number <paramref name="attempt"/> (1-based), with ±20% jitter.</summary>
    internal TimeSpan Backoff(int attempt, Jitter random)
    {
        var exp = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exp, MaxDelay.TotalMilliseconds);
        var jitter = 0.8 + (random.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }
}

/// <summary>Policy for facts whose delivery is uncertain after a crash.</summary>
public enum UncertainPolicy
{
    /// <summary>Do not resend; surface the record in the dead lane.</summary>
    Skip,
    /// <summary>Send again (a duplicate is possible).</summary>
    Resend,
}
