namespace Tributary.Sandbox.Centra;

/// <summary>
/// The request-count bucket of the short window: a token bucket of <c>RequestsPerWindow</c> refilled evenly over the window,
/// shared by every caller of the environment, as Centra describes its buckets.
/// </summary>
internal sealed class CentraRateLimiter(CentraEmulatorOptions options, TimeProvider time)
{
    private readonly object _gate = new();
    private double _tokens = -1;
    private DateTimeOffset _updated;
    private long _hourStartTicks;
    private long _hourUsed;

    /// <summary>Takes a permit; on refusal returns when the next one is available.</summary>
    public (bool Allowed, DateTimeOffset RetryAt) TryTake()
    {
        var quota = options.RequestsPerWindow;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            CountHour(now);
            if (quota <= 0)
            {
                return (true, now);
            }

            var perSecond = quota / Math.Max(0.001, options.RateWindow.TotalSeconds);
            _tokens = _tokens < 0 ? quota : Math.Min(quota, _tokens + (Math.Max(0, (now - _updated).TotalSeconds) * perSecond));
            _updated = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return (true, now);
            }

            return (false, now.AddSeconds((1 - _tokens) / perSecond));
        }
    }

    /// <summary>Used and remaining permits of the short window and of the hour, for <c>rateLimits</c>.</summary>
    public (long Used, long Remaining, long HourUsed) Snapshot()
    {
        lock (_gate)
        {
            var quota = options.RequestsPerWindow;
            var remaining = _tokens < 0 ? quota : (long)Math.Floor(_tokens);
            return (quota - remaining, remaining, _hourUsed);
        }
    }

    private void CountHour(DateTimeOffset now)
    {
        var hour = now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerHour);
        if (hour != _hourStartTicks)
        {
            _hourStartTicks = hour;
            _hourUsed = 0;
        }

        _hourUsed++;
    }
}
