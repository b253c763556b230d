using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>The behaviour every <see cref="IInboxStore"/> must have.</summary>
[Storage]
public abstract class InboxStoreComplianceTests(StoreHarness harness) : StoreComplianceTests(harness)
{
    [Fact]
    public async Task TryAddInboxAsync_SameMessageIdTwice_StoredOnce()
    {
        (await Store.TryAddInboxAsync(Message("m1", "c1"), Ct)).ShouldBeTrue();

        (await Store.TryAddInboxAsync(Message("m1", "c1", T0.AddSeconds(1)), Ct)).ShouldBeFalse();

        var pending = (await Store.PendingInboxAsync(10, Ct)).ShouldHaveSingleItem();
        pending.MessageId.ShouldBe("m1");
        pending.Source.ShouldBe("commercetools");
        pending.Entity.ShouldBe(EntityKind.Customer);
        pending.Key.ShouldBe("c1");
        pending.ReceivedAt.ShouldBe(T0);
        pending.Sequence.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task PendingInboxAsync_SeveralMessages_OldestFirstUpToMax()
    {
        foreach (var id in new[] { "m3", "m1", "m2" })
        {
            await Store.TryAddInboxAsync(Message(id, "k-" + id), Ct);
        }

        (await Store.PendingInboxAsync(2, Ct)).Select(m => m.MessageId).ShouldBe(["m3", "m1"]);
    }

    [Fact]
    public async Task CompleteInboxAsync_Processed_NoLongerPendingAndStillADuplicate()
    {
        await Store.TryAddInboxAsync(Message("m1", "c1"), Ct);
        await Store.TryAddInboxAsync(Message("m2", "c2"), Ct);
        var first = (await Store.PendingInboxAsync(1, Ct)).Single();

        await Store.CompleteInboxAsync([first.Sequence], T0.AddSeconds(5), Ct);
        await ReopenAsync();

        (await Store.PendingInboxAsync(10, Ct)).Select(m => m.MessageId).ShouldBe(["m2"]);
        (await Store.TryAddInboxAsync(Message("m1", "c1"), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task AddFeedPageAsync_Page_StoresItsHintsAndTheFeedCheckpoint()
    {
        await Store.TryAddInboxAsync(Message("m1", "c1"), Ct);

        var added = await Store.AddFeedPageAsync([Message("m1", "c1"), Message("m2", "c2")], "commercetools-messages",
            EntityKind.Customer, "page-2", Ct);
        await ReopenAsync();

        added.ShouldBe(1, "m1 was already in the inbox");
        (await Store.PendingInboxAsync(10, Ct)).Select(m => m.MessageId).ShouldBe(["m1", "m2"]);
        (await Store.GetCursorAsync("commercetools-messages", EntityKind.Customer, Ct)).ShouldBe("page-2");
    }

    [Fact]
    public async Task AddFeedPageAsync_AHintCannotBeStored_NeitherThePageNorItsCheckpointIs()
    {
        await Store.AddFeedPageAsync([Message("m1", "c1")], "commercetools-messages", EntityKind.Customer, "page-1", Ct);
        // The second hint breaks a NOT NULL constraint after the first was written: the transaction must take both back, and
        // the checkpoint with them, or a restart would resume after hints that were never stored.
        InboxMessage[] page = [Message("m2", "c2"), Message("m3", null!)];

        await Should.ThrowAsync<Exception>(() =>
            Store.AddFeedPageAsync(page, "commercetools-messages", EntityKind.Customer, "page-2", Ct));
        await ReopenAsync();

        (await Store.PendingInboxAsync(10, Ct)).Select(m => m.MessageId).ShouldBe(["m1"]);
        (await Store.GetCursorAsync("commercetools-messages", EntityKind.Customer, Ct)).ShouldBe("page-1");
    }

    [Fact]
    public async Task DeferInboxAsync_Deferred_NotDueUntilItsTimeAndNeverHoldsBackTheOnesBehindIt()
    {
        await Store.TryAddInboxAsync(Message("m1", "poison"), Ct);
        await Store.TryAddInboxAsync(Message("m2", "c2"), Ct);
        var poison = (await Store.DueInboxAsync(1, T0, Ct)).Single();

        await Store.DeferInboxAsync([poison.Sequence], T0.AddSeconds(30), "commercetools answered HTTP 503", Ct);
        await ReopenAsync();

        (await Store.DueInboxAsync(1, T0.AddSeconds(29), Ct)).Select(m => m.MessageId).ShouldBe(["m2"], "a deferred message takes no place in the batch");
        (await Store.PendingInboxAsync(10, Ct)).Select(m => m.MessageId).ShouldBe(["m1", "m2"], "deferred is still pending");
        var due = (await Store.DueInboxAsync(10, T0.AddSeconds(30), Ct)).Select(m => (m.MessageId, m.Attempts, m.LastError)).ToList();
        due.ShouldBe(new List<(string, int, string?)> { ("m1", 1, "commercetools answered HTTP 503"), ("m2", 0, null) });
    }

    [Fact]
    public async Task DeferInboxAsync_Again_CountsEveryTry_AndACompletedMessageStaysCompleted()
    {
        await Store.TryAddInboxAsync(Message("m1", "c1"), Ct);
        await Store.TryAddInboxAsync(Message("m2", "c2"), Ct);
        var (first, second) = ((await Store.DueInboxAsync(10, T0, Ct))[0], (await Store.DueInboxAsync(10, T0, Ct))[1]);

        await Store.DeferInboxAsync([first.Sequence], T0.AddSeconds(1), "one", Ct);
        await Store.DeferInboxAsync([first.Sequence], T0.AddSeconds(2), "two", Ct);
        await Store.CompleteInboxAsync([second.Sequence], T0, Ct);
        await Store.DeferInboxAsync([second.Sequence], T0.AddSeconds(2), "late", Ct);

        var pending = (await Store.PendingInboxAsync(10, Ct)).ShouldHaveSingleItem();
        pending.MessageId.ShouldBe("m1");
        pending.Attempts.ShouldBe(2);
        pending.LastError.ShouldBe("two");
        (await Store.DueInboxAsync(10, T0.AddSeconds(1), Ct)).ShouldBeEmpty();
    }
}
