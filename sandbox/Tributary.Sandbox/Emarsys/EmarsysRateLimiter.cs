namespace Tributary.Sandbox.Emarsys;

/// <summary>Token bucket per API user, refilled continuously at the configured requests per minute.</summary>
internal sealed class EmarsysRateLimiter
{
    private readonly EmarsysEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public EmarsysRateLimiter(EmarsysEmulatorOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Takes one permit for <paramref name="user"/>; null when the limiter is off.</summary>
    public RateDecision? TryTake(string user)
    {
        var limit = _options.RequestsPerMinute;
        if (limit <= 0)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var perSecond = limit / 60.0;
        lock (_gate)
        {
            if (!_buckets.TryGetValue(user, out var bucket))
            {
                bucket = new Bucket { Tokens = limit, Updated = now };
                _buckets[user] = bucket;
            }

            var elapsed = Math.Max(0, (now - bucket.Updated).TotalSeconds);
            bucket.Tokens = Math.Min(limit, bucket.Tokens + (elapsed * perSecond));
            bucket.Updated = now;
            var allowed = bucket.Tokens >= 1;
            if (allowed)
            {
                bucket.Tokens -= 1;
            }

            // Reset: when the next permit is available after a refusal, when the bucket is full again otherwise.
            var secondsToReset = allowed ? (limit - bucket.Tokens) / perSecond : (1 - bucket.Tokens) / perSecond;
            var reset = now.AddSeconds(Math.Max(1, Math.Ceiling(secondsToReset))).ToUnixTimeSeconds();
            return new RateDecision(allowed, limit, (int)Math.Floor(bucket.Tokens), reset);
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public DateTimeOffset Updated { get; set; }
    }
}

/// <summary>Outcome of one permit request.</summary>
internal readonly record struct RateDecision(bool Allowed, int Limit, int Remaining, long ResetEpochSeconds);
