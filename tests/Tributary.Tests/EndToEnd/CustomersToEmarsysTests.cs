using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;

namespace Tributary.Tests.EndToEnd;

[EndToEnd]
public class CustomersToEmarsysTests
{
    /// <summary>Starts the sandbox with the store under test (the default SQLite file here; derived classes choose another).</summary>
    protected virtual Task<SandboxHarness> StartAsync(int customers) => SandboxHarness.StartAsync(customers);

    [Fact]
    public async Task Backfill_1000Customers_EachContactEqualsItsSourceAndInvalidEmailsAreQuarantined()
    {
        await using var h = await StartAsync(1000);
        var valid = h.ValidCustomers();
        var invalid = h.InvalidCustomers();
        invalid.ShouldNotBeEmpty();

        var report = await h.PassAsync();

        var contacts = await h.ReadContactsAsync(valid.Select(c => c.Id!));
        contacts.Count.ShouldBe(valid.Count);
        foreach (var customer in valid)
        {
            SandboxHarness.ShouldMatch(contacts[customer.Id!], customer);
        }

        h.Sandbox.Emarsys.Contacts.Count.ShouldBe(valid.Count);
        report.Counters.Sent.ShouldBe(valid.Count);
        report.Counters.Quarantined.ShouldBe(invalid.Count);
        (report.Counters.Sent + report.Counters.Quarantined).ShouldBe(report.Counters.Read);
        report.ShouldBalance(h.LastLanes, new Dictionary<EntityKind, int> { [EntityKind.Customer] = 1000 });
        report.Counters.Rejected.ShouldBe(invalid.Count, "an invalid email refused by the only destination is a rejected record");

        await using var runtime = await h.OpenAsync();
        var quarantined = await runtime.Store.ListAsync(OutboxStatus.Quarantined, "emarsys", 100, CancellationToken.None);
        quarantined.Select(q => q.Key).Order().ShouldBe(invalid.Select(c => c.Id!).Order());
        quarantined.ShouldAllBe(q => q.LastError!.Contains("email"));
    }

    [Fact]
    public async Task SecondPass_NothingChanged_MakesNoDestinationCall()
    {
        await using var h = await StartAsync(600);
        await h.PassAsync();
        var requests = h.Sandbox.Emarsys.RequestCount;

        var incremental = await h.PassAsync();
        var full = await h.PassAsync(new PassOptions(Full: true));

        h.Sandbox.Emarsys.RequestCount.ShouldBe(requests);
        incremental.Counters.Calls.ShouldBe(0);
        full.Counters.Calls.ShouldBe(0);
        full.Counters.Unchanged.ShouldBe(h.ValidCustomers().Count);
        // The second full read re-reads every invalid record: it is again rejected, and the store holds the same quarantine.
        full.ShouldBalance(h.LastLanes, new Dictionary<EntityKind, int> { [EntityKind.Customer] = 600 });
        full.Counters.Rejected.ShouldBe(h.InvalidCustomers().Count);
    }

    [Fact]
    public async Task TenCustomersChanged_ExactlyThoseAreUpdatedInOneCall()
    {
        await using var h = await StartAsync(800);
        await h.PassAsync();
        var changed = h.ValidCustomers().Take(10).Select(c => c.Id!).ToList();
        foreach (var id in changed)
        {
            h.Sandbox.Commercetools.UpdateCustomer(id, c => c.LastName = "Changed-" + c.LastName);
        }

        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var writes = h.Sandbox.Emarsys.ContactWriteRequests;

        var report = await h.PassAsync();

        (h.Sandbox.Emarsys.ContactWriteRequests - writes).ShouldBe(1);
        report.Counters.Sent.ShouldBe(10);
        var contacts = await h.ReadContactsAsync(changed);
        contacts.Values.ShouldAllBe(c => c["2"]!.StartsWith("Changed-"));
    }

    [Fact]
    public async Task OptOutAtSource_ReachesEmarsysAsOptIn2_AndUnknownNeverBecomes1()
    {
        await using var h = await StartAsync(300);
        await h.PassAsync();
        var subscriber = h.ValidCustomers().First(c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is true);
        var unknown = h.ValidCustomers().First(c => !c.CustomFields.ContainsKey("marketingOptIn"));
        h.Sandbox.Commercetools.UpdateCustomer(subscriber.Id!, c => c.CustomFields["marketingOptIn"] = false);
        h.Clock.Advance(TimeSpan.FromSeconds(2));

        await h.PassAsync();

        var contacts = await h.ReadContactsAsync([subscriber.Id!, unknown.Id!]);
        contacts[subscriber.Id!]["31"].ShouldBe("2");
        (contacts[unknown.Id!].GetValueOrDefault("31") ?? string.Empty).ShouldBe(string.Empty);
    }

    [Fact]
    public async Task OptInCollectedInEmarsys_SourceChangesWithUnknownConsent_OptInKept()
    {
        await using var h = await StartAsync(60);
        await h.PassAsync();
        var shopper = h.ValidCustomers().First(c => !c.CustomFields.ContainsKey("marketingOptIn"));
        var subscriber = h.ValidCustomers().First(c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is true);
        // She subscribes through an Emarsys form: the shop knows nothing of it.
        h.Sandbox.Emarsys.SetFieldInEmarsys(SandboxHarness.KeyField, shopper.Id!, "31", "1").ShouldBeTrue();
        h.Sandbox.Commercetools.UpdateCustomer(shopper.Id!, c => c.LastName = "Renamed").ShouldBeTrue();
        // A data migration at the shop drops his answer: the source no longer knows, which is not an opt-out.
        h.Sandbox.Commercetools.UpdateCustomer(subscriber.Id!, c => c.CustomFields.Remove("marketingOptIn")).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));

        await h.PassAsync();
        // The state is lost and everything is sent again: still nothing unknown is written.
        foreach (var file in new[] { h.StatePath, h.StatePath + "-wal", h.StatePath + "-shm" })
        {
            File.Delete(file);
        }
        await h.PassAsync(new PassOptions(Full: true));

        var contacts = await h.ReadContactsAsync([shopper.Id!, subscriber.Id!]);
        contacts[shopper.Id!]["2"].ShouldBe("Renamed");
        contacts[shopper.Id!]["31"].ShouldBe("1", "unknown consent at the source is never written over the opt-in Emarsys collected");
        contacts[subscriber.Id!]["31"].ShouldBe("1", "an answer the source lost is not written as empty");
    }

    [Fact]
    public async Task ContactMadeInEmarsysWithTheSameEmail_FirstSyncAdoptsIt_NoSecondContact_ItsConsentKept()
    {
        await using var h = await StartAsync(40);
        var shopper = h.ValidCustomers().First(c => !c.CustomFields.ContainsKey("marketingOptIn"));
        var subscriber = h.ValidCustomers().First(c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is true);
        var (shopperEmail, subscriberEmail) = (shopper.Email.Trim().ToLowerInvariant(), subscriber.Email.Trim().ToLowerInvariant());
        // Before the shop was connected, she signed up through an Emarsys form; he unsubscribed from a newsletter sent to him.
        var formContact = h.Sandbox.Emarsys.CreateContactInEmarsys(new Dictionary<string, string> { ["3"] = shopperEmail, ["1"] = "Form", ["31"] = "1" });
        var optedOut = h.Sandbox.Emarsys.CreateContactInEmarsys(new Dictionary<string, string> { ["3"] = subscriberEmail, ["31"] = "2" });

        var report = await h.PassAsync();

        h.Sandbox.Emarsys.Contacts.Count(c => c.Fields.GetValueOrDefault("3") == shopperEmail).ShouldBe(1, "the form's contact is adopted, not doubled");
        h.Sandbox.Emarsys.Contacts.Count(c => c.Fields.GetValueOrDefault("3") == subscriberEmail).ShouldBe(1);
        var contacts = await h.ReadContactsAsync([shopper.Id!, subscriber.Id!]);
        contacts[shopper.Id!]["id"].ShouldBe(formContact.ToString(System.Globalization.CultureInfo.InvariantCulture));
        contacts[shopper.Id!]["1"].ShouldBe(shopper.FirstName, "the shop's details are written onto the adopted contact");
        contacts[shopper.Id!]["31"].ShouldBe("1", "the opt-in collected in Emarsys is kept");
        contacts[subscriber.Id!]["id"].ShouldBe(optedOut.ToString(System.Globalization.CultureInfo.InvariantCulture));
        contacts[subscriber.Id!]["31"].ShouldBe("2", "an opt-out made in Emarsys wins over the shop's opt-in");
        report.Counters.Notes["emarsys: adopted the Emarsys contact that already had this email"].ShouldBe(2);

        // The next full pass finds them by the customer id: nothing is adopted twice.
        var again = await h.PassAsync(new PassOptions(Full: true));
        again.Counters.Notes.Keys.ShouldNotContain(n => n.Contains("adopted", StringComparison.Ordinal));
        h.Sandbox.Emarsys.Contacts.Count.ShouldBe(h.ValidCustomers().Count);
    }

    [Fact]
    public async Task UnsubscribedInEmarsys_SourceLaterSaysSubscribed_StaysUnsubscribed_ButTheSourcesOwnOptOutCanBeUndone()
    {
        await using var h = await StartAsync(60);
        await h.PassAsync();
        var unsubscriber = h.ValidCustomers().First(c => !c.CustomFields.ContainsKey("marketingOptIn"));
        var changedMind = h.ValidCustomers().First(c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is true);
        // One unsubscribes through an Emarsys unsubscribe link; the other opts out at the shop.
        h.Sandbox.Emarsys.SetFieldInEmarsys(SandboxHarness.KeyField, unsubscriber.Id!, "31", "2").ShouldBeTrue();
        h.Sandbox.Commercetools.UpdateCustomer(changedMind.Id!, c => c.CustomFields["marketingOptIn"] = false).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.PassAsync();
        (await h.ReadContactsAsync([changedMind.Id!]))[changedMind.Id!]["31"].ShouldBe("2");

        // Later the shop says both are subscribed (stale data for the first, a new checkbox tick for the second).
        h.Sandbox.Commercetools.UpdateCustomer(unsubscriber.Id!, c => c.CustomFields["marketingOptIn"] = true).ShouldBeTrue();
        h.Sandbox.Commercetools.UpdateCustomer(changedMind.Id!, c => c.CustomFields["marketingOptIn"] = true).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.PassAsync();

        var contacts = await h.ReadContactsAsync([unsubscriber.Id!, changedMind.Id!]);
        contacts[unsubscriber.Id!]["31"].ShouldBe("2", "an opt-out made in Emarsys wins over the shop's opt-in");
        contacts[changedMind.Id!]["31"].ShouldBe("1", "the opt-out came from the shop, and the shop's newer opt-in undoes it");
        await using var runtime = await h.OpenAsync();
        var trace = await runtime.Store.GetAttemptsAsync("emarsys", EntityKind.Customer, unsubscriber.Id!, CancellationToken.None);
        trace.ShouldContain(a => a.RequestSummary != null && a.RequestSummary.Contains("Emarsys holds an opt-out"), "the record's trace says why");
    }

    [Fact]
    public async Task StormsOf429And500AndPerContactErrors_FinalStateIsCorrectAndRejectsAreQuarantined()
    {
        await using var h = await StartAsync(1000);
        var valid = h.ValidCustomers();
        var rejected = valid.Skip(5).Take(3).Select(c => c.Id!).ToList();
        foreach (var key in rejected)
        {
            h.Sandbox.Emarsys.RejectKey(key, 2007, "Invalid value for field 3");
        }

        h.Sandbox.Emarsys.Faults.Options.ServerErrorRate = 0.3;
        h.Sandbox.Emarsys.Faults.Options.RateLimitRate = 0.2;
        h.Sandbox.Emarsys.Faults.Options.RetryAfterSeconds = 1;

        var report = await h.PassAsync(sync: h.Sync(maxAttempts: 30));

        h.Sandbox.Emarsys.Faults.Injected.ShouldBeGreaterThan(0);
        // The storm is over before the test reads Emarsys back through its API.
        h.Sandbox.Emarsys.Faults.Reset();
        var contacts = await h.ReadContactsAsync(valid.Select(c => c.Id!));
        foreach (var customer in valid.Where(c => !rejected.Contains(c.Id!)))
        {
            SandboxHarness.ShouldMatch(contacts[customer.Id!], customer);
        }

        rejected.ShouldAllBe(k => !contacts.ContainsKey(k));
        report.Counters.Dead.ShouldBe(0);
        await using var runtime = await h.OpenAsync();
        foreach (var key in rejected)
        {
            var row = await runtime.Store.GetOutboxAsync("emarsys", EntityKind.Customer, key, CancellationToken.None);
            row!.Status.ShouldBe(OutboxStatus.Quarantined);
            row.LastError!.ShouldContain("2007");
        }
    }

    [Fact]
    public async Task RateLimitAnsweredWithEnvelopeAndRetryAfter_WaitsInsteadOfSpendingAttempts_NothingDead()
    {
        await using var h = await StartAsync(200);
        var valid = h.ValidCustomers();
        // Emarsys' 429 carries reply code 2011, the code of a transient error: more 429s in a row than the retry budget allows
        // must still end with every contact delivered, because waiting out a rate limit never counts as a failed attempt.
        h.Sandbox.Emarsys.Faults.Options.RetryAfterSeconds = 1;
        h.Sandbox.Emarsys.Faults.RateLimitNext(4);

        var report = await h.PassAsync(sync: h.Sync(maxAttempts: 2));

        h.Sandbox.Emarsys.Faults.Injected.ShouldBe(4);
        report.Counters.Dead.ShouldBe(0);
        var contacts = await h.ReadContactsAsync(valid.Select(c => c.Id!));
        foreach (var customer in valid)
        {
            SandboxHarness.ShouldMatch(contacts[customer.Id!], customer);
        }
    }

    [Fact]
    public async Task DryRun_ShowsTheDiffAndSendsNothing()
    {
        await using var h = await StartAsync(200);

        var report = await h.PassAsync(new PassOptions(DryRun: true));

        report.DryRunChanges.Count.ShouldBe(h.ValidCustomers().Count);
        h.Sandbox.Emarsys.ContactWriteRequests.ShouldBe(0);
        h.Sandbox.Emarsys.Contacts.ShouldBeEmpty();
        // Personal values are masked in the diff; consent states are not personal data and show as they are.
        var subscriber = h.ValidCustomers().First(c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is true && c.FirstName is { Length: > 1 });
        var planned = report.DryRunChanges.Single(c => c.Key == subscriber.Id);
        planned.Changes["31"].ShouldBe("1");
        planned.Changes["1"].ShouldBe($"{subscriber.FirstName![0]}***");
        planned.Changes["3"].ShouldNotBeNull().ShouldStartWith($"{subscriber.Email.Trim().ToLowerInvariant()[0]}***@");
        var everything = string.Join("\n", report.DryRunChanges.SelectMany(c => c.Changes.Values));
        foreach (var customer in h.ValidCustomers())
        {
            everything.ShouldNotContain(customer.Email.Trim().ToLowerInvariant());
            if (customer.LastName is { Length: > 3 } last)
            {
                everything.ShouldNotContain(last);
            }
        }
    }
}
