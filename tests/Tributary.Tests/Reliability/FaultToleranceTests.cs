using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Contracts;
using Tributary.Host.Composition;
using Tributary.Host.Server;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Reliability;

/// <summary>
/// A destination that fails a fifth of its calls with 5xx, hangs 5% until a gateway timeout and answers 429 in bursts of five every two seconds, during a
/// backfill with live notifications: everything is delivered and no transient error ends in the dead lane.
/// </summary>
[Reliability]
public sealed class FaultToleranceTests
{
    [Fact]
    public async Task Backfill_With5xxTimeoutsAnd429Bursts_EverythingDeliveredNothingDead()
    {
        await using var h = await SandboxHarness.StartAsync(3000, seed: 11);
        var faults = h.Sandbox.Emarsys.Faults;
        faults.Options.ServerErrorRate = 0.20;
        faults.Options.TimeoutRate = 0.05;
        faults.Options.TimeoutDelay = TimeSpan.FromMilliseconds(300);
        faults.Options.RetryAfterSeconds = 1;
        // The bursts below (five 429s every two seconds) are answered as plain text with only X-Ratelimit-Reset, which names
        // the platform's lagging clock. With Retry-After (the sandbox's default answer) each of the five would rightly pause
        // the budget a full second, five seconds of pause every two: a storm no client could outlast, not a test of one.
        h.Sandbox.Emarsys.Options.RateLimitAnswer = Tributary.Sandbox.Emarsys.EmarsysRateLimitAnswer.PlainText;
        // A call fails about 3 times in 10 here (5xx, timeouts), and a contact's first delivery is one to three calls. With
        // 3 000 contacts, 8 attempts would leave one dead in roughly one run of ten by chance alone (3000 x 0.3^8); 12 make
        // that about one in six hundred (3000 x 0.3^12), so a dead row means a bug, not bad luck.
        var sync = h.Sync(batchSize: 100, maxAttempts: 12);
        await using var runtime = await PipelineFactory.CreateAsync(RealtimeConfig.For(h, sync, emarsysBatchSize: 25), TimeProvider.System, NullLoggerFactory.Instance,
            CancellationToken.None);
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance,
            CancellationToken.None);
        using var http = new HttpClient();
        using var stop = new CancellationTokenSource();

        // 429 bursts: five in a row every two seconds, for as long as the backfill runs. The platforms' clock follows real
        // time here, so the reset time a 429 names is one second ahead of the pipeline's clock.
        var bursts = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var behind = TimeProvider.System.GetUtcNow() - h.Clock.GetUtcNow();
                if (behind > TimeSpan.Zero)
                {
                    h.Clock.Advance(behind);
                }

                faults.RateLimitNext(5);
                await Task.Delay(2000, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });

        var backfill = runtime.Pipeline.RunPassAsync(new Tributary.Engine.PassOptions(Full: true), null, CancellationToken.None);
        var ids = h.ValidCustomers().Select(c => c.Id!).ToList();
        var live = ids.Where((_, i) => i % 50 == 0).ToList();
        foreach (var id in live)
        {
            h.Sandbox.Commercetools.UpdateCustomer(id, c => c.LastName = "Live");
            var version = h.Sandbox.Commercetools.GetCustomer(id)!.Version;
            using var answer = await http.PostAsync(new Uri(server.BaseUrl, $"/webhooks/commercetools?token={RealtimeConfig.PushToken}"),
                new StringContent(RealtimeConfig.CustomerNotification($"live-{id}", id, version), Encoding.UTF8, "application/json"));
            answer.IsSuccessStatusCode.ShouldBeTrue();
            await runtime.Pipeline.ProcessInboxAsync(100, null, CancellationToken.None);
        }

        await backfill;
        // Whatever the real-time lane staged after the backfill's workers finished goes out on the next round.
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(2);
        while ((await runtime.Store.CountLanesAsync(CancellationToken.None)).Any(l => l.Status == OutboxStatus.Pending && l.Count > 0))
        {
            TimeProvider.System.GetUtcNow().ShouldBeLessThan(deadline, "rows still pending after two minutes");
            await runtime.Pipeline.ProcessInboxAsync(100, null, CancellationToken.None);
            await runtime.Pipeline.RunPassAsync(new Tributary.Engine.PassOptions(ReadSource: false), null, CancellationToken.None);
        }

        await stop.CancelAsync();
        await bursts;

        faults.Injected.ShouldBeGreaterThan(20, "the faults did not fire; the test no longer tests them");
        faults.Reset(); // the checks below read Emarsys back
        var lanes = await runtime.Store.CountLanesAsync(CancellationToken.None);
        var deadRows = await runtime.Store.ListAsync(OutboxStatus.Dead, null, 10, CancellationToken.None);
        lanes.Where(l => l.Status == OutboxStatus.Dead).Sum(l => l.Count)
            .ShouldBe(0, string.Join(" | ", deadRows.Select(r => $"{r.Entity} {r.Key} after {r.Attempts} attempts: {r.LastError}")));
        lanes.Where(l => l.Status is OutboxStatus.Pending or OutboxStatus.Parked).Sum(l => l.Count).ShouldBe(0);
        var contacts = await h.ReadContactsAsync(ids);
        contacts.Count.ShouldBe(ids.Count);
        foreach (var customer in h.ValidCustomers())
        {
            SandboxHarness.ShouldMatch(contacts[customer.Id!], customer);
        }

        live.ShouldAllBe(id => contacts[id]["2"] == "Live");
    }
}
