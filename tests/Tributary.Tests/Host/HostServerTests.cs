using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Centra;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Tests.EndToEnd;
using Tributary.Tests.Reliability;
using Tributary.Tests.Support;

namespace Tributary.Tests.Host;

[EndToEnd]
public sealed class HostServerTests
{
    [Fact]
    public async Task StartAsync_AddressTaken_SaysSoAndNamesTheAddress()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        await using var runtime = await PipelineFactory.CreateAsync(h.Config(), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)squatter.LocalEndpoint).Port}";

        var error = await Should.ThrowAsync<AddressInUseException>(() =>
            HostServer.StartAsync(url, runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None));

        error.Url.ShouldBe(url);
        error.Message.ShouldContain("already in use");
    }

    [Fact]
    public async Task PushWithNullResourceId_Answers400WithTheReason_AndStoresNothing()
    {
        await using var h = await SandboxHarness.StartAsync(2);
        await using var runtime = await PipelineFactory.CreateAsync(RealtimeConfig.For(h, h.Sync()), TimeProvider.System, NullLoggerFactory.Instance,
            CancellationToken.None);
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance,
            CancellationToken.None);
        using var http = new HttpClient();
        var payload = """{"notificationType":"ResourceUpdated","projectKey":"demo","id":"msg-null","resource":{"typeId":"customer","id":null},"version":2}""";

        using var answer = await http.PostAsync(new Uri(server.BaseUrl, $"/webhooks/commercetools?token={RealtimeConfig.PushToken}"),
            new StringContent(JsonSerializerHelper.Envelope(payload, "e-null"), Encoding.UTF8, "application/json"));

        answer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorOfAsync(answer)).ShouldContain("malformed");
        (await runtime.Store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CentraWebhookSignedWithATimestampBeyondTheCalendar_Answers401Stale_NotA500()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        var baseline = SandboxConfig.ForCentra(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var centra = baseline.Connector<CentraConfig>()!;
        var config = new TributaryConfig
        {
            FilePath = baseline.FilePath,
            StatePath = baseline.StatePath,
            Source = new CentraConfig { Url = centra.Url, Token = centra.Token, WebhookSecret = h.Options.Centra.WebhookSecret },
            Destinations = baseline.Destinations,
            Sync = baseline.Sync,
        };
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, h.Clock, NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient();
        var body = "payload=" + Uri.EscapeDataString("""{"events":[{"type":"customer","action":"update","id":"1"}]}""");
        const long farFuture = 99999999999999;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, "/webhooks/centra"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation(CentraWebhookVerifier.SignatureHeader,
            $"t={farFuture},v1={CentraWebhookVerifier.ComputeSignature(h.Options.Centra.WebhookSecret, farFuture, Encoding.UTF8.GetBytes(body))}");

        using var answer = await http.SendAsync(request);

        answer.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ErrorOfAsync(answer)).ShouldContain("Stale");
        (await runtime.Store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task EndpointThatFails_Answers500WithTheRequestId_AndLogsTheExceptionUnderIt()
    {
        await using var h = await SandboxHarness.StartAsync(2);
        var loggers = new CapturingLoggers();
        await using var runtime = await PipelineFactory.CreateAsync(RealtimeConfig.For(h, h.Sync()), TimeProvider.System, NullLoggerFactory.Instance,
            CancellationToken.None);
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, loggers, CancellationToken.None);
        using var http = new HttpClient();
        // The state store goes away under the running service: storing the notification fails, which is our fault, not the sender's.
        await runtime.Store.DisposeAsync();

        using var answer = await http.PostAsync(new Uri(server.BaseUrl, $"/webhooks/commercetools?token={RealtimeConfig.PushToken}"),
            new StringContent(RealtimeConfig.CustomerNotification("m-1", h.ValidCustomers()[0].Id!, 2), Encoding.UTF8, "application/json"));

        answer.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var requestId = answer.Headers.GetValues("X-Request-Id").ShouldHaveSingleItem();
        (await ErrorOfAsync(answer)).ShouldContain(requestId);
        var logged = loggers.Lines.Where(l => l.Level == LogLevel.Error).ShouldHaveSingleItem();
        logged.Exception.ShouldNotBeNull();
        logged.Message.ShouldContain(requestId);
        logged.Message.ShouldContain("/webhooks/commercetools");
    }

    private static async Task<string> ErrorOfAsync(HttpResponseMessage answer)
    {
        var body = await answer.Content.ReadAsStringAsync();
        body.ShouldNotBeNullOrWhiteSpace("a refusal carries its reason");
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error").GetString().ShouldNotBeNull();
        var detail = json.RootElement.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? " " + d.GetString() : "";
        (error + detail).ShouldNotContain("\n");
        return error + detail;
    }
}
