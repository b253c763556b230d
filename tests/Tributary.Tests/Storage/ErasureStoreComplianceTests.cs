using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IErasureStore"/> must have: a forget removes the person from every table but what the
/// destinations last accepted and the erasure rows, in one transaction; tombstones are found; the salt is created once.
/// </summary>
[Storage]
public abstract class ErasureStoreComplianceTests(StoreHarness harness) : StoreComplianceTests(harness)
{
    [Fact]
    public async Task ForgetAsync_RemovesThePersonsRowsButDeliveredStateAndErasures_KeepsTheOthersAndTheTombstones()
    {
        await StageAsync(Entry("c1"));
        await StageAsync(Entry("c2"));
        await StageAsync(Entry("c1", entity: EntityKind.Erasure));
        await Store.RecordConsentAsync(
        [
            new("c1", ConsentChannels.Email, string.Empty, ConsentSide.Source, ConsentStatus.Subscribed, "shop", T0, T0),
            new("c2", ConsentChannels.Email, string.Empty, ConsentSide.Source, ConsentStatus.Subscribed, "shop", T0, T0),
        ], Ct);
        await Store.RecordAddressesAsync([(ContactAddress.Hash("c1@example.com"), "c1")], Ct);
        (await Store.TryAddInboxAsync(new InboxMessage(0, "m1", "commercetools", EntityKind.Customer, "c1", T0), Ct)).ShouldBeTrue();

        await Store.ForgetAsync(["c1"], ["t-customer", "t-address"], T0, Ct);
        await ReopenAsync();

        (await Store.GetOutboxAsync(Emarsys, EntityKind.Customer, "c1", Ct)).ShouldBeNull();
        (await Store.GetOutboxAsync(Emarsys, EntityKind.Customer, "c2", Ct)).ShouldNotBeNull();
        (await Store.GetOutboxAsync(Emarsys, EntityKind.Erasure, "c1", Ct)).ShouldNotBeNull("the erasure itself still has to go");
        (await Store.GetConsentAsync(["c1", "c2"], Ct)).Select(e => e.Contact).ShouldBe(["c2"]);
        (await Store.FindContactsAsync([ContactAddress.Hash("c1@example.com")], Ct)).ShouldBeEmpty();
        (await Store.DueInboxAsync(10, T0.AddHours(1), Ct)).ShouldBeEmpty();
        (await Store.ForgottenAsync(["t-customer", "t-address", "t-other"], Ct)).ShouldBe(["t-customer", "t-address"], ignoreOrder: true);
        (await Store.CountForgottenAsync(Ct)).ShouldBe(2);
        await Store.CompactAsync(Ct);
        (await Store.CountForgottenAsync(Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task InstallationSaltAsync_CreatedOnce_TheSameAfterReopening()
    {
        var salt = await Store.InstallationSaltAsync(Ct);
        salt.Length.ShouldBe(64);
        (await Store.InstallationSaltAsync(Ct)).ShouldBe(salt);
        await ReopenAsync();
        (await Store.InstallationSaltAsync(Ct)).ShouldBe(salt);
    }
}
