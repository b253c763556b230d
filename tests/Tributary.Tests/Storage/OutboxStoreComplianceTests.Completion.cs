using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

public abstract partial class OutboxStoreComplianceTests
{
    [Fact]
    public async Task CompleteAsync_Accepted_MergesChangesIntoDeliveredStateAndRemovesRow()
    {
        await StageAsync(Entry("c1", fields: Fields(("1", "Ann"), ("2", "Lee"), ("3", "ann@example.com"))));
        await Store.CompleteAsync([Sent(await LeaseOneAsync("c1"))], Ct);

        var projection = Fields(("1", "Anna"), ("3", "ann@example.com"), ("4", "SE"));
        var changes = Fields(("1", "Anna"), ("2", null), ("4", "SE"));
        await StageAsync(Entry("c1", fields: projection, changes: changes, version: 9));
        await Store.CompleteAsync([Sent(await LeaseOneAsync("c1"), at: T0.AddMinutes(3))], Ct);

        var delivered = (await DeliveredAsync("c1")).ShouldNotBeNull();
        delivered.Fields.ShouldBe(projection, ignoreOrder: true);
        delivered.Hash.ShouldBe(FieldDiff.Hash(projection));
        delivered.SourceVersion.ShouldBe(9);
        delivered.DeliveredAt.ShouldBe(T0.AddMinutes(3));
        (await OutboxAsync("c1")).ShouldBeNull();
    }

    [Fact]
    public async Task CompleteAsync_RestagedWhileInFlight_NewRevisionSurvivesAndIsLeasable()
    {
        await StageAsync(Entry("c1", fields: Fields(("1", "Ann"))));
        var inFlight = await LeaseOneAsync("c1");
        var newer = Fields(("1", "Anna"));
        await StageAsync(Entry("c1", fields: newer, version: 2));
        (await LeaseAsync()).ShouldBeEmpty("the key is still in flight");

        await Store.CompleteAsync([Sent(inFlight)], Ct);

        (await DeliveredAsync("c1")).ShouldNotBeNull().Fields.ShouldBe(Fields(("1", "Ann")));
        var next = (await LeaseAsync()).ShouldHaveSingleItem();
        next.Fields.ShouldBe(newer);
        next.Revision.ShouldBe(2);
        await Store.CompleteAsync([Sent(next)], Ct);
        (await DeliveredAsync("c1")).ShouldNotBeNull().Fields.ShouldBe(newer);
        (await OutboxAsync("c1")).ShouldBeNull();
    }

    [Fact]
    public async Task CompleteAsync_RejectedAfterRestage_LeavesNewRevisionPending()
    {
        await StageAsync(Entry("c1", fields: Fields(("1", "Ann"))));
        var inFlight = await LeaseOneAsync("c1");
        await StageAsync(Entry("c1", fields: Fields(("1", "Anna")), version: 2));

        await Store.CompleteAsync([Failed(inFlight, OutboxStatus.Dead, kind: FailureKind.Invalid, code: 400)], Ct);

        var row = (await OutboxAsync("c1")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Pending);
        row.Attempts.ShouldBe(0);
        row.Revision.ShouldBe(2);
        (await LeaseAsync()).ShouldHaveSingleItem();
        (await Store.GetAttemptsAsync(Emarsys, EntityKind.Customer, "c1", Ct)).ShouldHaveSingleItem().Outcome.ShouldBe("dead");
    }

    [Fact]
    public async Task CompleteAsync_Retry_MovesDueTimeCountsAttemptAndKeepsError()
    {
        await StageAsync(Entry("c1"));

        await Store.CompleteAsync([Failed(await LeaseOneAsync("c1"), OutboxStatus.Pending, next: T0.AddMinutes(1),
            kind: FailureKind.RateLimited, code: 429, message: "Too Many Requests")], Ct);

        var row = (await OutboxAsync("c1")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Pending);
        row.Attempts.ShouldBe(1);
        row.NextAttemptAt.ShouldBe(T0.AddMinutes(1));
        row.LastErrorKind.ShouldBe(FailureKind.RateLimited);
        row.LastStatusCode.ShouldBe(429);
        row.LastError.ShouldBe("Too Many Requests");
        (await LeaseAsync(T0.AddSeconds(59))).ShouldBeEmpty();
        (await LeaseAsync(T0.AddMinutes(1))).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task CompleteAsync_RetryOfARealtimeRow_GoesBackToTheBulkLane()
    {
        await StageAsync(Entry("c1") with { Lane = OutboxLane.Realtime });

        await Store.CompleteAsync([Failed(await LeaseOneAsync("c1"), OutboxStatus.Pending, next: T0.AddMinutes(1))], Ct);

        var row = (await OutboxAsync("c1")).ShouldNotBeNull();
        row.Lane.ShouldBe(OutboxLane.Bulk);
        row.NextAttemptAt.ShouldBe(T0.AddMinutes(1));
    }

    [Fact]
    public async Task CompleteAsync_RetriedThenDead_KeepsFullAttemptHistory()
    {
        await StageAsync(Entry("c1", version: 4));
        await Store.CompleteAsync([Failed(await LeaseOneAsync("c1"), OutboxStatus.Pending, at: T0.AddSeconds(1), next: T0.AddSeconds(30))], Ct);
        await Store.CompleteAsync([Failed(await LeaseOneAsync("c1", T0.AddSeconds(30)), OutboxStatus.Dead, at: T0.AddSeconds(31),
            kind: FailureKind.Invalid, code: 400, message: "2004: invalid email")], Ct);

        var row = (await OutboxAsync("c1")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Dead);
        row.Attempts.ShouldBe(2);
        row.LastError.ShouldBe("2004: invalid email");
        var attempts = await Store.GetAttemptsAsync(Emarsys, EntityKind.Customer, "c1", Ct);
        attempts.Select(a => a.Outcome).ShouldBe(["retry", "dead"]);
        attempts[0].At.ShouldBe(T0.AddSeconds(1));
        attempts[0].StatusCode.ShouldBe(503);
        attempts[0].ErrorKind.ShouldBe(FailureKind.Transient);
        attempts[1].Message.ShouldBe("2004: invalid email");
        attempts[1].RequestSummary.ShouldBe("contact a***@example.com");
        attempts[1].SourceVersion.ShouldBe(4);
        (await DeliveredAsync("c1")).ShouldBeNull();
    }

    [Fact]
    public async Task CompleteAsync_MixedBatch_AppliesEveryOutcome()
    {
        await StageAsync(Entry("ok"), Entry("retry"), Entry("bad"));
        var leased = (await LeaseAsync()).ToDictionary(e => e.Key);

        await Store.CompleteAsync([Sent(leased["ok"]), Failed(leased["retry"], OutboxStatus.Pending, next: T0.AddMinutes(1)),
            Failed(leased["bad"], OutboxStatus.Quarantined, kind: FailureKind.Invalid, code: 400, message: "bad email")], Ct);

        (await OutboxAsync("ok")).ShouldBeNull();
        (await DeliveredAsync("ok")).ShouldNotBeNull();
        (await OutboxAsync("retry")).ShouldNotBeNull().Attempts.ShouldBe(1);
        (await OutboxAsync("bad")).ShouldNotBeNull().Status.ShouldBe(OutboxStatus.Quarantined);
        (await DeliveredAsync("bad")).ShouldBeNull();
    }
}
