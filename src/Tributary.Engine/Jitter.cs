namespace Tributary.Engine;

/// <summary>
/// Random spread for retry and rate-limit waits, one per delivery worker. A worker's calls finish on pool threads side by
/// side and <see cref="Random"/> is not thread-safe (concurrent use can leave it returning zeros), so draws are locked; a
/// seed (<see cref="RetryOptions.JitterSeed"/>) makes the waits repeatable in tests.
/// </summary>
internal sealed class Jitter
{
    private readonly Random _random;
    private readonly object _gate = new();

    public Jitter(int? seed) => _random = seed is { } s ? new Random(s) : new Random();

    /// <summary>A number in [0, 1).</summary>
    public double NextDouble()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public int Next(int min, int max)
    {
        lock (_gate)
        {
            return _random.Next(min, max);
        }
    }
}
