using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine.Alerts;

namespace Tributary.Tests.Engine.Alerts;

[Unit]
public sealed class AlertEvaluatorTests
{
    private static readonly Dictionary<string, long> NoThrottles = new() { ["emarsys"] = 0 };

    private static AlertSnapshot Snapshot(long pending = 0, long delivered = 0, long failed = 0, long quarantined = 0,
        long throttles = 0, string? refusal = null, long trips = 0) =>
        new("shop", [
            new LaneCount("emarsys", EntityKind.Customer, OutboxStatus.Pending, pending),
            new LaneCount("emarsys", EntityKind.Customer, OutboxStatus.Quarantined, quarantined),
        ], delivered, failed, 0, new Dictionary<string, long> { ["emarsys"] = throttles }, trips, refusal);

    [Fact]
    public void Evaluate_NothingDeliveredWhileRecordsWait_FiresOnceAndRecoversOnce()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var evaluator = new AlertEvaluator(new AlertOptions { Freshness = TimeSpan.FromMinutes(30) }, clock);
        var notices = new List<AlertNotice>();

        notices.AddRange(evaluator.Evaluate(Snapshot(pending: 10, delivered: 100)));
        for (var minute = 0; minute < 120; minute += 5)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            notices.AddRange(evaluator.Evaluate(Snapshot(pending: 10, delivered: 100)));
        }

        notices.Count.ShouldBe(1);
        notices[0].State.ShouldBe(AlertState.Firing);
        notices[0].Key.ShouldBe("freshness:shop");
        notices[0].At.ShouldBe(new DateTimeOffset(2026, 3, 1, 8, 30, 0, TimeSpan.Zero));
        evaluator.Open.Count.ShouldBe(1);

        for (var round = 0; round < 10; round++)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            notices.AddRange(evaluator.Evaluate(Snapshot(pending: 0, delivered: 110 + round)));
        }

        notices.Count.ShouldBe(2);
        notices[1].State.ShouldBe(AlertState.Recovered);
        notices[1].Key.ShouldBe("freshness:shop");
        evaluator.Open.ShouldBeEmpty();
    }

    [Fact]
    public void Evaluate_QuietShopWithNothingWaiting_NeverFires()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var evaluator = new AlertEvaluator(new AlertOptions(), clock);
        for (var hour = 0; hour < 48; hour++)
        {
            evaluator.Evaluate(Snapshot(delivered: 5)).ShouldBeEmpty();
            clock.Advance(TimeSpan.FromHours(1));
        }
    }

    [Fact]
    public void Evaluate_FailureRateAboveThreshold_FiresThenRecoversWhenDeliveriesSucceed()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var evaluator = new AlertEvaluator(new AlertOptions { FailureRate = 0.2, MinOutcomes = 50, Window = TimeSpan.FromMinutes(30) }, clock);
        evaluator.Evaluate(Snapshot(delivered: 0, failed: 0)).ShouldBeEmpty();
        clock.Advance(TimeSpan.FromMinutes(5));
        // 10 failures of 40 outcomes: too few outcomes to judge.
        evaluator.Evaluate(Snapshot(delivered: 30, failed: 10)).ShouldBeEmpty();
        clock.Advance(TimeSpan.FromMinutes(5));
        var fired = evaluator.Evaluate(Snapshot(delivered: 60, failed: 40));
        fired.Select(n => (n.Key, n.State)).ShouldBe([("failure-rate:shop", AlertState.Firing)]);

        // Half an hour of clean deliveries pushes the failures out of the window.
        var later = new List<AlertNotice>();
        for (var i = 1; i <= 8; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            later.AddRange(evaluator.Evaluate(Snapshot(delivered: 60 + (i * 100), failed: 40)));
        }

        later.Select(n => (n.Key, n.State)).ShouldBe([("failure-rate:shop", AlertState.Recovered)]);
    }

    [Fact]
    public void Evaluate_QuarantineGrowthAndBudgetAndFeedGuard_EachItsOwnRootCause()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var evaluator = new AlertEvaluator(new AlertOptions { LaneGrowth = 50, BudgetThrottles = 10, Window = TimeSpan.FromHours(1) }, clock);
        evaluator.Evaluate(Snapshot(delivered: 1, quarantined: 5)).ShouldBeEmpty();
        clock.Advance(TimeSpan.FromMinutes(10));

        var fired = evaluator.Evaluate(Snapshot(delivered: 2, quarantined: 80, throttles: 12, refusal: "refused: 10 items against 100", trips: 1));
        fired.Select(n => n.Key).Order().ShouldBe(["budget:shop:emarsys", "feed-guard:shop", "quarantined:shop:emarsys"]);
        fired.ShouldAllBe(n => n.State == AlertState.Firing);
        fired.Single(n => n.Key.StartsWith("quarantined", StringComparison.Ordinal)).Detail.ShouldContain("75 new quarantined");

        clock.Advance(TimeSpan.FromMinutes(10));
        evaluator.Evaluate(Snapshot(delivered: 3, quarantined: 81, throttles: 12, refusal: "refused again", trips: 2)).ShouldBeEmpty();

        clock.Advance(TimeSpan.FromMinutes(10));
        var served = evaluator.Evaluate(Snapshot(delivered: 4, quarantined: 81, throttles: 12, trips: 2));
        served.Select(n => (n.Key, n.State)).ShouldBe([("feed-guard:shop", AlertState.Recovered)]);

        clock.Advance(TimeSpan.FromHours(2));
        var calm = evaluator.Evaluate(Snapshot(delivered: 5, quarantined: 81, throttles: 12, trips: 2));
        calm.Select(n => n.Key).Order().ShouldBe(["budget:shop:emarsys", "quarantined:shop:emarsys"]);
        calm.ShouldAllBe(n => n.State == AlertState.Recovered);
    }
}
