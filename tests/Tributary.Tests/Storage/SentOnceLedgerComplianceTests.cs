using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>The behaviour every <see cref="ISentOnceLedger"/> must have.</summary>
[Storage]
public abstract class SentOnceLedgerComplianceTests(StoreHarness harness) : StoreComplianceTests(harness)
{
    [Fact]
    public async Task MarkIntendedAsync_SameKeyTwice_NewOnlyTheFirstTime()
    {
        (await Store.MarkIntendedAsync(["shipment:o1:s1"], T0, Ct)).ShouldBeEmpty();
        (await Store.MarkIntendedAsync(["shipment:o1:s1"], T0.AddSeconds(1), Ct)).ContainsKey("shipment:o1:s1").ShouldBeTrue();
        await Store.MarkSentAsync(["shipment:o1:s1"], T0.AddSeconds(2), Ct);
        (await Store.MarkIntendedAsync(["shipment:o1:s1"], T0.AddSeconds(3), Ct)).ContainsKey("shipment:o1:s1").ShouldBeTrue();
        (await Store.MarkIntendedAsync(["shipment:o1:s2"], T0, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task MarkIntendedAsync_IntendedNotSent_PriorStateIsUncertain()
    {
        await Store.MarkIntendedAsync(["refund:r1"], T0, Ct);

        var state = (await Store.MarkIntendedAsync(["refund:r1"], T0.AddSeconds(5), Ct)).ShouldHaveSingleItem().Value;

        state.LedgerKey.ShouldBe("refund:r1");
        state.IntendedAt.ShouldBe(T0);
        state.SentAt.ShouldBeNull();
        state.Uncertain.ShouldBeTrue();
    }

    [Fact]
    public async Task MarkSentAsync_Intended_RecordsSentTime()
    {
        await Store.MarkIntendedAsync(["refund:r1"], T0, Ct);

        await Store.MarkSentAsync(["refund:r1"], T0.AddSeconds(2), Ct);

        var prior = await Store.MarkIntendedAsync(["refund:r1", "refund:unknown"], T0.AddSeconds(3), Ct);
        var state = prior["refund:r1"];
        state.SentAt.ShouldBe(T0.AddSeconds(2));
        state.Uncertain.ShouldBeFalse();
        prior.ContainsKey("refund:unknown").ShouldBeFalse();
    }

    [Fact]
    public async Task MarkSentAsync_NeverIntended_RecordedAsSent()
    {
        await Store.MarkSentAsync(["event:e9"], T0, Ct);

        var state = (await Store.MarkIntendedAsync(["event:e9"], T0.AddSeconds(1), Ct)).ShouldHaveSingleItem().Value;
        state.SentAt.ShouldBe(T0);
        state.Uncertain.ShouldBeFalse();
    }

    [Fact]
    public async Task ReleaseIntentsAsync_Refused_CanBeIntendedAgainButASentKeyStaysSent()
    {
        await Store.MarkIntendedAsync(["line:o1:1", "line:o1:2"], T0, Ct);
        await Store.MarkSentAsync(["line:o1:2"], T0.AddSeconds(1), Ct);

        await Store.ReleaseIntentsAsync(["line:o1:1", "line:o1:2"], Ct);

        var prior = await Store.MarkIntendedAsync(["line:o1:1", "line:o1:2"], T0.AddSeconds(2), Ct);
        prior.ContainsKey("line:o1:1").ShouldBeFalse();
        prior["line:o1:2"].SentAt.ShouldBe(T0.AddSeconds(1));
    }
}
