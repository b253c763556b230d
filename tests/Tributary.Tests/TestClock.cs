using Microsoft.Extensions.Time.Testing;

namespace Tributary.Tests;

/// <summary>How a <see cref="TestClock"/> moves and when its timers fire.</summary>
public enum ClockMode
{
    /// <summary>Time moves only by <see cref="FakeTimeProvider.Advance"/> or <see cref="FakeTimeProvider.SetUtcNow"/>; a timer
    /// fires when the clock is moved past its due time, on the thread that moved it.</summary>
    Manual,

    /// <summary>Time jumps instead of waiting: a timer due within <see cref="TestClock.JumpLimit"/> moves the clock to its due
    /// time (plus <see cref="TestClock.JumpLateness"/>) and fires at once; later timers (request timeouts) never fire. With one
    /// caller at a time a minute-paced client and an emulator sharing the clock run in milliseconds of real time, with the
    /// same sequence of calls and times as a real run.</summary>
    Jump,

    /// <summary>Time moves only by hand, but timers and timestamps run on real time: for code that waits (retries, polling)
    /// while the test fixes what "now" reads.</summary>
    Wall,

    /// <summary>Time runs with the wall clock from the start (plus any advance), timers and timestamps on real time: a
    /// server whose clock is ahead of or behind this machine.</summary>
    Running,
}

/// <summary>
/// The suite's one fake clock. It is a <see cref="FakeTimeProvider"/> (so <c>Advance</c>/<c>SetUtcNow</c> and its timer
/// semantics are the library's in <see cref="ClockMode.Manual"/>), with the two other timer behaviours the suite needs:
/// jumping to a timer's due time, and real-time timers under a hand-set "now".
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    /// <summary>How late a jumped timer fires: real timers never fire early and usually a little late, and Task.Delay
    /// truncates to whole milliseconds, so firing exactly on time would leave callers a remainder no timer can express.</summary>
    public static readonly TimeSpan JumpLateness = TimeSpan.FromMilliseconds(1);

    private readonly object _jumpGate = new();
    private readonly long _wallStart = System.GetTimestamp();

    public TestClock(DateTimeOffset start, ClockMode mode = ClockMode.Manual)
        : base(start)
    {
        Mode = mode;

        // The product formats local times for people; the machine's zone is what a real run would use.
        SetLocalTimeZone(TimeZoneInfo.Local);
    }

    /// <summary>A clock running <paramref name="offset"/> ahead of this machine's (behind when negative).</summary>
    public static TestClock Offset(TimeSpan offset) => new(System.GetUtcNow() + offset, ClockMode.Running);

    public ClockMode Mode { get; }

    /// <summary>In <see cref="ClockMode.Jump"/>, timers due later than this never fire.</summary>
    public TimeSpan JumpLimit { get; init; } = TimeSpan.FromMinutes(5);

    public override DateTimeOffset GetUtcNow() =>
        Mode == ClockMode.Running ? base.GetUtcNow() + System.GetElapsedTime(_wallStart) : base.GetUtcNow();

    public override long GetTimestamp() => Mode is ClockMode.Wall or ClockMode.Running ? System.GetTimestamp() : base.GetTimestamp();

    public override long TimestampFrequency => Mode is ClockMode.Wall or ClockMode.Running ? System.TimestampFrequency : base.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => Mode switch
    {
        ClockMode.Manual => base.CreateTimer(callback, state, dueTime, period),
        ClockMode.Jump => new JumpTimer(this, callback, state, dueTime),
        _ => System.CreateTimer(callback, state, dueTime, period),
    };

    private void JumpTo(DateTimeOffset target)
    {
        lock (_jumpGate)
        {
            if (target > base.GetUtcNow())
            {
                SetUtcNow(target);
            }
        }
    }

    private sealed class JumpTimer : ITimer
    {
        private readonly TestClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private int _disposed;

        public JumpTimer(TestClock clock, TimerCallback callback, object? state, TimeSpan dueTime)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            Change(dueTime, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Volatile.Read(ref _disposed) == 1 || dueTime == Timeout.InfiniteTimeSpan || dueTime > _clock.JumpLimit)
            {
                return true;
            }

            _clock.JumpTo(_clock.GetUtcNow() + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime) + JumpLateness);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (Volatile.Read(ref _disposed) == 0)
                {
                    _callback(_state);
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
