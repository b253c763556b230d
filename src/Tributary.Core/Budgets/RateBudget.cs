namespace Tributary.Core.Budgets;

/// <summary>
/// One request budget per platform account, shared by every lane: a token bucket refilled at the published limit (with
/// headroom), which a rate-limited answer pauses until the platform's reset time. A share of the bucket is reserved for the
/// real-time lane: the bulk lane (sweeps, backfills, heals) only takes a token while more than the reserve is left, so a
/// notification's delivery never queues behind a backlog — it finds the reserve at once, and refills go to the reserve first.
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
    private readonly double _reserve;
    private long _granted;
    private long _throttledEvents;
    private long _grantedRealtime;

    /// <summary>Creates a budget of <paramref name="requestsPerMinute"/> with the given burst capacity (null or 0 means unlimited).</summary>
    public RateBudget(string name, int? requestsPerMinute, TimeProvider time, int? burst = null)
        : this(name, requestsPerMinute, time, burst, realtimeReserve: 0)
    {
    }

    /// <summary>
    /// Creates a budget whose <paramref name="realtimeReserve"/> share (0 to 0.9 of the burst capacity) only the real-time lane
    /// may use.
    /// </summary>
    public RateBudget(string name, int? requestsPerMinute, TimeProvider time, int? burst, double realtimeReserve)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(realtimeReserve, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(realtimeReserve, 0.9);
        RealtimeReserve = realtimeReserve;
        Name = name;
        _time = time;
        RequestsPerMinute = requestsPerMinute is > 0 ? requestsPerMinute : null;
        if (RequestsPerMinute is { } rpm)
        {
            _perSecond = rpm / 60.0;
            // A burst of a sixth of a minute keeps the average inside the limit even for leaky-bucket enforcement.
            _capacity = Math.Max(1, burst ?? Math.Max(1, rpm / 6));
            _tokens = _capacity;
            // The bulk lane must still be able to take a whole token out of a full bucket.
            _reserve = Math.Min(_capacity * realtimeReserve, _capacity - 1);
        }

        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Name for logs and metrics.</summary>
    public string Name { get; }

    /// <summary>The configured limit; null when unlimited.</summary>
    public int? RequestsPerMinute { get; }

    /// <summary>Permits granted since start.</summary>
    public long Granted => Interlocked.Read(ref _granted);

    /// <summary>Permits granted to the real-time lane since start.</summary>
    public long GrantedRealtime => Interlocked.Read(ref _grantedRealtime);

    /// <summary>How many times the platform answered "rate limited".</summary>
    public long ThrottledEvents => Interlocked.Read(ref _throttledEvents);

    /// <summary>The share of the burst capacity only the real-time lane may use (0 to 0.9).</summary>
    public double RealtimeReserve { get; }

    /// <summary>Tokens held back for the real-time lane (0 when unlimited).</summary>
    public double ReservedTokens => _reserve;

    /// <summary>Waits for a permit with the whole capacity (the real-time lane, and callers that have no lanes).</summary>
    public ValueTask AcquireAsync(CancellationToken cancellationToken) => AcquireAsync(BudgetLane.Realtime, cancellationToken);

    /// <summary>Waits for a permit for <paramref name="lane"/>: the bulk lane never takes the real-time reserve.</summary>
    public async ValueTask AcquireAsync(BudgetLane lane, CancellationToken cancellationToken)
    {
        var floor = lane == BudgetLane.Bulk ? _reserve : 0;
        while (true)
        {
            var wait = TryTake(floor);
            if (wait <= TimeSpan.Zero)
            {
                Interlocked.Increment(ref _granted);
                if (lane == BudgetLane.Realtime)
                {
                    Interlocked.Increment(ref _grantedRealtime);
                }

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

    private TimeSpan TryTake(double floor)
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
            if (_tokens >= 1 + floor)
            {
                _tokens -= 1;
                return TimeSpan.Zero;
            }

            // At least a millisecond: a wait that rounds to zero would hand out a permit without taking a token.
            return TimeSpan.FromSeconds(Math.Max((1 + floor - _tokens) / _perSecond, 0.001));
        }
    }
}

/// <summary>Which lane asks for a permit.</summary>
public enum BudgetLane
{
    /// <summary>Notification-driven delivery: may use the whole budget, including the reserve.</summary>
    Realtime,
    /// <summary>Sweeps, backfills, heals and retries: everything but the reserve.</summary>
    Bulk,
}
