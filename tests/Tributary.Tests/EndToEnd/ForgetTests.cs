using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Commands;
using Tributary.Host.Composition;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// Erasure through the real pipeline and the emulators: `forget` (a data-subject request) erases the person at each destination
/// and leaves no personal data in the state file; tombstones keep them from coming back; a customer deleted at the source is
/// anonymised; an erasure interrupted by a failing destination completes after a restart.
/// </summary>
[EndToEnd]
public sealed class ForgetTests
{
    private static SandboxCustomer Person(SandboxHarness h)
    {
        // A customer whose address and names no other customer shares, so the byte search below can only find this one.
        var all = h.ValidCustomers().Concat(h.InvalidCustomers()).ToList();
        return h.ValidCustomers().First(c => c.FirstName is { Length: > 3 } first && c.LastName is { Length: > 3 } last
            && all.Count(o => o.FirstName == first || o.LastName == last) == 1);
    }

    private static byte[] StateBytes(SandboxHarness h)
    {
        var bytes = new List<byte>(File.ReadAllBytes(h.StatePath));
        if (File.Exists(h.StatePath + "-wal"))
        {
            bytes.AddRange(File.ReadAllBytes(h.StatePath + "-wal"));
        }

        return [.. bytes];
    }

    private static bool Contains(byte[] haystack, string needle) =>
        haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0
        || haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle.ToLowerInvariant())) >= 0;

    [Fact]
    public async Task Forget_Emarsys_ContactDeleted_NoPersonalDataLeftInTheStateFile_AndAFullResyncNeverBringsItBack()
    {
        await using var h = await SandboxHarness.StartAsync(40);
        await h.PassAsync();
        var person = Person(h);
        var email = person.Email.Trim().ToLowerInvariant();
        var contactsBefore = h.Sandbox.Emarsys.Contacts.Count;
        StateBytes(h).ShouldSatisfyAllConditions(
            b => Contains(b, email).ShouldBeTrue("the state held the address before"),
            b => Contains(b, person.LastName!).ShouldBeTrue("and the name"));

        await using (var runtime = await h.OpenAsync())
        {
            var result = await ForgetCommand.RunAsync(runtime, person.Email.Trim().ToUpperInvariant(), ErasureMode.Delete, CancellationToken.None);
            result.Customers.ShouldBe([person.Id!]);
            result.Report.Done.ShouldBeTrue();
            result.Report.Outcomes.ShouldHaveSingleItem().Destination.ShouldBe("emarsys");
        }

        h.Sandbox.Emarsys.FindByField(SandboxHarness.KeyField, person.Id!).ShouldBeNull("the contact is deleted in Emarsys");
        h.Sandbox.Emarsys.Contacts.Count.ShouldBe(contactsBefore - 1);
        var state = StateBytes(h);
        Contains(state, email).ShouldBeFalse("no byte of the address is left in the state file");
        Contains(state, person.FirstName!).ShouldBeFalse("nor the first name");
        Contains(state, person.LastName!).ShouldBeFalse("nor the last name");

        // The shop still has the customer: a change and a full resync do not bring them back.
        h.Sandbox.Commercetools.UpdateCustomer(person.Id!, c => c.FirstName = "Changed").ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var again = await h.PassAsync(new PassOptions(Full: true));
        h.Sandbox.Emarsys.FindByField(SandboxHarness.KeyField, person.Id!).ShouldBeNull("a tombstone keeps them out");
        again.Counters.SkippedReasons.Keys.ShouldContain(SyncPipeline.ForgottenReason);
        await using (var runtime = await h.OpenAsync())
        {
            (await runtime.Store.GetDeliveredAsync("emarsys", EntityKind.Erasure, [person.Id!], CancellationToken.None)).Keys
                .ShouldContain(person.Id!, "the erasure itself is on record, with its time");
        }
    }

    [Fact]
    public async Task Forget_Anonymise_Emarsys_ContactKeptUnsubscribedAndNameless()
    {
        await using var h = await SandboxHarness.StartAsync(20);
        await h.PassAsync();
        var person = h.ValidCustomers().First(c => c.FirstName is { Length: > 0 });
        await using var runtime = await h.OpenAsync();

        var result = await ForgetCommand.RunAsync(runtime, person.Email, ErasureMode.Anonymise, CancellationToken.None);

        result.Report.Done.ShouldBeTrue();
        var contact = (await h.ReadContactsAsync([person.Id!]))[person.Id!];
        contact["31"].ShouldBe("2", "anonymised means unsubscribed");
        contact["1"].ShouldBeNullOrEmpty();
        contact["2"].ShouldBeNullOrEmpty();
        contact["3"].ShouldBeNullOrEmpty();
    }

    [Fact]
    public async Task Forget_Anonymise_Dotdigital_UnsubscribedOnEmailAndSms_DataFieldsBlanked()
    {
        await using var h = await SandboxHarness.StartAsync(20);
        var person = h.ValidCustomers().First(c => c.FirstName is { Length: > 0 });
        h.Sandbox.Commercetools.UpdateCustomer(person.Id!, c =>
        {
            c.Addresses[0].Country = "DE";
            c.Addresses[0].Mobile = "+49 151 23456789";
            c.DefaultShippingAddressId = c.Addresses[0].Id;
            c.CustomFields["smsOptIn"] = true;
            c.CustomFields["marketingOptIn"] = true;
        }).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await using var runtime = await h.OpenDotdigitalAsync();
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var email = person.Email.Trim().ToLowerInvariant();
        h.Sandbox.Dotdigital.FindContact(email).ShouldNotBeNull().SmsStatus.ShouldBe("subscribed");

        var result = await ForgetCommand.RunAsync(runtime, email, ErasureMode.Anonymise, CancellationToken.None);

        result.Report.Done.ShouldBeTrue();
        var contact = h.Sandbox.Dotdigital.FindContact(email).ShouldNotBeNull();
        contact.EmailStatus.ShouldBe("unsubscribed");
        contact.SmsStatus.ShouldBe("unsubscribed", "an anonymised contact gets no SMS either");
        contact.DataFields.GetValueOrDefault("FIRSTNAME").ShouldBeNull();
    }

    [Fact]
    public async Task Forget_Dotdigital_ContactDeleted()
    {
        await using var h = await SandboxHarness.StartAsync(20);
        await using var runtime = await h.OpenDotdigitalAsync();
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var person = h.ValidCustomers()[0];
        var email = person.Email.Trim().ToLowerInvariant();
        h.Sandbox.Dotdigital.FindContact(email).ShouldNotBeNull();

        var result = await ForgetCommand.RunAsync(runtime, email, ErasureMode.Delete, CancellationToken.None);

        result.Report.Done.ShouldBeTrue();
        h.Sandbox.Dotdigital.FindContact(email).ShouldBeNull("the contact is deleted in Dotdigital");
        (await runtime.Store.GetDeliveredAsync("dotdigital", EntityKind.Customer, [person.Id!], CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task DeletedAtTheSource_NotificationErasesTheContact_Anonymised()
    {
        await using var h = await SandboxHarness.StartAsync(20);
        await h.PassAsync();
        var person = h.ValidCustomers().First(c => c.FirstName is { Length: > 0 });
        h.Sandbox.Commercetools.DeleteCustomer(person.Id!).ShouldBeTrue();
        await using var runtime = await h.OpenAsync();
        (await runtime.Store.TryAddInboxAsync(new InboxMessage(0, "deleted-1", "commercetools", EntityKind.Customer, person.Id!, h.Clock.GetUtcNow()),
            CancellationToken.None)).ShouldBeTrue();

        var round = await runtime.Pipeline.ProcessInboxAsync(100, null, CancellationToken.None);

        round.Missing.ShouldBe(1);
        var contact = (await h.ReadContactsAsync([person.Id!]))[person.Id!];
        contact["31"].ShouldBe("2");
        contact["1"].ShouldBeNullOrEmpty();
        (await runtime.Store.GetDeliveredAsync("emarsys", EntityKind.Customer, [person.Id!], CancellationToken.None)).ShouldBeEmpty();
        (await runtime.Store.GetDeliveredAsync("emarsys", EntityKind.Erasure, [person.Id!], CancellationToken.None))[person.Id!]
            .Fields[ErasureFields.Reason].ShouldBe("deleted at the source");
    }

    [Fact]
    public async Task DeletedAtTheSourceWithoutANotification_AFullReadFindsItGone_ErasedOnce_TheOthersUntouched()
    {
        await using var h = await SandboxHarness.StartAsync(20);
        await h.PassAsync();
        var person = h.ValidCustomers().First(c => c.FirstName is { Length: > 0 });
        var other = h.ValidCustomers().First(c => c.Id != person.Id && c.FirstName is { Length: > 0 });
        h.Sandbox.Commercetools.DeleteCustomer(person.Id!).ShouldBeTrue();

        var report = await h.PassAsync(new PassOptions(Full: true));

        report.Counters.Notes.Keys.ShouldContain(n => n.StartsWith("1 customer(s) deleted at the source (not in the full read, confirmed by a re-read)", StringComparison.Ordinal));
        var contacts = await h.ReadContactsAsync([person.Id!, other.Id!]);
        contacts[person.Id!]["31"].ShouldBe("2", "anonymised: unsubscribed");
        contacts[person.Id!]["1"].ShouldBeNullOrEmpty();
        contacts[other.Id!]["1"].ShouldBe(other.FirstName);
        await using (var runtime = await h.OpenAsync())
        {
            (await runtime.Store.GetDeliveredAsync("emarsys", EntityKind.Erasure, [person.Id!], CancellationToken.None))[person.Id!]
                .Fields[ErasureFields.Reason].ShouldBe("deleted at the source");
        }

        var again = await h.PassAsync(new PassOptions(Full: true));
        again.Counters.Notes.Keys.ShouldNotContain(n => n.Contains("deleted at the source", StringComparison.Ordinal), "erased once");
    }

    [Fact]
    public async Task AFullReadMissingMoreThanTheSafetyLimit_ErasesNobody_AndSaysWhy()
    {
        await using var h = await SandboxHarness.StartAsync(60);
        await h.PassAsync();
        var gone = h.ValidCustomers().Take(SyncPipeline.VanishedFloor + 1).ToList();
        foreach (var customer in gone)
        {
            h.Sandbox.Commercetools.DeleteCustomer(customer.Id!).ShouldBeTrue();
        }

        var report = await h.PassAsync(new PassOptions(Full: true));

        report.Counters.Notes.Keys.ShouldContain(n => n.StartsWith($"{gone.Count} delivered customer(s) were not in the full read, more than the safety limit of {SyncPipeline.VanishedFloor}: none erased", StringComparison.Ordinal));
        var contacts = await h.ReadContactsAsync(gone.Select(c => c.Id!));
        contacts.Count.ShouldBe(gone.Count);
        contacts.Values.ShouldAllBe(c => c["3"] != null && c["3"] != "", "nobody is anonymised on a read that may be truncated");
    }

    [Fact]
    public async Task Forget_KilledWhileTheDestinationFails_TheErasureCompletesAfterARestart()
    {
        await using var h = await SandboxHarness.StartAsync(20);
        await h.PassAsync();
        var person = h.ValidCustomers()[0];
        h.Sandbox.Emarsys.Faults.Options.ServerErrorRate = 1.0;
        // Retries a minute apart on a clock that stands still: the erasure keeps waiting, as it would against a long outage.
        var slowRetries = new Tributary.Host.Configuration.SyncConfig
        {
            Entities = [EntityKind.Customer],
            RetryBaseDelay = TimeSpan.FromMinutes(1),
            RetryMaxDelay = TimeSpan.FromMinutes(5),
        };
        var requests = h.Sandbox.Emarsys.RequestCount;
        await using (var runtime = await h.OpenAsync(slowRetries))
        {
            using var kill = new CancellationTokenSource();
            var forget = ForgetCommand.RunAsync(runtime, person.Email, ErasureMode.Delete, kill.Token);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (h.Sandbox.Emarsys.RequestCount == requests && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }

            h.Sandbox.Emarsys.RequestCount.ShouldBeGreaterThan(requests, "the erasure was tried and refused");
            await kill.CancelAsync();
            await Should.ThrowAsync<OperationCanceledException>(forget);
        }

        h.Sandbox.Emarsys.FindByField(SandboxHarness.KeyField, person.Id!).ShouldNotBeNull("not erased yet");
        h.Sandbox.Emarsys.Faults.Options.ServerErrorRate = 0;
        // Past the retry's due time (and within the window Emarsys accepts a request's timestamp in).
        h.Clock.Advance(TimeSpan.FromSeconds(90));

        // The service starts again; its next pass finishes the erasure, and the customer is not synced back.
        await h.PassAsync(new PassOptions(Full: true));

        h.Sandbox.Emarsys.FindByField(SandboxHarness.KeyField, person.Id!).ShouldBeNull();
        await using var after = await h.OpenAsync();
        (await after.Store.GetDeliveredAsync("emarsys", EntityKind.Customer, [person.Id!], CancellationToken.None)).ShouldBeEmpty();
        (await after.Store.GetOutboxAsync("emarsys", EntityKind.Erasure, person.Id!, CancellationToken.None)).ShouldBeNull();
    }
}
