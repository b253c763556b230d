using Tributary.Core.Budgets;

namespace Tributary.Connectors.Dotdigital;

/// <summary>The call-rate tiers of Dotdigital's tiered scheme; each has its own per-minute counter per account.</summary>
public enum DotdigitalCallTier
{
    /// <summary>Not limited (import status polls). Counted, never paced.</summary>
    Unlimited,

    /// <summary>Bulk imports and large reads (35 a minute on the Basic package).</summary>
    Low,

    /// <summary>Single-record writes and enrolments.</summary>
    Medium,

    /// <summary>Light reads (account-info, data fields, programs, one contact).</summary>
    High,
}

/// <summary>Calls made in one tier against its budget.</summary>
/// <param name="Tier">The tier.</param>
/// <param name="Calls">HTTP requests sent in the tier.</param>
/// <param name="PerMinute">The limit in force (configured, or learned from <c>X-RateLimit-Limit</c>); null when not paced.</param>
/// <param name="RateLimited">Answers that were 429.</param>
/// <param name="Pauses">Times the budget stopped before the limit because <c>X-RateLimit-Remaining</c> said the window was spent.</param>
public sealed record DotdigitalTierUsage(DotdigitalCallTier Tier, long Calls, int? PerMinute, long RateLimited, long Pauses);

/// <summary>
/// The account's call budget, one <see cref="RateBudget"/> per tier, drawn from by <see cref="DotdigitalRateLimitHandler"/> for every
/// HTTP request (polls and discovery included, not per delivery). It adapts to the answers: a tier's limit becomes the
/// <c>X-RateLimit-Limit</c> the platform reports, a window whose <c>X-RateLimit-Remaining</c> is spent pauses the tier until
/// <c>X-RateLimit-Reset</c>, and a 429 pauses it until <c>Retry-After</c> (else the reset, else 60 s).
/// </summary>
public sealed class DotdigitalCallBudget
{
    private readonly TimeProvider _time;
    private readonly bool _adapt;
    private readonly TierState[] _tiers;

    /// <summary>
    /// Creates the budget. <paramref name="lowPerMinute"/> paces the Low tier (0 = not paced); <paramref name="mediumPerMinute"/>
    /// and <paramref name="highPerMinute"/> default to it (the published figures are unconfirmed, so the lowest one is the safe
    /// start until the headers say more). <paramref name="adaptToHeaders"/> learns limits and pauses from the answers.
    /// </summary>
    public DotdigitalCallBudget(int lowPerMinute, int? mediumPerMinute, int? highPerMinute, TimeProvider time, bool adaptToHeaders = true)
    {
        _time = time;
        _adapt = adaptToHeaders;
        _tiers =
        [
            new TierState(DotdigitalCallTier.Unlimited, null, time),
            new TierState(DotdigitalCallTier.Low, lowPerMinute, time),
            new TierState(DotdigitalCallTier.Medium, mediumPerMinute ?? lowPerMinute, time),
            new TierState(DotdigitalCallTier.High, highPerMinute ?? lowPerMinute, time),
        ];
    }

    /// <summary>A budget that paces nothing and learns nothing (counts calls only).</summary>
    public static DotdigitalCallBudget Unpaced(TimeProvider time) => new(0, 0, 0, time, adaptToHeaders: false);

    /// <summary>Every HTTP request sent, all tiers.</summary>
    public long Calls => _tiers.Sum(t => Interlocked.Read(ref t.Calls));

    /// <summary>429 answers, all tiers.</summary>
    public long RateLimited => _tiers.Sum(t => Interlocked.Read(ref t.RateLimited));

    /// <summary>Calls, limit, 429s and pauses per tier.</summary>
    public IReadOnlyList<DotdigitalTierUsage> Usage() =>
        _tiers.Select(t => new DotdigitalTierUsage(t.Tier, Interlocked.Read(ref t.Calls), t.Budget.RequestsPerMinute,
            Interlocked.Read(ref t.RateLimited), Interlocked.Read(ref t.Pauses))).ToList();

    /// <summary>The usage of one tier.</summary>
    public DotdigitalTierUsage Usage(DotdigitalCallTier tier) => Usage()[(int)tier];

    /// <summary>The tier Dotdigital counts a request in, from its method and path (the same table the emulator uses).</summary>
    public static DotdigitalCallTier TierOf(HttpMethod method, Uri? uri)
    {
        var segments = (uri?.AbsolutePath ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var start = Array.FindIndex(segments, s => s is "contacts" or "insightData" or "v2");
        if (start < 0)
        {
            return DotdigitalCallTier.Medium;
        }

        var path = segments[start..];
        var isImport = path.Length >= 3 && path[2] == "import" && path[0] is "contacts" or "insightData";
        return (method.Method, path[0]) switch
        {
            ("PUT", _) when isImport && path.Length == 3 => DotdigitalCallTier.Low,
            ("GET", _) when isImport => DotdigitalCallTier.Unlimited,
            ("GET", _) => DotdigitalCallTier.High,
            _ => DotdigitalCallTier.Medium,
        };
    }

    /// <summary>Waits for a permit in the tier and counts the call.</summary>
    public async ValueTask AcquireAsync(DotdigitalCallTier tier, CancellationToken cancellationToken)
    {
        var state = _tiers[(int)tier];
        await state.Budget.AcquireAsync(cancellationToken);
        Interlocked.Increment(ref state.Calls);
        Interlocked.Increment(ref state.InFlight);
    }

    /// <summary>Learns from an answer: its limit, a spent window, a 429.</summary>
    public void Observe(DotdigitalCallTier tier, HttpResponseMessage? response)
    {
        var state = _tiers[(int)tier];
        var inFlight = Interlocked.Decrement(ref state.InFlight);
        if (response is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var rate = DotdigitalRateLimit.Read(response, now);
        // The platform names the tier that counted the call; trust it over the path table.
        var counted = rate?.Scope is { } scope ? TierOfScope(scope) ?? state : state;
        if ((int)response.StatusCode == 429)
        {
            Interlocked.Increment(ref counted.RateLimited);
            counted.Budget.PauseUntil(now + DotdigitalErrors.RateLimitWait(response, now));
            return;
        }

        if (!_adapt || rate is null || counted.Tier == DotdigitalCallTier.Unlimited)
        {
            return;
        }

        if (rate.Limit is > 0 and var limit && limit != counted.Budget.RequestsPerMinute)
        {
            counted.Replace(limit);
        }

        // Calls already on their way will spend what is left: stop before the window is gone rather than meet a 429.
        if (rate.Remaining is { } remaining && remaining <= Math.Max(0, inFlight) && rate.ResetAt is { } reset && reset > now)
        {
            Interlocked.Increment(ref counted.Pauses);
            counted.Budget.PauseUntil(reset);
        }
    }

    private TierState? TierOfScope(string scope) => scope.ToLowerInvariant() switch
    {
        "lowcallrate" => _tiers[(int)DotdigitalCallTier.Low],
        "mediumcallrate" => _tiers[(int)DotdigitalCallTier.Medium],
        "highcallrate" => _tiers[(int)DotdigitalCallTier.High],
        _ => null,
    };

    private sealed class TierState(DotdigitalCallTier tier, int? perMinute, TimeProvider time)
    {
        public long Calls;
        public long RateLimited;
        public long Pauses;
        public long InFlight;
        private volatile RateBudget _budget = New(tier, perMinute, time);

        public DotdigitalCallTier Tier { get; } = tier;

        public RateBudget Budget => _budget;

        public void Replace(int perMinute) => _budget = New(Tier, perMinute, time);

        // Even pacing (a burst of one): with fixed one-minute windows, a burst could spend a window early and meet its end.
        private static RateBudget New(DotdigitalCallTier tier, int? perMinute, TimeProvider time) =>
            new("dotdigital-" + tier.ToString().ToLowerInvariant(), perMinute is > 0 ? perMinute : null, time, burst: 1);
    }
}
