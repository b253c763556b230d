namespace Tributary.Sandbox.Cin7Core;

/// <summary>
/// "60 calls per minute" as the strictest reading: at most <c>RequestsPerMinute</c> accepted calls in any 60-second span
/// (a sliding log), so a client that passes here also passes a per-clock-minute counter.
/// </summary>
internal sealed class Cin7CoreRateLimiter(Cin7CoreEmulatorOptions options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly object _gate = new();
    private readonly Queue<DateTimeOffset> _accepted = new();

    /// <summary>Takes a permit; false when the span already holds the limit.</summary>
    public bool TryTake()
    {
        var limit = options.RequestsPerMinute;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            while (_accepted.Count > 0 && _accepted.Peek() <= now - Window)
            {
                _accepted.Dequeue();
            }

            if (limit > 0 && _accepted.Count >= limit)
            {
                return false;
            }

            _accepted.Enqueue(now);
            return true;
        }
    }
}
