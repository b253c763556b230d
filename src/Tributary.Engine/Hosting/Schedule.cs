namespace Tributary.Engine.Hosting;

/// <summary>Waiting on the injected clock for a moment that may already have passed.</summary>
internal static class Schedule
{
    /// <summary>
    /// Waits until <paramref name="due"/>. A due time in the past returns at once, so a round that ran long (or a test clock
    /// moved on before the wait began) starts the next round straight away instead of drifting by a whole interval.
    /// </summary>
    public static Task UntilAsync(DateTimeOffset due, TimeProvider time, CancellationToken cancellationToken)
    {
        var wait = due - time.GetUtcNow();
        return wait > TimeSpan.Zero ? Task.Delay(wait, time, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Like <see cref="UntilAsync"/>, but ends quietly when cancelled (the caller's loop checks the token).</summary>
    public static async Task QuietlyUntilAsync(DateTimeOffset due, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await UntilAsync(due, time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
