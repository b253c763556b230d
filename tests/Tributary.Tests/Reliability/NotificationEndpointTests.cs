using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Host.Composition;
using Tributary.Host.Server;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Reliability;

/// <summary>
/// The commercetools push endpoint under abuse: duplicates and reordering, bad bodies and forged tokens, and a sustained
/// 1 000 notifications a second. Every refusal is counted and named; nothing refused reaches the inbox; nothing accepted is lost.
/// </summary>
[Reliability]
public sealed class NotificationEndpointTests
{
    private static async Task<(SandboxHarness H, PipelineRuntime Runtime, HostServer Server)> StartAsync(int customers)
    {
        var h = await SandboxHarness.StartAsync(customers);
        var runtime = await PipelineFactory.CreateAsync(RealtimeConfig.For(h, h.Sync()), TimeProvider.System, NullLoggerFactory.Instance,
            CancellationToken.None);
        await runtime.Pipeline.RunPassAsync(new Tributary.Engine.PassOptions(), null, CancellationToken.None);
        var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        return (h, runtime, server);
    }

    private static Uri Endpoint(HostServer server, string token = RealtimeConfig.PushToken) =>
        new(server.BaseUrl, $"/webhooks/commercetools?token={token}");

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Push_DuplicateAndOutOfOrder_AppliedOnceNewestWins()
    {
        var (h, runtime, server) = await StartAsync(10);
        await using var _ = h;
        await using var __ = runtime;
        await using var ___ = server;
        using var http = new HttpClient();
        var id = h.ValidCustomers()[0].Id!;
        var ct = h.Sandbox.Commercetools;
        ct.UpdateCustomer(id, c => c.LastName = "Older");
        var older = ct.GetCustomer(id)!.Version;
        ct.UpdateCustomer(id, c => c.LastName = "Newest");
        var newest = ct.GetCustomer(id)!.Version;

        // Newest first, then the older one, then both again (Pub/Sub redelivers).
        foreach (var (message, version) in new[] { ("m-new", newest), ("m-old", older), ("m-new", newest), ("m-old", older) })
        {
            (await http.PostAsync(Endpoint(server), Json(RealtimeConfig.CustomerNotification(message, id, version)))).StatusCode
                .ShouldBe(HttpStatusCode.NoContent);
        }

        server.Accepted.ShouldBe(2);
        server.Duplicates.ShouldBe(2);
        var writes = h.Sandbox.Emarsys.ContactWriteRequests;
        var report = await runtime.Pipeline.ProcessInboxAsync(100, null, CancellationToken.None);

        report.Messages.ShouldBe(2);
        report.Reread.ShouldBe(1, "two hints for one record cost one re-read");
        (h.Sandbox.Emarsys.ContactWriteRequests - writes).ShouldBe(1);
        (await h.ReadContactsAsync([id]))[id]["2"].ShouldBe("Newest");

        // A late copy of the older notification after delivery: re-read, unchanged, nothing sent.
        (await http.PostAsync(Endpoint(server), Json(RealtimeConfig.CustomerNotification("m-older-late", id, older)))).StatusCode
            .ShouldBe(HttpStatusCode.NoContent);
        await runtime.Pipeline.ProcessInboxAsync(100, null, CancellationToken.None);
        (h.Sandbox.Emarsys.ContactWriteRequests - writes).ShouldBe(1);
        (await h.ReadContactsAsync([id]))[id]["2"].ShouldBe("Newest");
    }

    [Fact]
    public async Task Push_MalformedOversizedForgedOrUnknownType_RejectedCountedAndTheValidOneStillDelivered()
    {
        var (h, runtime, server) = await StartAsync(10);
        await using var _ = h;
        await using var __ = runtime;
        await using var ___ = server;
        using var http = new HttpClient();
        var id = h.ValidCustomers()[1].Id!;
        h.Sandbox.Commercetools.UpdateCustomer(id, c => c.FirstName = "Valid");
        var version = h.Sandbox.Commercetools.GetCustomer(id)!.Version;
        var valid = RealtimeConfig.CustomerNotification("m-valid", id, version);
        var oversized = JsonSerializerHelper.Envelope(new string('x', 300 * 1024), "big");
        var notBase64 = """{"message":{"data":"%%%not-base64%%%","messageId":"e"}}""";
        var noResource = JsonSerializerHelper.Envelope("""{"notificationType":"Message","id":"m-nores"}""", "e-nores");
        var cart = JsonSerializerHelper.Envelope("""{"notificationType":"ResourceCreated","id":"m-cart","resource":{"typeId":"cart","id":"c1"},"version":1}""", "e-cart");

        var answers = new List<(string Case, HttpStatusCode Status, string Body)>();
        async Task Post(string name, Uri target, string body)
        {
            // Expect: 100-continue lets the endpoint refuse an oversized body before it is sent, so the answer is always read.
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = Json(body) };
            request.Headers.ExpectContinue = true;
            using var response = await http.SendAsync(request);
            answers.Add((name, response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        await Post("forged", Endpoint(server, "forged"), valid);
        await Post("no token", new Uri(server.BaseUrl, "/webhooks/commercetools"), valid);
        await Post("not json", Endpoint(server), "{{{");
        await Post("not base64", Endpoint(server), notBase64);
        await Post("no resource", Endpoint(server), noResource);
        await Post("oversized", Endpoint(server), oversized);
        await Post("unknown type", Endpoint(server), cart);
        await Post("valid", Endpoint(server), valid);

        answers.Select(a => (a.Case, (int)a.Status)).ShouldBe(
        [
            ("forged", 401), ("no token", 401), ("not json", 400), ("not base64", 400), ("no resource", 400), ("oversized", 413),
            ("unknown type", 204), ("valid", 204),
        ]);
        answers.Where(a => (int)a.Status >= 400).ShouldAllBe(a => a.Body.Contains("\"error\"", StringComparison.Ordinal));
        answers.Single(a => a.Case == "forged").Body.ShouldNotContain(RealtimeConfig.PushToken);
        server.Rejected["commercetools: wrong or missing token"].ShouldBe(2);
        server.Rejected["commercetools: malformed"].ShouldBe(3);
        server.Rejected["commercetools: body too large"].ShouldBe(1);
        server.Rejected["commercetools: ignored resource type"].ShouldBe(1);
        server.Accepted.ShouldBe(1);

        var pending = await runtime.Store.PendingInboxAsync(10, CancellationToken.None);
        pending.Select(p => p.Key).ShouldBe([id]);
        await runtime.Pipeline.ProcessInboxAsync(100, null, CancellationToken.None);
        (await h.ReadContactsAsync([id]))[id]["1"].ShouldBe("Valid");
    }

    /// <summary>Notifications a second and seconds of the sustained load (the issue asks for 60 s; the same figure runs here).</summary>
    internal const int LoadRate = 1000;
    internal const int LoadSeconds = 60;

    /// <summary>Pub/Sub's acknowledgement deadline for commercetools subscriptions: a later answer counts as a failure.</summary>
    internal static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Push_1000PerSecondSustained_AllStoredWithinTheWindowPlusTheAckDeadline_NoneLost()
    {
        var (h, runtime, server) = await StartAsync(100);
        await using var _ = h;
        await using var __ = runtime;
        await using var ___ = server;
        var ids = h.ValidCustomers().Select(c => c.Id!).ToList();
        // Pub/Sub counts an answer later than the acknowledgement deadline (10 s for commercetools) as a failure: so does this test.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 128 }) { Timeout = AckDeadline };

        var result = await InboxLoad.RunAsync(http, Endpoint(server), ids, LoadRate, LoadSeconds, CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        result.Sent.ShouldBe(LoadRate * LoadSeconds);
        // The rate held: the last notification was stored (its answer comes after the store) no later than the sending window
        // plus the deadline; an endpoint that keeps up only at a lower rate falls behind the schedule and fails here.
        result.Elapsed.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(LoadSeconds) + AckDeadline,
            $"{LoadRate * LoadSeconds} notifications took {result.Elapsed.TotalSeconds:0.0} s to be stored");
        result.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(LoadSeconds - 1), "the load was paced over the whole window");
        server.Accepted.ShouldBe(LoadRate * LoadSeconds);
        var stored = await runtime.Store.PendingInboxAsync(LoadRate * LoadSeconds + 10, CancellationToken.None);
        stored.Count.ShouldBe(LoadRate * LoadSeconds);
        stored.Select(s => s.MessageId).Distinct().Count().ShouldBe(LoadRate * LoadSeconds);
    }
}
