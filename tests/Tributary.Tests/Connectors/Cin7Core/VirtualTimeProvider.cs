namespace Tributary.Tests.Connectors.Cin7Core;

/// <summary>
/// A clock that jumps instead of waiting: a timer due within <see cref="AutoAdvanceLimit"/> moves the clock to its due time and
/// fires at once; later timers (request timeouts) never fire. With one caller at a time this runs a minute-paced client and
/// an emulator sharing the clock in milliseconds of real time, with the same sequence of calls and times as a real run.
/// </summary>
public sealed class VirtualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    /// <summary>How late every timer fires.</summary>
    public static readonly TimeSpan Lateness = TimeSpan.FromMilliseconds(1);

    /// <summary>Timers due later than this never fire.</summary>
    public TimeSpan AutoAdvanceLimit { get; init; } = TimeSpan.FromMinutes(5);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void AdvanceTo(long ticks)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _ticks);
            if (ticks <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _ticks, ticks, current) != current);
    }

    private sealed class Timer(VirtualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Volatile.Read(ref _disposed) == 1 || dueTime == Timeout.InfiniteTimeSpan || dueTime > clock.AutoAdvanceLimit)
            {
                return true;
            }

            // Real timers never fire early and usually a little late; Task.Delay also truncates to whole milliseconds. Firing
            // exactly on time would leave callers a sub-millisecond remainder to wait for, which no timer can express.
            clock.AdvanceTo(clock.GetUtcNow().UtcTicks + Math.Max(0, dueTime.Ticks) + Lateness.Ticks);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (Volatile.Read(ref _disposed) == 0)
                {
                    callback(state);
                }
            });
            return true;
        }

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
