namespace Tributary.Core.Budgets;

/// <summary>
/// One request budget per platform account, shared by every lane: a token bucket refilled at the published limit (with
/// headroom), which a rate-limited answer pauses until the platform's reset time.
/// </summary>
public sealed class RateBudget
{
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly double _capacity;
    private readonly double _perSecond;
    private double _tokens;
    private long _lastRefill;
    private DateTimeOffset _pausedUntil;
    private long _granted;
    private long _throttledEvents;

    /// <summary>Creates a budget of <paramref name="requestsPerMinute"/> with the given burst capacity (null or 0 means unlimited).</summary>
    public RateBudget(string name, int? requestsPerMinute, TimeProvider time, int? burst = null)
    {
        Name = name;
        _time = time;
        RequestsPerMinute = requestsPerMinute is > 0 ? requestsPerMinute : null;
        if (RequestsPerMinute is { } rpm)
        {
            _perSecond = rpm / 60.0;
            // A burst of a sixth of a minute keeps the average inside the limit even for leaky-bucket enforcement.
            _capacity = Math.Max(1, burst ?? Math.Max(1, rpm / 6));
            _tokens = _capacity;
        }

        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Name for logs and metrics.</summary>
    public string Name { get; }

    /// <summary>The configured limit; null when unlimited.</summary>
    public int? RequestsPerMinute { get; }

    /// <summary>Permits granted since start.</summary>
    public long Granted => Interlocked.Read(ref _granted);

    /// <summary>How many times the platform answered "rate limited".</summary>
    public long ThrottledEvents => Interlocked.Read(ref _throttledEvents);

    /// <summary>Waits for a permit.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = TryTake();
            if (wait <= TimeSpan.Zero)
            {
                Interlocked.Increment(ref _granted);
                return;
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pauses the budget after a rate-limited answer until <paramref name="until"/>.</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        Interlocked.Increment(ref _throttledEvents);
        lock (_gate)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }

            _tokens = 0;
        }
    }

    private TimeSpan TryTake()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now < _pausedUntil)
            {
                return _pausedUntil - now;
            }

            if (RequestsPerMinute is null)
            {
                return TimeSpan.Zero;
            }

            var ts = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_lastRefill, ts).TotalSeconds;
            _lastRefill = ts;
            _tokens = Math.Min(_capacity, _tokens + elapsed * _perSecond);
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return TimeSpan.Zero;
            }

            // At least a millisecond: a wait that rounds to zero would hand out a permit without taking a token.
            return TimeSpan.FromSeconds(Math.Max((1 - _tokens) / _perSecond, 0.001));
        }
    }
}
