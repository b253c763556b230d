using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenTelemetry.Trace;
using Tributary.Core.Contracts;
using Tributary.Host.Configuration;
using Tributary.Host.Server.Dashboard;

namespace Tributary.Tests.Host.Dashboard;

/// <summary>The dashboard's JSON API against a real pipeline and the emulators.</summary>
[EndToEnd]
public sealed class DashboardSiteTests
{
    private static readonly JsonSerializerOptions Json = DashboardJson.Options;

    [Fact]
    public async Task Api_WithoutCredentials_Refused_WithToken_ListsQuarantinedRowsWithEmailsMasked()
    {
        await using var site = await DashboardTestSite.StartAsync();
        using var anonymous = site.Client(authorized: false);
        using var http = site.Client();

        (await anonymous.GetAsync("/api/lanes/quarantined")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var body = await http.GetStringAsync("/api/lanes/quarantined");
        var rows = JsonSerializer.Deserialize<List<LaneRow>>(body, Json)!;

        rows.Select(r => r.Key).ShouldBe(site.Harness.InvalidCustomers().Select(c => c.Id!), ignoreOrder: true);
        rows.ShouldAllBe(r => r.Reason != null && r.Reason.Contains("email"));
        foreach (var customer in site.Harness.ValidCustomers().Concat(site.Harness.InvalidCustomers()))
        {
            body.ShouldNotContain(customer.Email.Trim(), Case.Insensitive);
        }
    }

    [Fact]
    public async Task Overview_AfterAPass_CountsLanesFreshnessAndLatency()
    {
        await using var site = await DashboardTestSite.StartAsync();
        using var http = site.Client();

        var answer = await http.GetAsync("/api/overview");
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var overview = (await answer.Content.ReadFromJsonAsync<Overview>(Json))!;

        var customers = overview.Rows.Single(r => r.Destination == "emarsys" && r.Entity == Tributary.Core.Model.EntityKind.Customer);
        customers.Quarantined.ShouldBe(site.Harness.InvalidCustomers().Count);
        customers.Pending.ShouldBe(0);
        customers.FreshnessLagSeconds.ShouldBe(0);
        overview.Totals.Sent.ShouldBe(site.Harness.ValidCustomers().Count);
        overview.Latency.ShouldContain(l => l.Summary.Kind == "sweep" && l.Summary.Count == 1);
        overview.Reasons.ShouldContain(r => r.Lane == OutboxStatus.Quarantined && r.Count == customers.Quarantined);
    }

    [Fact]
    public async Task Overview_AfterAPass_ShowsTheBalanceTheSummaryPrints()
    {
        await using var site = await DashboardTestSite.StartAsync();
        using var http = site.Client();

        var overview = (await http.GetFromJsonAsync<Overview>("/api/overview", Json))!;

        var latest = overview.Balance.Latest.ShouldNotBeNull();
        latest.Kind.ShouldBe("sweep");
        var customers = latest.Sources.ShouldHaveSingleItem();
        customers.Read.ShouldBe(60);
        customers.Changed.ShouldBe(site.Harness.ValidCustomers().Count);
        customers.Rejected.ShouldBe(site.Harness.InvalidCustomers().Count);
        var contacts = latest.Rows.Single(r => r.Destination == "emarsys" && r.Kind == Tributary.Core.Model.EntityKind.Customer);
        contacts.Staged.ShouldBe(60);
        contacts.Sent.ShouldBe(overview.Totals.Sent);
        contacts.Quarantined.ShouldBe(overview.Rows.Single(r => r.Entity == Tributary.Core.Model.EntityKind.Customer).Quarantined);
        overview.Balance.SinceStart.Rows.ShouldBe(latest.Rows, "one pass so far: the sums are that pass");
    }

    [Fact]
    public async Task Replay_DryRunShowsDiffAndChangesNothing_ThenReplayDeliversTheFixedRecord()
    {
        await using var site = await DashboardTestSite.StartAsync();
        using var http = site.Client();
        var customer = site.Quarantined();
        site.Harness.Sandbox.Commercetools.UpdateCustomer(customer.Id!, c => c.Email = "fixed.person@example.com").ShouldBeTrue();
        var request = new ReplayRequest("quarantined", Keys: [customer.Id!], DryRun: true);

        (await http.PostAsJsonAsync("/api/replay", request, Json)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        http.DefaultRequestHeaders.Add(DashboardSite.CsrfHeader, "1");
        var plan = await (await http.PostAsJsonAsync("/api/replay", request, Json)).Content.ReadFromJsonAsync<ReplayPlan>(Json);

        plan!.Selected.ShouldBe(1);
        var item = plan.Items.ShouldHaveSingleItem();
        item.Outcome.ShouldBe("send");
        item.After["3"].ShouldBe("f***@example.com");
        (await site.Runtime.Store.GetOutboxAsync("emarsys", Tributary.Core.Model.EntityKind.Customer, customer.Id!, CancellationToken.None))!
            .Status.ShouldBe(OutboxStatus.Quarantined);

        var done = await (await http.PostAsJsonAsync("/api/replay", request with { DryRun = false }, Json)).Content.ReadFromJsonAsync<ReplayDone>(Json);

        done!.Requeued.ShouldBe(1);
        done.Sent.ShouldBeGreaterThanOrEqualTo(1);
        (await site.Harness.ReadContactsAsync([customer.Id!]))[customer.Id!]["3"].ShouldBe("fixed.person@example.com");
        (await site.Runtime.Store.GetOutboxAsync("emarsys", Tributary.Core.Model.EntityKind.Customer, customer.Id!, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Replay_DryRunWithARecordTheSourceCannotMap_SkipsAndListsItWithTheReason()
    {
        await using var site = await DashboardTestSite.StartAsync();
        using var http = site.Client();
        http.DefaultRequestHeaders.Add(DashboardSite.CsrfHeader, "1");
        var unmappable = site.Quarantined();
        site.Harness.Sandbox.Commercetools.UpdateCustomer(unmappable.Id!, c => c.DateOfBirth = "31/02/1990").ShouldBeTrue();

        var answer = await http.PostAsJsonAsync("/api/replay", new ReplayRequest("quarantined", DryRun: true), Json);

        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        var plan = (await answer.Content.ReadFromJsonAsync<ReplayPlan>(Json))!;
        plan.Selected.ShouldBe(site.Harness.InvalidCustomers().Count);
        var skipped = plan.Items.Single(i => i.Key == unmappable.Id);
        skipped.Outcome.ShouldBe("skip");
        skipped.Reason.ShouldNotBeNull().ShouldContain("dateOfBirth");
        plan.Items.Where(i => i.Key != unmappable.Id).ShouldAllBe(i => i.Outcome == "quarantine");
        (await site.Runtime.Store.GetOutboxAsync("emarsys", Tributary.Core.Model.EntityKind.Customer, unmappable.Id!, CancellationToken.None))!
            .Status.ShouldBe(OutboxStatus.Quarantined, "a dry run changes nothing");
    }

    [Fact]
    public async Task Replay_BodyNotSentAsJson_Answers400WithTheShapeToSend()
    {
        await using var site = await DashboardTestSite.StartAsync(5);
        using var http = site.Client();
        http.DefaultRequestHeaders.Add(DashboardSite.CsrfHeader, "1");

        var answer = await http.PostAsync("/api/replay", new StringContent("lane=quarantined", System.Text.Encoding.UTF8, "text/plain"));

        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await answer.Content.ReadAsStringAsync()).ShouldContain("lane");
    }

    [Fact]
    public async Task Trace_BySourceIdAndByEmail_ShowsSourceDeliveredValuesAndAttempts()
    {
        await using var site = await DashboardTestSite.StartAsync();
        using var http = site.Client();
        var customer = site.Harness.ValidCustomers()[0];

        var byId = (await http.GetFromJsonAsync<TraceResult>($"/api/trace?q={customer.Id}", Json))!;
        var byEmail = (await http.GetFromJsonAsync<TraceResult>($"/api/trace?q={Uri.EscapeDataString(customer.Email.Trim().ToUpperInvariant())}", Json))!;

        foreach (var result in new[] { byId, byEmail })
        {
            var record = result.Records.Single(r => r.Entity == Tributary.Core.Model.EntityKind.Customer);
            record.Key.ShouldBe(customer.Id);
            record.Source.ShouldNotBeNull()["sourceId"]!.GetValue<string>().ShouldBe(customer.Id);
            record.Source!["email"]!.GetValue<string>().ShouldBe(Tributary.Core.Rules.Masking.Email(customer.Email));
            var emarsys = record.Destinations.ShouldHaveSingleItem();
            emarsys.Delivered!["3"].ShouldBe(Tributary.Core.Rules.Masking.Email(customer.Email.Trim().ToLowerInvariant()));
            emarsys.Attempts.ShouldContain(a => a.Outcome == "sent");
        }

        (await http.GetFromJsonAsync<TraceResult>("/api/trace?q=no-such-record", Json))!.Records.ShouldBeEmpty();
    }

    [Fact]
    public async Task Consent_OptOutMadeInEmarsys_PulledBack_ShownInTheConsentViewAndTheCustomersTrace()
    {
        await using var site = await DashboardTestSite.StartAsync();
        using var http = site.Client();
        var customer = site.Harness.ValidCustomers().First(c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is true);
        site.Harness.Sandbox.Emarsys.SetFieldInEmarsys(Tributary.Tests.EndToEnd.SandboxHarness.KeyField, customer.Id!, "31", "2").ShouldBeTrue();
        await new Tributary.Engine.Consent.ConsentPullBack(site.Runtime.Destinations, site.Runtime.Store, site.Harness.Clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).RunAsync(CancellationToken.None);

        var view = (await http.GetFromJsonAsync<ConsentOverview>("/api/consent", Json))!;
        var subscribedAtShop = site.Harness.ValidCustomers().Count(c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is true);
        // Email rows: customers with a mobile number have SMS rows of their own.
        var source = view.Parties.Single(p => p.Party == "source" && p.Channel == "email");
        source.SourceSubscribed.ShouldBe(subscribedAtShop);
        var emarsys = view.Parties.Single(p => p.Party == "emarsys" && p.Channel == "email");
        emarsys.WrittenSubscribed.ShouldBe(subscribedAtShop);
        emarsys.ReportedSubscribed.ShouldBe(subscribedAtShop - 1);
        emarsys.Conflicts.ShouldBe(1);
        view.TotalConflicts.ShouldBe(1);
        view.Conflicts.ShouldHaveSingleItem().Contact.ShouldBe(customer.Id);

        var record = (await http.GetFromJsonAsync<TraceResult>($"/api/trace?q={customer.Id}", Json))!.Records
            .Single(r => r.Entity == Tributary.Core.Model.EntityKind.Customer);
        var email = record.Consent.Where(c => c.Channel == "email").ToList();
        email.Select(c => (c.Party, c.Side, c.Status)).ShouldBe(
            [("emarsys", "reported", "unsubscribed"), ("emarsys", "written", "subscribed"), ("source", "source", "subscribed")], ignoreOrder: true);
        email.Single(c => c.Side == "source").Origin.ShouldNotBeNull().ShouldContain("commercetools");
    }

    [Fact]
    public async Task Trace_Attempt_ShowsTheTraceIdOfTheDestinationCallAsCorrelationId()
    {
        var exported = new List<System.Diagnostics.Activity>();
        using var tracing = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(Tributary.Engine.Telemetry.Name)
            .AddInMemoryExporter(exported).Build();
        await using var site = await DashboardTestSite.StartAsync(5);
        using var http = site.Client();
        var customer = site.Harness.ValidCustomers()[0];

        var record = (await http.GetFromJsonAsync<TraceResult>($"/api/trace?q={customer.Id}", Json))!.Records
            .Single(r => r.Entity == Tributary.Core.Model.EntityKind.Customer);

        var sent = record.Destinations.ShouldHaveSingleItem().Attempts.First(a => a.Outcome == "sent");
        sent.Trace.ShouldNotBeNull().ShouldMatch("^[0-9a-f]{32}$");
        sent.Request.ShouldNotBeNull().ShouldStartWith("fields: ");
        sent.Request.ShouldNotContain(sent.Trace);
        List<System.Diagnostics.Activity> trace;
        lock (exported)
        {
            trace = exported.Where(a => a.TraceId.ToHexString() == sent.Trace).ToList();
        }

        // The id leads to the pass that delivered the record and to the call that carried it, with the record count and outcome.
        trace.ShouldContain(a => a.OperationName == "tributary.pass");
        trace.ShouldContain(a => a.OperationName == "tributary.destination.call" && (string?)a.GetTagItem("destination") == "emarsys"
            && (string?)a.GetTagItem("outcome") == "accepted");
    }

    [Fact]
    public async Task Page_TokenInQuery_SetsCookieThenServesThePageAndApiWithoutHeader()
    {
        await using var site = await DashboardTestSite.StartAsync(5);
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        using var http = new HttpClient(handler) { BaseAddress = site.Server.BaseUrl };

        (await http.GetAsync("/dashboard?token=wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var redirect = await http.GetAsync($"/dashboard?token={DashboardTestSite.Token}");

        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        redirect.Headers.Location!.ToString().ShouldBe("/dashboard");
        (await http.GetStringAsync("/dashboard")).ShouldContain("<title>Tributary dashboard</title>");
        (await http.GetStringAsync("/dashboard/app.js")).ShouldContain("/api/overview");
        (await http.GetAsync("/api/series")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void Problem_EnabledWithoutCredentials_SaysHowToFixIt_DisabledOrWithTokenIsFine()
    {
        TributaryConfig Config(DashboardConfig d) => new() { FilePath = "x.yaml", Dashboard = d };

        DashboardSite.Problem(Config(new DashboardConfig())).ShouldNotBeNull().ShouldContain("dashboard: { token: ${DASHBOARD_TOKEN} }");
        DashboardSite.Problem(Config(new DashboardConfig { Enabled = false })).ShouldBeNull();
        DashboardSite.Problem(Config(new DashboardConfig { Token = "t" })).ShouldBeNull();
        DashboardSite.Problem(Config(new DashboardConfig { User = "ops", Password = "p" })).ShouldBeNull();
    }
}
