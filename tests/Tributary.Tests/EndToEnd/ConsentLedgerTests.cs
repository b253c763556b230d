using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine.Alerts;
using Tributary.Engine.Consent;
using Tributary.Host.Composition;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// The consent ledger through the real pipeline and the emulators: the shop's answers with their provenance, what each
/// destination accepted, and opt-outs made in the destinations pulled back, matched to the customer and raised as a conflict
/// when the shop still says subscribed.
/// </summary>
[EndToEnd]
public sealed class ConsentLedgerTests
{
    private static ConsentPullBack PullBack(PipelineRuntime runtime, TimeProvider time) =>
        new(runtime.Destinations, runtime.Store, time, NullLogger.Instance);

    private static bool OptedIn(Tributary.Sandbox.Commercetools.SandboxCustomer c) =>
        c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is true;

    private static bool OptedOut(Tributary.Sandbox.Commercetools.SandboxCustomer c) =>
        c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is false;

    [Fact]
    public async Task Emarsys_ShopAnswersAndWritesAreRecorded_AnUnsubscribeMadeThereIsPulledBackAsAConflict()
    {
        await using var h = await SandboxHarness.StartAsync(60);
        await h.PassAsync();
        var subscriber = h.ValidCustomers().First(OptedIn);
        var silent = h.ValidCustomers().First(c => !c.CustomFields.ContainsKey("marketingOptIn"));
        await using var runtime = await h.OpenAsync();

        var ledger = await runtime.Store.GetConsentAsync([subscriber.Id!, silent.Id!], CancellationToken.None);
        var source = ledger.Single(e => e.Contact == subscriber.Id && e.Side == ConsentSide.Source);
        source.Status.ShouldBe(ConsentStatus.Subscribed);
        source.Origin.ShouldNotBeNull().ShouldContain("commercetools");
        var written = ledger.Single(e => e.Contact == subscriber.Id && e.Side == ConsentSide.Written);
        (written.Destination, written.Status).ShouldBe(("emarsys", ConsentStatus.Subscribed));
        ledger.ShouldNotContain(e => e.Contact == silent.Id, "no answer at the shop is no answer: nothing recorded, nothing written");

        // The subscriber clicks an unsubscribe link in an Emarsys email.
        h.Sandbox.Emarsys.SetFieldInEmarsys(SandboxHarness.KeyField, subscriber.Id!, "31", "2").ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var requests = h.Sandbox.Emarsys.RequestCount;
        var result = (await PullBack(runtime, h.Clock).RunAsync(CancellationToken.None)).ShouldHaveSingleItem();

        var valid = h.ValidCustomers();
        result.Error.ShouldBeNull();
        result.Destination.ShouldBe("emarsys");
        result.OptedOut.ShouldBe(valid.Count(OptedOut) + 1);
        result.OptedIn.ShouldBe(valid.Count(OptedIn) - 1);
        result.Conflicts.ShouldBe(1);
        (h.Sandbox.Emarsys.RequestCount - requests).ShouldBe((valid.Count + 999) / 1000, "one getdata per thousand delivered contacts");
        var conflict = (await runtime.Store.ListConsentConflictsAsync(10, CancellationToken.None)).ShouldHaveSingleItem();
        (conflict.Contact, conflict.Destination, conflict.Channel).ShouldBe((subscriber.Id!, "emarsys", ConsentChannels.Email));

        // The alert names the destination and fires once; it recovers when the shop's data is corrected.
        var evaluator = new AlertEvaluator(new AlertOptions(), h.Clock);
        var summary = await runtime.Store.SummarizeConsentAsync(CancellationToken.None);
        var fired = evaluator.Evaluate(new AlertSnapshot("sandbox", [], 0, 0, 0, new Dictionary<string, long>(), ConsentConflicts: summary.Conflicts));
        fired.ShouldContain(n => n.Key == "consent:sandbox:emarsys" && n.State == AlertState.Firing && n.Detail.Contains("1 contact"));
        evaluator.Evaluate(new AlertSnapshot("sandbox", [], 0, 0, 0, new Dictionary<string, long>(), ConsentConflicts: summary.Conflicts))
            .ShouldNotContain(n => n.Key == "consent:sandbox:emarsys");

        h.Sandbox.Commercetools.UpdateCustomer(subscriber.Id!, c => c.CustomFields["marketingOptIn"] = false).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.PassAsync();
        summary = await runtime.Store.SummarizeConsentAsync(CancellationToken.None);
        summary.TotalConflicts.ShouldBe(0);
        evaluator.Evaluate(new AlertSnapshot("sandbox", [], 0, 0, 0, new Dictionary<string, long>(), ConsentConflicts: summary.Conflicts))
            .ShouldContain(n => n.Key == "consent:sandbox:emarsys" && n.State == AlertState.Recovered);
    }

    [Fact]
    public async Task Dotdigital_AnUnsubscribeThereIsPulledBackByAddress_MatchedToTheCustomer_OnlyWhatCameSinceIsReadNextTime()
    {
        await using var h = await SandboxHarness.StartAsync(40);
        await using var runtime = await h.OpenDotdigitalAsync();
        await runtime.Pipeline.RunPassAsync(new Tributary.Engine.PassOptions(), null, CancellationToken.None);
        var subscriber = h.ValidCustomers().First(OptedIn);
        // The shop's own opt-outs, written by the pass, are on Dotdigital's lists from then on: the first pull-back reads them.
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var pullBack = PullBack(runtime, h.Clock);
        var first = (await pullBack.RunAsync(CancellationToken.None)).ShouldHaveSingleItem();
        first.Conflicts.ShouldBe(0);
        first.Read.ShouldBe(h.Sandbox.Dotdigital.Contacts.Count(c => c.EmailStatus == "unsubscribed"));

        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Sandbox.Dotdigital.SetEmailStatus(subscriber.Email.Trim().ToLowerInvariant(), "unsubscribed");
        h.Clock.Advance(TimeSpan.FromHours(1));
        var second = (await pullBack.RunAsync(CancellationToken.None)).ShouldHaveSingleItem();

        second.Error.ShouldBeNull();
        second.Read.ShouldBe(1, "only the opt-out made since the previous pull-back is read");
        second.Unmatched.ShouldBe(0);
        second.Conflicts.ShouldBe(1);
        var reported = (await runtime.Store.GetConsentAsync([subscriber.Id!], CancellationToken.None))
            .Single(e => e.Side == ConsentSide.Reported);
        (reported.Destination, reported.Status).ShouldBe(("dotdigital", ConsentStatus.Unsubscribed));
        reported.At.ShouldNotBeNull();
        reported.Origin.ShouldNotBeNull().ShouldContain("opt-out list");
    }
}
