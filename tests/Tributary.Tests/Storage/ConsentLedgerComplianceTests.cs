using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IConsentLedger"/> must have: one answer per contact, channel, destination and side, never
/// replaced by an older one; addresses found by hash only; counts and conflicts as the dashboard shows them.
/// </summary>
[Storage]
public abstract class ConsentLedgerComplianceTests(StoreHarness harness) : StoreComplianceTests(harness)
{
    private static ConsentEntry Source(string contact, ConsentStatus status, DateTimeOffset? at, DateTimeOffset recorded) =>
        new(contact, ConsentChannels.Email, string.Empty, ConsentSide.Source, status, "commercetools:customer.custom.marketing", at, recorded);

    private static ConsentEntry Reported(string contact, string destination, ConsentStatus status, DateTimeOffset? at, DateTimeOffset recorded) =>
        new(contact, ConsentChannels.Email, destination, ConsentSide.Reported, status, "opt-out list", at, recorded);

    [Fact]
    public async Task RecordConsentAsync_OlderAnswerReadLater_DoesNotReplaceTheNewerOne()
    {
        await Store.RecordConsentAsync([Source("c1", ConsentStatus.Unsubscribed, T0.AddDays(2), T0)], Ct);
        await Store.RecordConsentAsync([Source("c1", ConsentStatus.Subscribed, T0.AddDays(1), T0.AddDays(3))], Ct);

        var entry = (await Store.GetConsentAsync(["c1"], Ct)).ShouldHaveSingleItem();
        entry.Status.ShouldBe(ConsentStatus.Unsubscribed);
        entry.At.ShouldBe(T0.AddDays(2));
    }

    [Fact]
    public async Task RecordConsentAsync_NewerAnswer_ReplacesAndKeepsEachSideApart()
    {
        await Store.RecordConsentAsync(
        [
            Source("c1", ConsentStatus.Subscribed, T0, T0),
            Reported("c1", Emarsys, ConsentStatus.Subscribed, null, T0),
            new("c1", ConsentChannels.Email, Emarsys, ConsentSide.Written, ConsentStatus.Subscribed, "field 31", null, T0),
        ], Ct);
        await Store.RecordConsentAsync([Reported("c1", Emarsys, ConsentStatus.Unsubscribed, null, T0.AddHours(1))], Ct);
        await ReopenAsync();

        var entries = await Store.GetConsentAsync(["c1", "c2"], Ct);
        entries.Count.ShouldBe(3);
        entries.Single(e => e.Side == ConsentSide.Source).Status.ShouldBe(ConsentStatus.Subscribed);
        entries.Single(e => e.Side == ConsentSide.Written).Status.ShouldBe(ConsentStatus.Subscribed);
        var reported = entries.Single(e => e.Side == ConsentSide.Reported);
        reported.Status.ShouldBe(ConsentStatus.Unsubscribed);
        reported.At.ShouldBeNull();
        reported.RecordedAt.ShouldBe(T0.AddHours(1));
        reported.Destination.ShouldBe(Emarsys);
    }

    [Fact]
    public async Task RecordConsentAsync_OneCellTwiceInABatch_KeepsTheLaterAnswer()
    {
        await Store.RecordConsentAsync(
        [
            Source("c1", ConsentStatus.Subscribed, T0.AddDays(2), T0),
            Source("c1", ConsentStatus.Unsubscribed, T0.AddDays(1), T0),
        ], Ct);

        (await Store.GetConsentAsync(["c1"], Ct)).ShouldHaveSingleItem().Status.ShouldBe(ConsentStatus.Subscribed);
    }

    [Fact]
    public async Task FindContactsAsync_ByHash_FindsEveryContactOfTheAddressAndNoAddressIsStored()
    {
        var hash = ContactAddress.Hash("Ann@Example.com ");
        await Store.RecordAddressesAsync([(hash, "c1"), (hash, "c2"), (hash, "c1"), (ContactAddress.Hash("bo@example.com"), "c3")], Ct);

        var found = await Store.FindContactsAsync([ContactAddress.Hash("ann@example.com"), ContactAddress.Hash("nobody@example.com")], Ct);

        found.Count.ShouldBe(1);
        found[ContactAddress.Hash("ann@example.com")].ShouldBe(["c1", "c2"]);
        hash.ShouldNotContain("example");
    }

    [Fact]
    public async Task SummarizeConsentAsync_CountsEachCellAndTheConflicts()
    {
        await Store.RecordConsentAsync(
        [
            // c1: opted out in Emarsys after the shop's opt-in: a conflict.
            Source("c1", ConsentStatus.Subscribed, T0, T0),
            Reported("c1", Emarsys, ConsentStatus.Unsubscribed, T0.AddDays(1), T0.AddDays(1)),
            // c2: the shop's opt-in is newer than Dotdigital's opt-out: no conflict (the person subscribed again).
            Source("c2", ConsentStatus.Subscribed, T0.AddDays(5), T0),
            Reported("c2", Dotdigital, ConsentStatus.Unsubscribed, T0.AddDays(1), T0.AddDays(1)),
            // c3: the shop has an undated opt-in: it cannot be shown newer, a conflict.
            Source("c3", ConsentStatus.Subscribed, null, T0.AddDays(9)),
            Reported("c3", Dotdigital, ConsentStatus.Unsubscribed, T0.AddDays(1), T0.AddDays(1)),
            // c4: opted out on both sides: agreement.
            Source("c4", ConsentStatus.Unsubscribed, T0, T0),
            Reported("c4", Emarsys, ConsentStatus.Unsubscribed, null, T0.AddDays(1)),
        ], Ct);

        var summary = await Store.SummarizeConsentAsync(Ct);

        summary.Count(string.Empty, ConsentSide.Source, ConsentChannels.Email, ConsentStatus.Subscribed).ShouldBe(3);
        summary.Count(string.Empty, ConsentSide.Source, ConsentChannels.Email, ConsentStatus.Unsubscribed).ShouldBe(1);
        summary.Count(Emarsys, ConsentSide.Reported, ConsentChannels.Email, ConsentStatus.Unsubscribed).ShouldBe(2);
        summary.Count(Dotdigital, ConsentSide.Reported, ConsentChannels.Email, ConsentStatus.Unsubscribed).ShouldBe(2);
        summary.Conflicts.ShouldBe(new Dictionary<string, long> { [Emarsys] = 1, [Dotdigital] = 1 }, ignoreOrder: true);
        summary.TotalConflicts.ShouldBe(2);

        var conflicts = await Store.ListConsentConflictsAsync(10, Ct);
        conflicts.Select(c => (c.Destination, c.Contact)).ShouldBe([(Dotdigital, "c3"), (Emarsys, "c1")]);
        conflicts[1].OptedOutAt.ShouldBe(T0.AddDays(1));
        conflicts[1].SourceOrigin.ShouldBe("commercetools:customer.custom.marketing");
        (await Store.ListConsentConflictsAsync(1, Ct)).Count.ShouldBe(1);
    }
}
