using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

public abstract partial class SyncStoreComplianceTests
{
    [Fact]
    public async Task StageAsync_OlderReadOfAPendingRecord_NeverReplacesTheNewerChange()
    {
        await StageAsync(Entry("c1", fields: Fields(("1", "Newer")), version: 5));

        await StageAsync(Entry("c1", fields: Fields(("1", "Older")), version: 4));

        var row = await Store.GetOutboxAsync(Emarsys, EntityKind.Customer, "c1", Ct);
        row!.SourceVersion.ShouldBe(5);
        row.Fields["1"].ShouldBe("Newer");
    }

    [Fact]
    public async Task StageAsync_RemovePendingFoundByAnOlderRead_KeepsTheNewerChange()
    {
        await StageAsync(Entry("c1", version: 5));

        await Store.StageAsync(new StageBatch([], [(Emarsys, EntityKind.Customer, "c1", 4)]), Ct);

        (await Store.GetOutboxAsync(Emarsys, EntityKind.Customer, "c1", Ct)).ShouldNotBeNull();
        await Store.StageAsync(new StageBatch([], [(Emarsys, EntityKind.Customer, "c1", 5)]), Ct);
        (await Store.GetOutboxAsync(Emarsys, EntityKind.Customer, "c1", Ct)).ShouldBeNull();
    }
}
