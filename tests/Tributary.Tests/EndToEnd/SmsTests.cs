using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Demo;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// Mobile numbers and SMS consent from commercetools into Emarsys (field 37 and the account's SMS opt-in field, 9008 in the
/// sandbox) and Dotdigital (<c>identifiers.mobileNumber</c>, <c>channelProperties.sms.status</c>) through the real pipeline and
/// the emulators.
/// </summary>
[EndToEnd]
public sealed class SmsTests
{
    private const string MobileField = "37";
    private const string SmsField = "9008";

    private static async Task<PassReport> DotdigitalPassAsync(SandboxHarness h)
    {
        h.Options.Dotdigital.LowTierPerMinute = 0;
        h.Options.Dotdigital.MediumTierPerMinute = 0;
        h.Options.Dotdigital.HighTierPerMinute = 0;
        await using var runtime = await PipelineFactory.CreateAsync(SandboxConfig.ForDotdigital(h.Sandbox, h.Options, DotdigitalState(h), h.Sync()),
            TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var report = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        report.ShouldBalance();
        return report;
    }

    /// <summary>Dotdigital's pipeline keeps its own state (its own read cursor), beside the Emarsys pipeline's.</summary>
    private static string DotdigitalState(SandboxHarness h) => Path.Combine(h.Directory, "dotdigital.db");

    private static async Task<PipelineRuntime> OpenDotdigitalAsync(SandboxHarness h) =>
        await PipelineFactory.CreateAsync(SandboxConfig.ForDotdigital(h.Sandbox, h.Options, DotdigitalState(h), h.Sync()),
            TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

    /// <summary>A valid customer given a German mobile number (national format, read in the address's country) and an SMS answer.</summary>
    private static SandboxCustomer Shopper(SandboxHarness h, int index, string? mobile, bool? smsOptIn)
    {
        var customer = h.ValidCustomers()[index];
        h.Sandbox.Commercetools.UpdateCustomer(customer.Id!, c =>
        {
            c.Addresses[0].Country = "DE";
            c.Addresses[0].Mobile = mobile;
            c.DefaultShippingAddressId = c.Addresses[0].Id;
            c.CustomFields.Remove("smsOptIn");
            if (smsOptIn is { } answer)
            {
                c.CustomFields["smsOptIn"] = answer;
            }
        }).ShouldBeTrue();
        return h.Sandbox.Commercetools.Customers.Single(c => c.Id == customer.Id);
    }

    [Fact]
    public async Task SmsOptIn_ReachesEmarsysAndDotdigital_WithTheNumberInE164_AndIsInTheLedger()
    {
        await using var h = await SandboxHarness.StartAsync(12);
        var shopper = Shopper(h, 0, "0151 23456789", smsOptIn: true);

        await h.PassAsync();
        await DotdigitalPassAsync(h);

        var contact = (await h.ReadContactsAsync([shopper.Id!]))[shopper.Id!];
        contact[MobileField].ShouldBe("+4915123456789");
        contact[SmsField].ShouldBe("1");
        var dd = h.Sandbox.Dotdigital.FindContact(shopper.Email.Trim()).ShouldNotBeNull();
        dd.MobileNumber.ShouldBe("4915123456789", "Dotdigital's documented examples write E.164 without the +");
        dd.SmsStatus.ShouldBe("subscribed");

        await using var runtime = await h.OpenAsync();
        await using var ddRuntime = await OpenDotdigitalAsync(h);
        var ledger = (await runtime.Store.GetConsentAsync([shopper.Id!], CancellationToken.None))
            .Concat(await ddRuntime.Store.GetConsentAsync([shopper.Id!], CancellationToken.None)).ToList();
        var source = ledger.First(e => e.Channel == ConsentChannels.Sms && e.Side == ConsentSide.Source);
        source.Status.ShouldBe(ConsentStatus.Subscribed);
        source.Origin.ShouldNotBeNull().ShouldContain("smsOptIn");
        ledger.Where(e => e.Channel == ConsentChannels.Sms && e.Side == ConsentSide.Written).Select(e => (e.Destination, e.Status))
            .ShouldBe([("dotdigital", ConsentStatus.Subscribed), ("emarsys", ConsentStatus.Subscribed)], ignoreOrder: true);
    }

    [Fact]
    public async Task InvalidMobileNumber_LeftOutWithTheReason_TheEmailContactIsStillDelivered()
    {
        await using var h = await SandboxHarness.StartAsync(12);
        var shopper = Shopper(h, 1, "0151 23", smsOptIn: true);

        var report = await h.PassAsync();
        var ddReport = await DotdigitalPassAsync(h);

        report.Counters.Notes.Keys.ShouldContain(n => n.StartsWith("emarsys: mobile number left out", StringComparison.Ordinal) && n.Contains("SMS consent not sent"));
        ddReport.Counters.Notes.Keys.ShouldContain(n => n.StartsWith("dotdigital: mobile number left out", StringComparison.Ordinal));
        report.Counters.Notes.Keys.ShouldNotContain(n => n.Contains("0151", StringComparison.Ordinal), "the note never holds the number");
        var contact = (await h.ReadContactsAsync([shopper.Id!]))[shopper.Id!];
        contact["3"].ShouldBe(shopper.Email.Trim().ToLowerInvariant(), "the email side is delivered");
        contact.GetValueOrDefault(MobileField).ShouldBeNullOrEmpty();
        contact.GetValueOrDefault(SmsField).ShouldBeNullOrEmpty("no SMS opt-in without a number to send to");
        var dd = h.Sandbox.Dotdigital.FindContact(shopper.Email.Trim()).ShouldNotBeNull();
        dd.MobileNumber.ShouldBeNull();
        dd.SmsStatus.ShouldBe("noSubscription");
        h.LastLanes.Where(l => l.Status == OutboxStatus.Quarantined).Sum(l => l.Count)
            .ShouldBe(h.InvalidCustomers().Count, "only customers with invalid emails are quarantined, not this one");
    }

    [Fact]
    public async Task SmsOptOutHeldByTheDestination_KeptOverAnOlderShopOptIn_WhileOtherFieldsStillGo()
    {
        await using var h = await SandboxHarness.StartAsync(12);
        var shopper = Shopper(h, 2, "+49 151 23456780", smsOptIn: null);
        await h.PassAsync();
        await DotdigitalPassAsync(h);

        // The person replies STOP to an SMS: each platform records the SMS opt-out.
        h.Sandbox.Emarsys.SetFieldInEmarsys(SandboxHarness.KeyField, shopper.Id!, SmsField, "2").ShouldBeTrue();
        h.Sandbox.Dotdigital.SetSmsStatus(shopper.Email.Trim(), "unsubscribed");
        // Later the shop's stale data says SMS opt-in, with a new name.
        h.Sandbox.Commercetools.UpdateCustomer(shopper.Id!, c =>
        {
            c.CustomFields["smsOptIn"] = true;
            c.FirstName = "Renamed";
        }).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.PassAsync();
        await DotdigitalPassAsync(h);

        var contact = (await h.ReadContactsAsync([shopper.Id!]))[shopper.Id!];
        contact[SmsField].ShouldBe("2", "an SMS opt-out made in Emarsys wins over the shop's opt-in");
        contact["1"].ShouldBe("Renamed");
        var dd = h.Sandbox.Dotdigital.FindContact(shopper.Email.Trim()).ShouldNotBeNull();
        dd.SmsStatus.ShouldBe("unsubscribed", "an SMS opt-out made in Dotdigital wins over the shop's opt-in");
        dd.DataFields["FIRSTNAME"].ShouldBe("Renamed");

        await using var runtime = await h.OpenAsync();
        await using var ddRuntime = await OpenDotdigitalAsync(h);
        foreach (var (destination, store) in new[] { ("emarsys", runtime.Store), ("dotdigital", ddRuntime.Store) })
        {
            var trace = await store.GetAttemptsAsync(destination, EntityKind.Customer, shopper.Id!, CancellationToken.None);
            trace.ShouldContain(a => a.RequestSummary != null && a.RequestSummary.Contains("SMS opt-out"), $"{destination}'s trace says why");
        }

        var reported = (await runtime.Store.GetConsentAsync([shopper.Id!], CancellationToken.None))
            .Concat(await ddRuntime.Store.GetConsentAsync([shopper.Id!], CancellationToken.None))
            .Where(e => e.Channel == ConsentChannels.Sms && e.Side == ConsentSide.Reported).ToList();
        reported.Select(e => (e.Destination, e.Status))
            .ShouldBe([("dotdigital", ConsentStatus.Unsubscribed), ("emarsys", ConsentStatus.Unsubscribed)], ignoreOrder: true);
    }

    [Fact]
    public async Task UnknownSmsConsent_IsNeverWritten_AnSmsOptInCollectedInTheDestinationSurvivesASourceChange()
    {
        await using var h = await SandboxHarness.StartAsync(12);
        var shopper = Shopper(h, 3, "015123456781", smsOptIn: null);
        await h.PassAsync();
        await DotdigitalPassAsync(h);
        var contact = (await h.ReadContactsAsync([shopper.Id!]))[shopper.Id!];
        contact[MobileField].ShouldBe("+4915123456781");
        contact.GetValueOrDefault(SmsField).ShouldBeNullOrEmpty("no answer at the shop: the SMS field is not written");
        h.Sandbox.Dotdigital.FindContact(shopper.Email.Trim())!.SmsStatus.ShouldBe("noSubscription");

        // The person signs up for SMS through each platform's own form.
        h.Sandbox.Emarsys.SetFieldInEmarsys(SandboxHarness.KeyField, shopper.Id!, SmsField, "1").ShouldBeTrue();
        h.Sandbox.Dotdigital.SetSmsStatus(shopper.Email.Trim(), "subscribed");
        h.Sandbox.Commercetools.UpdateCustomer(shopper.Id!, c => c.LastName = "Changed").ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.PassAsync(new PassOptions { Full = true });
        await DotdigitalPassAsync(h);

        contact = (await h.ReadContactsAsync([shopper.Id!]))[shopper.Id!];
        contact["2"].ShouldBe("Changed");
        contact[SmsField].ShouldBe("1", "unknown at the shop never clears an SMS opt-in held by Emarsys");
        var dd = h.Sandbox.Dotdigital.FindContact(shopper.Email.Trim())!;
        dd.DataFields["LASTNAME"].ShouldBe("Changed");
        dd.SmsStatus.ShouldBe("subscribed", "unknown at the shop is never written to Dotdigital");
    }
}
