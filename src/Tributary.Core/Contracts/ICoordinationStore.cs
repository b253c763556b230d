namespace Tributary.Core.Contracts;

/// <summary>
/// What several worker processes share through the state database when Tributary runs scaled out: named leases (one
/// leader runs the scheduled sweeps across the cluster) and destination request budgets that every worker draws from.
/// A single-process installation uses the same calls and always wins.
/// </summary>
public interface ICoordinationStore
{
    /// <summary>
    /// Takes the lease <paramref name="name"/> for <paramref name="holder"/> until <paramref name="now"/> + <paramref name="ttl"/>
    /// when it is free, expired, or already held by the same holder (a renewal). Returns whether the holder now has it.
    /// </summary>
    Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives the lease up at once when <paramref name="holder"/> holds it; does nothing otherwise.</summary>
    Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken);

    /// <summary>The current holder of a lease that has not expired at <paramref name="now"/>, or null.</summary>
    Task<string?> GetLeaseHolderAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Draws <paramref name="cost"/> requests from the shared token bucket <paramref name="budget"/>, refilled at
    /// <paramref name="perMinute"/> with a burst of <paramref name="burst"/>. Returns <see cref="TimeSpan.Zero"/> when the
    /// requests were granted, otherwise how long to wait before asking again (nothing is taken then).
    /// </summary>
    Task<TimeSpan> TryTakeBudgetAsync(string budget, int cost, int perMinute, int burst, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Pauses the shared budget until <paramref name="until"/> (a platform said "rate limited" to one worker: all wait).</summary>
    Task PauseBudgetAsync(string budget, DateTimeOffset until, CancellationToken cancellationToken);
}
