using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

public abstract partial class OutboxStoreComplianceTests
{
    [Fact]
    public async Task ReopenAsync_EverythingWritten_SurvivesClosingTheStore()
    {
        await Store.StageAsync(new StageBatch([Entry("c1"), Entry("c2"), Quarantined("bad", "email is not valid")], [],
            "commercetools", EntityKind.Customer, "cursor-1"), Ct);
        var leased = (await LeaseAsync()).ToDictionary(e => e.Key);
        await Store.CompleteAsync([Sent(leased["c1"]), Failed(leased["c2"], OutboxStatus.Dead, kind: FailureKind.Invalid, code: 400)], Ct);
        await Store.MarkIntendedAsync(["event:e1"], T0, Ct);

        await ReopenAsync();

        (await Store.GetCursorAsync("commercetools", EntityKind.Customer, Ct)).ShouldBe("cursor-1");
        (await DeliveredAsync("c1")).ShouldNotBeNull().Hash.ShouldBe(leased["c1"].Hash);
        (await OutboxAsync("c2")).ShouldNotBeNull().Status.ShouldBe(OutboxStatus.Dead);
        (await OutboxAsync("bad")).ShouldNotBeNull().LastError.ShouldBe("email is not valid");
        (await Store.GetAttemptsAsync(Emarsys, EntityKind.Customer, "c2", Ct)).ShouldHaveSingleItem();
        (await Store.MarkIntendedAsync(["event:e1"], T0, Ct)).ShouldHaveSingleItem().Value.Uncertain.ShouldBeTrue();
    }

    [Fact]
    public async Task StageAsync_CommittedThenStoreNeverClosed_SeenByTheNextStoreOnTheDatabase()
    {
        await StageAsync(Entry("c1"));
        await Store.SetCursorAsync("commercetools", EntityKind.Customer, "cursor-1", Ct);

        var next = await OpenAnotherAsync();

        (await next.GetOutboxAsync(Emarsys, EntityKind.Customer, "c1", Ct)).ShouldNotBeNull();
        (await next.GetCursorAsync("commercetools", EntityKind.Customer, Ct)).ShouldBe("cursor-1");
    }

    [Fact]
    public async Task StageAndComplete_ConcurrentTasks_NeverFailAndLastVersionWins()
    {
        const int stagers = 4;
        const int keysPerStager = 60;
        const int versions = 4;

        async Task StageAllAsync(int stager)
        {
            for (var version = 1; version <= versions; version++)
            {
                foreach (var chunk in Enumerable.Range(0, keysPerStager).Chunk(20))
                {
                    var entries = chunk.Select(i => Entry($"s{stager}-k{i}", fields: Fields(("3", $"s{stager}-k{i}@example.com"),
                        ("v", version.ToString(System.Globalization.CultureInfo.InvariantCulture))), version: version)).ToArray();
                    await Store.StageAsync(new StageBatch(entries, [], $"source-{stager}", EntityKind.Customer, $"v{version}"), Ct);
                    await Task.Yield();
                }
            }
        }

        var staging = Task.WhenAll(Enumerable.Range(0, stagers).Select(s => Task.Run(() => StageAllAsync(s), Ct)));

        async Task DeliverAllAsync()
        {
            while (true)
            {
                var stagingDone = staging.IsCompleted;
                var leased = await Store.LeaseDueAsync(Emarsys, EntityKind.Customer, T0, 25, TimeSpan.FromHours(1), Ct);
                if (leased.Count > 0)
                {
                    await Store.CompleteAsync(leased.Select(e => Sent(e)).ToList(), Ct);
                }
                else if (stagingDone && await Store.NextDueAsync(Emarsys, null, Ct) is null)
                {
                    return;
                }

                await Task.Yield();
            }
        }

        await Task.WhenAll(staging, Task.Run(DeliverAllAsync, Ct), Task.Run(DeliverAllAsync, Ct));

        (await Store.CountLanesAsync(Ct)).ShouldBeEmpty();
        var keys = Enumerable.Range(0, stagers).SelectMany(s => Enumerable.Range(0, keysPerStager).Select(i => $"s{s}-k{i}")).ToList();
        var delivered = await Store.GetDeliveredAsync(Emarsys, EntityKind.Customer, keys, Ct);
        delivered.Count.ShouldBe(keys.Count);
        delivered.Values.ShouldAllBe(d => d.Fields["v"] == "4" && d.SourceVersion == versions);
    }
}
