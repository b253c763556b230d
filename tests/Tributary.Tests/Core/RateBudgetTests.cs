using Tributary.Core.Budgets;

namespace Tributary.Tests.Core;

[Unit]
public class RateBudgetTests
{
    [Fact]
    public async Task AcquireAsync_BurstUsed_NextPermitWaitsForRefill()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var budget = new RateBudget("test", 60, clock, burst: 2);

        await budget.AcquireAsync(CancellationToken.None);
        await budget.AcquireAsync(CancellationToken.None);
        var third = budget.AcquireAsync(CancellationToken.None).AsTask();

        third.IsCompleted.ShouldBeFalse();
        budget.Granted.ShouldBe(2);
        clock.Advance(TimeSpan.FromSeconds(1));
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        budget.Granted.ShouldBe(3);
    }

    [Fact]
    public void PauseUntil_RateLimitedAnswer_IsCounted()
    {
        var budget = new RateBudget("test", 1000, TimeProvider.System);

        budget.PauseUntil(TimeProvider.System.GetUtcNow().AddMilliseconds(1));

        budget.ThrottledEvents.ShouldBe(1);
    }

    [Fact]
    public async Task AcquireAsync_Unlimited_NeverWaits()
    {
        var budget = new RateBudget("test", null, TimeProvider.System);
        for (var i = 0; i < 10_000; i++)
        {
            await budget.AcquireAsync(CancellationToken.None);
        }

        budget.Granted.ShouldBe(10_000);
    }

    [Fact]
    public async Task AcquireAsync_BulkLane_LeavesTheRealtimeReserve()
    {
        var budget = new RateBudget("test", 60, TimeProvider.System, burst: 10, realtimeReserve: 0.2);
        budget.ReservedTokens.ShouldBe(2);
        for (var i = 0; i < 8; i++)
        {
            (await Completed(budget.AcquireAsync(BudgetLane.Bulk, CancellationToken.None))).ShouldBeTrue($"bulk permit {i + 1} of 8");
        }

        using var cancel = new CancellationTokenSource();
        var ninthBulk = budget.AcquireAsync(BudgetLane.Bulk, cancel.Token).AsTask();
        var realtime1 = budget.AcquireAsync(BudgetLane.Realtime, CancellationToken.None);
        var realtime2 = budget.AcquireAsync(BudgetLane.Realtime, CancellationToken.None);

        realtime1.IsCompletedSuccessfully.ShouldBeTrue("the real-time lane finds the reserve at once");
        realtime2.IsCompletedSuccessfully.ShouldBeTrue();
        ninthBulk.IsCompleted.ShouldBeFalse("the bulk lane may not take the reserve");
        budget.GrantedRealtime.ShouldBe(2);
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(ninthBulk);
    }

    [Fact]
    public async Task AcquireAsync_BothLanesWaiting_RefillGoesToRealtimeFirst()
    {
        // 2 permits a second, a burst of 5 with 2 reserved: when empty, real time waits half a second, bulk a second and a half.
        var budget = new RateBudget("test", 120, TimeProvider.System, burst: 5, realtimeReserve: 0.4);
        for (var i = 0; i < 5; i++)
        {
            await budget.AcquireAsync(BudgetLane.Realtime, CancellationToken.None);
        }

        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var bulk = Enumerable.Range(0, 3).Select(async i =>
        {
            await budget.AcquireAsync(BudgetLane.Bulk, CancellationToken.None);
            order.Enqueue($"bulk{i}");
        }).ToList();
        var realtime = Task.Run(async () =>
        {
            await budget.AcquireAsync(BudgetLane.Realtime, CancellationToken.None);
            order.Enqueue("realtime");
        });

        await Task.WhenAll(bulk.Append(realtime)).WaitAsync(TimeSpan.FromSeconds(30));
        order.First().ShouldBe("realtime");
        budget.Granted.ShouldBe(9);
    }

    [Fact]
    public async Task AcquireAsync_BurstOfOne_BulkLaneStillServed()
    {
        var budget = new RateBudget("test", 6000, TimeProvider.System, burst: 1, realtimeReserve: 0.5);

        budget.ReservedTokens.ShouldBe(0);
        await budget.AcquireAsync(BudgetLane.Bulk, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        budget.Granted.ShouldBe(1);
    }

    [Fact]
    public void Constructor_ReserveAboveNinetyPercent_Refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new RateBudget("test", 60, TimeProvider.System, burst: null, realtimeReserve: 0.95));
    }

    private static async Task<bool> Completed(ValueTask acquire)
    {
        var done = acquire.IsCompletedSuccessfully;
        await acquire;
        return done;
    }
}
