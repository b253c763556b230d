using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Engine.Alerts;

namespace Tributary.Tests.Engine.Alerts;

[Unit]
public sealed class AlertSendersTests
{
    private static readonly AlertNotice Firing = new("freshness:shop", AlertState.Firing, "shop: nothing delivered for 1 h while changes wait",
        "12 record(s) are waiting.", new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Webhook_PostsSlackCompatibleText()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = ReceiveHttpAsync(listener);
        using var http = new HttpClient();

        await new WebhookAlertSender(http, new Uri($"http://127.0.0.1:{port}/hooks/T000/B000/secret")).SendAsync(Firing, CancellationToken.None);

        var (requestLine, body) = await received;
        requestLine.ShouldBe("POST /hooks/T000/B000/secret HTTP/1.1");
        using var json = JsonDocument.Parse(body);
        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["text"]);
        json.RootElement.GetProperty("text").GetString().ShouldBe("ALERT: shop: nothing delivered for 1 h while changes wait\n12 record(s) are waiting.");
    }

    [Fact]
    public async Task Smtp_SendsOneMailWithSubjectAndBody_AndTheDispatcherOnlySendsStateChanges()
    {
        await using var smtp = await TinySmtpServer.StartAsync();
        var sender = new SmtpAlertSender(new SmtpAlertOptions
        {
            Host = "127.0.0.1",
            Port = smtp.Port,
            UseTls = false,
            From = "tributary@shop.example",
            To = ["ops@shop.example", "cx@shop.example"],
        });
        var clock = new TestClock(Firing.At);
        var dispatcher = new AlertDispatcher(new AlertEvaluator(new AlertOptions { Freshness = TimeSpan.FromMinutes(10) }, clock), [sender],
            NullLogger.Instance);
        var waiting = new AlertSnapshot("shop", [new Tributary.Core.Contracts.LaneCount("emarsys", Tributary.Core.Model.EntityKind.Customer,
            Tributary.Core.Contracts.OutboxStatus.Pending, 12)], 0, 0, 0, new Dictionary<string, long>());

        for (var i = 0; i < 6; i++)
        {
            await dispatcher.EvaluateAsync(waiting, CancellationToken.None);
            clock.Advance(TimeSpan.FromMinutes(5));
        }

        await dispatcher.EvaluateAsync(waiting with { Lanes = [], Delivered = 12 }, CancellationToken.None);

        smtp.Messages.Count.ShouldBe(2);
        var fired = smtp.Messages[0];
        var headers = fired.Data.Replace("\n ", " ", StringComparison.Ordinal).Replace("\n\t", " ", StringComparison.Ordinal);
        fired.Recipients.ShouldBe(["<ops@shop.example>", "<cx@shop.example>"]);
        headers.ShouldContain("Subject: [Tributary] ALERT: shop: nothing delivered for 10 min while changes wait");
        fired.Data.ShouldContain("12 record(s) are waiting to be sent");
        smtp.Messages[1].Data.ShouldContain("Subject: [Tributary] RECOVERED:");
    }

    [Fact]
    public async Task Dispatcher_ChannelDown_LogsAndKeepsGoing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient();
        var clock = new TestClock(Firing.At);
        var dispatcher = new AlertDispatcher(new AlertEvaluator(new AlertOptions { Freshness = TimeSpan.Zero }, clock),
            [new WebhookAlertSender(http, new Uri($"http://127.0.0.1:{port}/down"))], NullLogger.Instance);

        var notices = await dispatcher.EvaluateAsync(new AlertSnapshot("shop", [new Tributary.Core.Contracts.LaneCount("emarsys",
            Tributary.Core.Model.EntityKind.Customer, Tributary.Core.Contracts.OutboxStatus.Pending, 1)], 0, 0, 0, new Dictionary<string, long>()),
            CancellationToken.None);

        notices.Single().State.ShouldBe(AlertState.Firing);
    }

    private static async Task<(string RequestLine, string Body)> ReceiveHttpAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var n = await stream.ReadAsync(chunk);
            buffer.AddRange(chunk.AsSpan(0, n).ToArray());
        }

        var head = Encoding.ASCII.GetString(buffer.ToArray(), 0, headerEnd);
        var length = int.Parse(head.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Split(':')[1].Trim(),
            System.Globalization.CultureInfo.InvariantCulture);
        while (buffer.Count < headerEnd + 4 + length)
        {
            var n = await stream.ReadAsync(chunk);
            buffer.AddRange(chunk.AsSpan(0, n).ToArray());
        }

        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray());
        return (head.Split("\r\n")[0], Encoding.UTF8.GetString(buffer.ToArray(), headerEnd + 4, length));
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            if (!needle.Where((b, j) => haystack[i + j] != b).Any())
            {
                return i;
            }
        }

        return -1;
    }
}
