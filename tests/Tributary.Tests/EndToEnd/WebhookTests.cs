using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Centra;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Emarsys;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Sandbox.Centra;
using Tributary.Tests.Support;

namespace Tributary.Tests.EndToEnd;

/// <summary>Centra webhooks into the durable inbox: verified before anything is stored, then re-read and delivered.</summary>
[EndToEnd]
public sealed class WebhookTests
{
    [Fact]
    public async Task CentraWebhook_ForgedOrStale_Refused401AndNothingStored_ValidOne_ReachesEmarsys()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        var centra = h.Sandbox.Centra;
        var id = centra.AddCustomer(new CentraSandboxCustomer { Email = "ann@example.com", FirstName = "Ann", Newsletter = true });
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var baseline = SandboxConfig.ForCentra(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var config = new TributaryConfig
        {
            FilePath = baseline.FilePath,
            StatePath = baseline.StatePath,
            Source = new CentraConfig { Url = baseline.Connector<CentraConfig>()!.Url, Token = baseline.Connector<CentraConfig>()!.Token, WebhookSecret = h.Options.Centra.WebhookSecret },
            Destinations = baseline.Destinations,
            Sync = baseline.Sync,
        };
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        await runtime.Pipeline.RunPassAsync(new Tributary.Engine.PassOptions(), null, CancellationToken.None);
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, h.Clock, NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient();
        var target = new Uri(server.BaseUrl, "/webhooks/centra");
        centra.UpdateCustomer(id, c => c.FirstName = "Annie");
        var payload = centra.WebhookPayload(new CentraWebhookEvent("customer", "update", $"{id}"));

        var forged = CentraEmulator.SignWebhook(payload, "not-the-secret", h.Clock.GetUtcNow());
        var stale = CentraEmulator.SignWebhook(payload, h.Options.Centra.WebhookSecret, h.Clock.GetUtcNow().AddMinutes(-30));
        var forgedAnswer = await PostAsync(http, target, forged);
        var staleAnswer = await PostAsync(http, target, stale);
        var unsigned = await http.PostAsync(target, new StringContent("payload=" + Uri.EscapeDataString(payload), Encoding.UTF8, "application/x-www-form-urlencoded"));

        ((int)forgedAnswer).ShouldBe(401);
        ((int)staleAnswer).ShouldBe(401);
        ((int)unsigned.StatusCode).ShouldBe(401);
        (await runtime.Store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
        server.Rejected.Values.Sum().ShouldBe(3);

        var valid = CentraEmulator.SignWebhook(payload, h.Options.Centra.WebhookSecret, h.Clock.GetUtcNow());
        ((int)await PostAsync(http, target, valid)).ShouldBe(200);
        ((int)await PostAsync(http, target, valid)).ShouldBe(200);
        server.Accepted.ShouldBe(1);
        server.Duplicates.ShouldBe(1);

        var report = await runtime.Pipeline.ProcessInboxAsync(100, null, CancellationToken.None);

        report.Reread.ShouldBe(1);
        (await h.ReadContactsAsync([$"{id}"]))[$"{id}"]["1"].ShouldBe("Annie");
        (await runtime.Store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    private static async Task<System.Net.HttpStatusCode> PostAsync(HttpClient http, Uri target, CentraSignedWebhook webhook)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(webhook.Body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        foreach (var (name, value) in webhook.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}

/// <summary>commercetools Subscription notifications pushed in the Pub/Sub envelope, into the inbox, re-read and delivered.</summary>
[EndToEnd]
public sealed class CommercetoolsPushTests
{
    private static StringContent Envelope(string payloadJson, string messageId) =>
        new(JsonSerializerHelper.Envelope(payloadJson, messageId), Encoding.UTF8, "application/json");

    /// <summary>The sandbox's commercetools-to-Emarsys config with push notifications on, behind the token <c>push-secret</c>.</summary>
    internal static TributaryConfig PushConfig(SandboxHarness h)
    {
        var baseline = SandboxConfig.For(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var ct = baseline.Connector<CommercetoolsConfig>()!;
        return new TributaryConfig
        {
            FilePath = baseline.FilePath,
            StatePath = baseline.StatePath,
            Source = new CommercetoolsConfig
            {
                ApiUrl = ct.ApiUrl, AuthUrl = ct.AuthUrl, ProjectKey = ct.ProjectKey, ClientId = ct.ClientId, ClientSecret = ct.ClientSecret,
                PushToken = "push-secret",
            },
            Destinations = baseline.Destinations,
            Sync = baseline.Sync,
        };
    }

    [Fact]
    public async Task Push_WrongTokenMalformedOrUnknownType_NothingStored_ValidNotification_ReachesEmarsysOnce()
    {
        await using var h = await SandboxHarness.StartAsync(20);
        var config = PushConfig(h);
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        await runtime.Pipeline.RunPassAsync(new Tributary.Engine.PassOptions(), null, CancellationToken.None);
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient();
        var customer = h.ValidCustomers()[0];
        h.Sandbox.Commercetools.UpdateCustomer(customer.Id!, c => c.LastName = "Pushed");
        var payload = $$"""{"notificationType":"ResourceUpdated","projectKey":"demo","id":"msg-1","resource":{"typeId":"customer","id":"{{customer.Id}}"},"version":2}""";
        var endpoint = new Uri(server.BaseUrl, "/webhooks/commercetools?token=push-secret");

        ((int)(await http.PostAsync(new Uri(server.BaseUrl, "/webhooks/commercetools?token=guess"), Envelope(payload, "e-1"))).StatusCode).ShouldBe(401);
        ((int)(await http.PostAsync(endpoint, new StringContent("{\"message\":{}}", Encoding.UTF8, "application/json"))).StatusCode).ShouldBe(400);
        ((int)(await http.PostAsync(endpoint, new StringContent("not json", Encoding.UTF8, "application/json"))).StatusCode).ShouldBe(400);
        var unknown = """{"notificationType":"ResourceCreated","projectKey":"demo","id":"msg-x","resource":{"typeId":"cart","id":"c1"},"version":1}""";
        ((int)(await http.PostAsync(endpoint, Envelope(unknown, "e-x"))).StatusCode).ShouldBe(204);
        (await runtime.Store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();

        ((int)(await http.PostAsync(endpoint, Envelope(payload, "e-1"))).StatusCode).ShouldBe(204);
        ((int)(await http.PostAsync(endpoint, Envelope(payload, "e-2"))).StatusCode).ShouldBe(204);
        server.Accepted.ShouldBe(1);
        server.Duplicates.ShouldBe(1);

        var metrics = await http.GetStringAsync(new Uri(server.BaseUrl, "/metrics"));
        PrometheusText.Value(metrics, "tributary_inbox_pending", ("pipeline", "default")).ShouldBe(1);
        PrometheusText.Value(metrics, "tributary_notifications_total", ("pipeline", "default"), ("outcome", "refused"),
            ("reason", "commercetools: wrong or missing token")).ShouldBe(1);
        PrometheusText.Value(metrics, "tributary_notifications_total", ("pipeline", "default"), ("outcome", "duplicate")).ShouldBe(1);

        var writes = h.Sandbox.Emarsys.ContactWriteRequests;
        var report = await runtime.Pipeline.ProcessInboxAsync(100, null, CancellationToken.None);

        report.Reread.ShouldBe(1);
        (h.Sandbox.Emarsys.ContactWriteRequests - writes).ShouldBe(1);
        (await h.ReadContactsAsync([customer.Id!]))[customer.Id!]["2"].ShouldBe("Pushed");
    }
}

internal static class JsonSerializerHelper
{
    public static string Envelope(string payloadJson, string messageId) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["message"] = new Dictionary<string, object>
            {
                ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payloadJson)),
                ["messageId"] = messageId,
                ["publishTime"] = "2026-11-23T10:00:00Z",
            },
            ["subscription"] = "projects/p/subscriptions/s",
        });
}

/// <summary>A stored webhook wakes the real-time lane, so a notification does not wait for the lane's idle poll.</summary>
[EndToEnd]
public sealed class WebhookWakesTheLaneTests
{
    [Fact]
    public async Task Push_StoredNotification_WakesTheLaneWhichDeliversItLongBeforeItsPoll_DuplicateWakesNothing()
    {
        await using var h = await SandboxHarness.StartAsync(5);
        var config = CommercetoolsPushTests.PushConfig(h);
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        await runtime.Pipeline.RunPassAsync(new Tributary.Engine.PassOptions(), null, CancellationToken.None);
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        // The lane's own poll is an hour away: only the wake can make it look.
        using var lane = new Tributary.Engine.Hosting.RealtimeLane(runtime.Pipeline,
            new Tributary.Engine.Hosting.RealtimeLaneOptions { IdlePoll = TimeSpan.FromHours(1) }, TimeProvider.System, NullLogger.Instance);
        var wakes = 0;
        server.Notified += () => Interlocked.Increment(ref wakes);
        server.Notified += lane.Wake;
        await lane.StartAsync(CancellationToken.None);
        var customer = h.ValidCustomers()[0];
        h.Sandbox.Commercetools.UpdateCustomer(customer.Id!, c => c.LastName = "Woken");
        var payload = $$"""{"notificationType":"ResourceUpdated","projectKey":"demo","id":"msg-1","resource":{"typeId":"customer","id":"{{customer.Id}}"},"version":2}""";
        var endpoint = new Uri(server.BaseUrl, "/webhooks/commercetools?token=push-secret");
        using var http = new HttpClient();

        ((int)(await http.PostAsync(endpoint, new StringContent(JsonSerializerHelper.Envelope(payload, "e-1"), Encoding.UTF8, "application/json"))).StatusCode).ShouldBe(204);
        ((int)(await http.PostAsync(endpoint, new StringContent(JsonSerializerHelper.Envelope(payload, "e-2"), Encoding.UTF8, "application/json"))).StatusCode).ShouldBe(204);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        string? lastName = null;
        while (waited.Elapsed < TimeSpan.FromSeconds(10) && lastName != "Woken")
        {
            lastName = (await h.ReadContactsAsync([customer.Id!]))[customer.Id!]["2"];
            await Task.Delay(50);
        }

        await lane.StopAsync(CancellationToken.None);
        lastName.ShouldBe("Woken", "the woken lane re-read and delivered the notified customer without waiting an hour");
        wakes.ShouldBe(1, "the duplicate (same message id) stored nothing and woke nothing");
    }
}

