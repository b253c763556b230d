using Tributary.Core.Budgets;

namespace Tributary.Tests.Core;

public class RateBudgetTests
{
    [Fact]
    public async Task AcquireAsync_BurstUsed_NextPermitWaitsForRefill()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var budget = new RateBudget("test", 60, clock, burst: 2);

        await budget.AcquireAsync(CancellationToken.None);
        await budget.AcquireAsync(CancellationToken.None);
        var third = budget.AcquireAsync(CancellationToken.None).AsTask();

        third.IsCompleted.ShouldBeFalse();
        budget.Granted.ShouldBe(2);
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
}
