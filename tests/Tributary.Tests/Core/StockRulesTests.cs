using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Tests.Core;

[Unit]
public class StockRulesTests
{
    private const string Sku = "SKU-1";

    /// <summary>Feeds the figures in order from nothing and returns every dedupe key fired, in order.</summary>
    private static List<string> Run(StockThresholds thresholds, params decimal[] series)
    {
        var state = StockState.Unknown;
        var keys = new List<string>();
        foreach (var ats in series)
        {
            var transition = StockRules.Transition(state, ats, thresholds);
            keys.AddRange(transition.Events.Select(e => e.DedupeKey(Sku)));
            state = transition.Next;
        }

        return keys;
    }

    [Fact]
    public void Transition_FirstObservation_SetsBaselineWithoutEvents()
    {
        var transition = StockRules.Transition(StockState.Unknown, 3, StockThresholds.Default);

        transition.Events.ShouldBeEmpty();
        transition.InStock.ShouldBeTrue();
        transition.Next.Ats.ShouldBe(3);
    }

    [Fact]
    public void Transition_ZeroTenZeroTen_FiresBackInStockTwiceWithDistinctKeys() =>
        Run(StockThresholds.Default, 0, 10, 0, 10).ShouldBe(["BackInStock:SKU-1:1", "BackInStock:SKU-1:2"]);

    [Fact]
    public void Transition_FlappingAroundBackInStockLine_FiresOnce() =>
        Run(StockThresholds.Default with { BackInStockAt = 3 }, 0, 2, 3, 2, 3, 1, 4, 2, 3)
            .ShouldBe(["BackInStock:SKU-1:1"]);

    [Fact]
    public void Transition_BelowBackInStockLine_DoesNotFireUntilReached()
    {
        var thresholds = StockThresholds.Default with { BackInStockAt = 3 };
        var outOfStock = StockRules.Transition(StockState.Unknown, 0, thresholds).Next;

        var partial = StockRules.Transition(outOfStock, 2, thresholds);
        partial.Events.ShouldBeEmpty();
        partial.InStock.ShouldBeFalse();

        var reached = StockRules.Transition(partial.Next, 3, thresholds);
        reached.Events.ShouldBe([new StockSignal(CommerceEventType.BackInStock, 1)]);
        reached.InStock.ShouldBeTrue();
    }

    [Fact]
    public void Transition_FlappingAroundLowStockLine_FiresOnce() =>
        Run(StockThresholds.Default, 10, 4, 5, 4, 6, 3, 5, 4).ShouldBe(["LowStock:SKU-1:1"]);

    [Fact]
    public void Transition_GradualDecline_FiresLowStockOnceBelowTheLine() =>
        Run(StockThresholds.Default, 9, 8, 7, 6, 5, 4, 3, 2, 1).ShouldBe(["LowStock:SKU-1:1"]);

    [Fact]
    public void Transition_LowStockAfterRecoveryAboveHysteresis_FiresAgainAsNextCrossing() =>
        Run(StockThresholds.Default, 10, 4, 7, 4, 6, 4).ShouldBe(["LowStock:SKU-1:1", "LowStock:SKU-1:2"]);

    [Fact]
    public void Transition_DropStraightToZero_IsNotLowStock() =>
        Run(StockThresholds.Default, 10, 0).ShouldBeEmpty();

    [Fact]
    public void Transition_RestockIntoLowBand_FiresBackInStockOnly() =>
        Run(StockThresholds.Default, 10, 0, 3).ShouldBe(["BackInStock:SKU-1:1"]);

    [Fact]
    public void Transition_ReplayOfSameChange_GivesSameKey()
    {
        var previous = new StockState(0, InStock: false, LowStockFired: true, BackInStockCrossings: 4, LowStockCrossings: 1);

        var first = StockRules.Transition(previous, 12, StockThresholds.Default);
        var replay = StockRules.Transition(previous, 12, StockThresholds.Default);

        first.Events.Select(e => e.DedupeKey(Sku)).ShouldBe(["BackInStock:SKU-1:5"]);
        replay.Next.ShouldBe(first.Next);
        replay.Events.ShouldBe(first.Events);
    }

    [Fact]
    public void FromFields_RoundTripsToFields()
    {
        var state = new StockState(2.5m, InStock: true, LowStockFired: true, BackInStockCrossings: 3, LowStockCrossings: 7);

        StockState.FromFields(state.ToFields()).ShouldBe(state);
        StockState.FromFields(null).ShouldBe(StockState.Unknown);
    }

    [Fact]
    public void Transition_StateSurvivesFieldStore_KeepsCountingCrossings()
    {
        var state = StockState.Unknown;
        var keys = new List<string>();
        foreach (var ats in new decimal[] { 0, 5, 0, 5 })
        {
            var transition = StockRules.Transition(StockState.FromFields(state.ToFields()), ats, StockThresholds.Default);
            keys.AddRange(transition.Events.Select(e => e.DedupeKey(Sku)));
            state = transition.Next;
        }

        keys.ShouldBe(["BackInStock:SKU-1:1", "BackInStock:SKU-1:2"]);
    }

    [Fact]
    public void Transition_FromPreviousAtsAndFlag_FiresBackInStockWhenLatchIsOff()
    {
        var transition = StockRules.Transition(previousAts: 2m, previouslyInStockState: false, newAts: 10, StockThresholds.Default);

        transition.Events.ShouldBe([new StockSignal(CommerceEventType.BackInStock, 1)]);
        transition.InStock.ShouldBeTrue();
    }

    [Fact]
    public void Transition_FromPreviousAtsAndFlag_InStockAlready_FiresNothing() =>
        StockRules.Transition(previousAts: 8m, previouslyInStockState: true, newAts: 10, StockThresholds.Default).Events.ShouldBeEmpty();

    [Fact]
    public void Transition_InvalidThresholds_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() =>
            StockRules.Transition(StockState.Unknown, 1, StockThresholds.Default with { BackInStockAt = 0 }));
}
