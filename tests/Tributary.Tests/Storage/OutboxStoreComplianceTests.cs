using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IOutboxStore"/> must have: staging (with the rules of restaging and versions), leasing by lane,
/// due time and enqueue order, completing, and durability across processes and restarts.
/// </summary>
[Storage]
public abstract partial class OutboxStoreComplianceTests(StoreHarness harness) : StoreComplianceTests(harness)
{
    [Fact]
    public async Task StageAsync_NewRow_IsPendingWithEverythingItWasGiven()
    {
        var fields = Fields(("3", "ann@example.com"), ("1", "Ann"), ("2", null));
        var changes = Fields(("3", "ann@example.com"));
        var entry = Entry("c1", due: T0.AddSeconds(5), fields: fields, changes: changes, version: 7, enqueued: T0);

        await StageAsync(entry);

        var row = (await OutboxAsync("c1")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Pending);
        row.Fields.ShouldBe(fields);
        row.Changes.ShouldBe(changes);
        row.Hash.ShouldBe(entry.Hash);
        row.SourceVersion.ShouldBe(7);
        row.SourceModifiedAt.ShouldBe(entry.SourceModifiedAt);
        row.NextAttemptAt.ShouldBe(T0.AddSeconds(5));
        row.EnqueuedAt.ShouldBe(T0);
        row.Attempts.ShouldBe(0);
        row.Revision.ShouldBe(1);
        row.LastError.ShouldBeNull();
        row.WaitingOn.ShouldBeNull();
    }

    [Fact]
    public async Task StageAsync_Restage_ReplacesRowBumpsRevisionAndStartsClean()
    {
        await StageAsync(Entry("c1", enqueued: T0));
        var leased = await LeaseOneAsync("c1");
        await Store.CompleteAsync([Failed(leased, OutboxStatus.Pending, next: T0.AddMinutes(10))], Ct);

        var newer = Fields(("3", "c1@example.com"), ("1", "Anna"));
        await StageAsync(Entry("c1", due: T0.AddMinutes(1), fields: newer, version: 2, enqueued: T0.AddMinutes(1)));

        var row = (await OutboxAsync("c1")).ShouldNotBeNull();
        row.Fields.ShouldBe(newer);
        row.Hash.ShouldBe(FieldDiff.Hash(newer));
        row.SourceVersion.ShouldBe(2);
        row.Revision.ShouldBe(2);
        row.Status.ShouldBe(OutboxStatus.Pending);
        row.Attempts.ShouldBe(0);
        row.NextAttemptAt.ShouldBe(T0.AddMinutes(1));
        row.LastError.ShouldBeNull();
        row.LastErrorKind.ShouldBeNull();
        row.LastStatusCode.ShouldBeNull();
        row.EnqueuedAt.ShouldBe(T0, "a row keeps its first enqueue time");
        (await Store.CountLanesAsync(Ct)).Sum(c => c.Count).ShouldBe(1, "one row per destination × entity × key");
    }

    [Fact]
    public async Task StageAsync_SameProjectionOnRetryingRow_KeepsBackoffAndAttempts()
    {
        await StageAsync(Entry("c1"));
        var leased = await LeaseOneAsync("c1");
        await Store.CompleteAsync([Failed(leased, OutboxStatus.Pending, next: T0.AddMinutes(10))], Ct);

        await StageAsync(Entry("c1", due: T0.AddMinutes(2)));

        var row = (await OutboxAsync("c1")).ShouldNotBeNull();
        row.Attempts.ShouldBe(1);
        row.NextAttemptAt.ShouldBe(T0.AddMinutes(10));
        row.Revision.ShouldBe(1);
    }

    [Fact]
    public async Task StageAsync_SameProjectionOnDeadRow_LeavesItDead()
    {
        await StageAsync(Entry("c1"));
        var leased = await LeaseOneAsync("c1");
        await Store.CompleteAsync([Failed(leased, OutboxStatus.Dead, kind: FailureKind.Invalid, code: 400, message: "field 3 invalid")], Ct);

        await StageAsync(Entry("c1", due: T0.AddMinutes(2)));

        (await OutboxAsync("c1")).ShouldNotBeNull().Status.ShouldBe(OutboxStatus.Dead);
    }

    [Fact]
    public async Task StageAsync_RemovePending_RemovesOnlyPendingRows()
    {
        await StageAsync(Entry("pending"), Quarantined("bad", "email is not valid"));

        await Store.StageAsync(new StageBatch([], [(Emarsys, EntityKind.Customer, "pending", long.MaxValue), (Emarsys, EntityKind.Customer, "bad", long.MaxValue),
            (Emarsys, EntityKind.Customer, "absent", long.MaxValue)]), Ct);

        (await OutboxAsync("pending")).ShouldBeNull();
        (await OutboxAsync("bad")).ShouldNotBeNull().Status.ShouldBe(OutboxStatus.Quarantined);
    }

    [Fact]
    public async Task StageAsync_QuarantinedEntry_StoredWithReasonAndTraced()
    {
        await StageAsync(Quarantined("bad", "email is not valid"));

        var row = (await OutboxAsync("bad")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError.ShouldBe("email is not valid");
        row.LastErrorKind.ShouldBe(FailureKind.Invalid);
        (await LeaseAsync()).ShouldBeEmpty("a quarantined row is never leased");
        var attempt = (await Store.GetAttemptsAsync(Emarsys, EntityKind.Customer, "bad", Ct)).ShouldHaveSingleItem();
        attempt.Outcome.ShouldBe("quarantined");
        attempt.Message.ShouldBe("email is not valid");
    }

    [Fact]
    public async Task StageAsync_QuarantinedAgainForSameReason_TracedOnce()
    {
        await StageAsync(Quarantined("bad", "email is not valid"));
        await StageAsync(Quarantined("bad", "email is not valid"));

        (await Store.GetAttemptsAsync(Emarsys, EntityKind.Customer, "bad", Ct)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task StageAsync_PendingAfterQuarantine_ReplacesIt()
    {
        // A record quarantined at projection carries a hash of its reason, so a corrected record always differs from it.
        await StageAsync(Quarantined("c1", "unmapped status") with { Hash = "reason:unmapped status" });

        await StageAsync(Entry("c1"));

        var row = (await OutboxAsync("c1")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Pending);
        row.LastError.ShouldBeNull();
        (await LeaseAsync()).ShouldHaveSingleItem().Key.ShouldBe("c1");
    }

    [Fact]
    public async Task StageAsync_SameProjectionAsARowTheDestinationRefused_LeavesItQuarantined()
    {
        await StageAsync(Entry("c1"));
        var leased = await LeaseAsync();
        await Store.CompleteAsync([new DeliveryOutcome(leased.Single(), OutboxStatus.Quarantined, T0, Message: "2007: Invalid value")], Ct);

        await StageAsync(Entry("c1"));

        var row = (await OutboxAsync("c1")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError.ShouldBe("2007: Invalid value");
    }

    [Fact]
    public async Task StageAsync_BatchFailsHalfway_WritesNothing()
    {
        await StageAsync(Entry("existing"));
        var broken = Entry("broken") with { Key = null! };
        var batch = new StageBatch([Entry("c1"), broken], [(Emarsys, EntityKind.Customer, "existing", long.MaxValue)], "commercetools",
            EntityKind.Customer, "cursor-2");

        await Should.ThrowAsync<Exception>(() => Store.StageAsync(batch, Ct));

        (await OutboxAsync("c1")).ShouldBeNull();
        (await OutboxAsync("existing")).ShouldNotBeNull();
        (await Store.GetCursorAsync("commercetools", EntityKind.Customer, Ct)).ShouldBeNull();
    }

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

    [Fact]
    public async Task StageAsync_Lane_KeptOnTheRowAndReplacedByARestage()
    {
        await StageAsync(Entry("c1") with { Lane = OutboxLane.Realtime }, Entry("c2"));

        (await OutboxAsync("c1")).ShouldNotBeNull().Lane.ShouldBe(OutboxLane.Realtime);
        (await OutboxAsync("c2")).ShouldNotBeNull().Lane.ShouldBe(OutboxLane.Bulk);

        await StageAsync(Entry("c1", fields: Fields(("1", "Anna")), version: 2));
        await StageAsync(Entry("c2", fields: Fields(("1", "Bo")), version: 2) with { Lane = OutboxLane.Realtime });

        (await OutboxAsync("c1")).ShouldNotBeNull().Lane.ShouldBe(OutboxLane.Bulk);
        (await OutboxAsync("c2")).ShouldNotBeNull().Lane.ShouldBe(OutboxLane.Realtime);
    }
}
