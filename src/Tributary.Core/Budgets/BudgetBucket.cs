namespace Tributary.Core.Budgets;

/// <summary>
/// The arithmetic of a token bucket kept in a state store and shared by several workers (<c>ICoordinationStore</c>), the same
/// as a local <see cref="RateBudget"/>: refilled by elapsed time at the per-minute rate up to the burst; a pause answers
/// "wait until it ends" whatever the tokens; a rate of 0 or less means unlimited. Times are unix milliseconds.
/// </summary>
public static class BudgetBucket
{
    /// <summary>A stored bucket: tokens left at <paramref name="UpdatedAt"/>, and the end of the last pause.</summary>
    /// <param name="Tokens">Tokens left.</param>
    /// <param name="UpdatedAt">When the tokens were counted (unix ms).</param>
    /// <param name="PausedUntil">End of the last pause (unix ms; 0 when never paused).</param>
    public readonly record struct State(double Tokens, long UpdatedAt, long PausedUntil);

    /// <summary>The burst, at least one request (a cost above it is charged as the whole burst, else it could never be granted).</summary>
    public static int Capacity(int burst) => Math.Max(1, burst);

    /// <summary>Refills the bucket to <paramref name="nowMs"/> and draws <paramref name="cost"/>: the state to store and
    /// <see cref="TimeSpan.Zero"/> when granted, otherwise the refilled state (nothing taken) and how long to wait.</summary>
    public static (State Next, TimeSpan Wait) Take(State state, int cost, int perMinute, int burst, long nowMs)
    {
        if (state.PausedUntil > nowMs)
        {
            return (state, TimeSpan.FromMilliseconds(state.PausedUntil - nowMs));
        }

        if (perMinute <= 0)
        {
            return (state, TimeSpan.Zero);
        }

        var capacity = Capacity(burst);
        var perMs = perMinute / 60_000.0;
        // A clock that went backwards (another worker's) refills nothing and does not move the bucket's time back.
        var elapsed = Math.Max(0, nowMs - state.UpdatedAt);
        var tokens = Math.Min(capacity, state.Tokens + (elapsed * perMs));
        var updated = Math.Max(nowMs, state.UpdatedAt);
        var need = Math.Min(Math.Max(cost, 1), capacity);
        if (tokens >= need)
        {
            return (new State(tokens - need, updated, state.PausedUntil), TimeSpan.Zero);
        }

        // At least a millisecond: a wait that rounds to zero would have the caller ask again at once.
        var waitMs = Math.Max(Math.Ceiling((need - tokens) / perMs), 1);
        return (new State(tokens, updated, state.PausedUntil), TimeSpan.FromMilliseconds(waitMs));
    }
}
