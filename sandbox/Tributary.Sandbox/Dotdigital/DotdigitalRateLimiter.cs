namespace Tributary.Sandbox.Dotdigital;

/// <summary>The call-rate tiers; each has its own per-minute counter per account.</summary>
internal enum DotdigitalTier
{
    /// <summary>Not counted (polling import status).</summary>
    Unlimited,
    /// <summary>Bulk imports and large reads.</summary>
    Low,
    /// <summary>Single-record writes and enrolments.</summary>
    Medium,
    /// <summary>Light reads.</summary>
    High,
}

/// <summary>Fixed one-minute windows per tier, as the tiered scheme counts calls per minute.</summary>
internal sealed class DotdigitalRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly DotdigitalEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<DotdigitalTier, (DateTimeOffset Start, int Used)> _windows = [];

    public DotdigitalRateLimiter(DotdigitalEmulatorOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Counts one call in the tier; null when the tier is not limited.</summary>
    public TierDecision? TryTake(DotdigitalTier tier)
    {
        var limit = tier switch
        {
            DotdigitalTier.Low => _options.LowTierPerMinute,
            DotdigitalTier.Medium => _options.MediumTierPerMinute,
            DotdigitalTier.High => _options.HighTierPerMinute,
            _ => 0,
        };
        if (limit <= 0)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_windows.TryGetValue(tier, out var window) || now - window.Start >= Window)
            {
                window = (now, 0);
            }

            var allowed = window.Used < limit;
            if (allowed)
            {
                window.Used++;
            }

            _windows[tier] = window;
            var reset = window.Start + Window;
            return new TierDecision(allowed, limit, limit - window.Used, reset, Scope(tier));
        }
    }

    public static string Scope(DotdigitalTier tier) => tier switch
    {
        DotdigitalTier.Low => "lowCallRate",
        DotdigitalTier.Medium => "mediumCallRate",
        _ => "highCallRate",
    };
}

/// <summary>Outcome of one call against a tier.</summary>
internal readonly record struct TierDecision(bool Allowed, int Limit, int Remaining, DateTimeOffset ResetAt, string Scope);
