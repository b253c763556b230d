using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Sqlite;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Reliability;

/// <summary>
/// The real service (<c>run</c>, with its push endpoint) in a child process, killed with SIGKILL at random points ten times during
/// a 20 000-record sync while customers keep changing and notifications keep arriving, each time restarted: in the end the
/// destination equals the source, no change is lost, and no sales line or event trigger was sent twice.
/// </summary>
[Reliability]
public sealed class KillRestartTests
{
    private const int Customers = 15_000;
    private const int Orders = 5_000;
    private const int Kills = 10;


    [Fact]
    public async Task Run_KilledTenTimesDuringSyncWithLiveNotifications_DestinationEqualsSourceNothingLostNothingTwice()
    {
        await using var h = await SandboxHarness.StartAsync(Customers, seed: 3);
        h.SeedOrders(Orders, seed: 3);
        h.Sandbox.Emarsys.Faults.Options.Latency = TimeSpan.FromMilliseconds(30);
        var port = FreePort();
        var config = WriteConfig(h, port);
        var endpoint = new Uri($"http://127.0.0.1:{port}/webhooks/commercetools?token={RealtimeConfig.PushToken}");
        var random = new Random(2026);
        var valid = h.ValidCustomers().Select(c => c.Id!).ToList();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var stopChanges = new CancellationTokenSource();
        var unacknowledged = new ConcurrentQueue<(string MessageId, string Id)>();
        var changes = ChangeAndNotifyAsync(h, valid, unacknowledged, stopChanges.Token);
        var redelivery = RedeliverAsync(http, endpoint, unacknowledged, stopChanges.Token);
        var atKill = new List<(int Contacts, int SalesRows)>();

        for (var kill = 0; kill < Kills; kill++)
        {
            // A random point in the work: after 1 to 14 more Emarsys contact calls (whatever else is in flight then), or after
            // six seconds once the sync has nothing left to write.
            var target = h.Sandbox.Emarsys.ContactWriteRequests + random.Next(1, 15);
            using var child = Start(h, config);
            var until = TimeProvider.System.GetUtcNow().AddSeconds(6);
            while (h.Sandbox.Emarsys.ContactWriteRequests < target && TimeProvider.System.GetUtcNow() < until && !child.HasExited)
            {
                await Task.Delay(5);
            }

            child.HasExited.ShouldBeFalse($"the service stopped by itself before kill {kill + 1}: {string.Join('\n', Output)}");
            child.Kill(entireProcessTree: true); // SIGKILL: no shutdown code runs
            await child.WaitForExitAsync();
            atKill.Add((h.Sandbox.Emarsys.Contacts.Count, h.Sandbox.Emarsys.SalesRows.Count));
        }

        await stopChanges.CancelAsync();
        await changes;
        using (var last = Start(h, config))
        {
            await RedeliverAllAsync(http, endpoint, unacknowledged);
            await WaitUntilInStepAsync(h, last);
            last.Kill(entireProcessTree: true);
            await last.WaitForExitAsync();
        }

        await redelivery.ContinueWith(_ => { }, TaskScheduler.Default);
        // A kill landed mid-sync when contacts or sales lines were still missing at that moment.
        var finalRows = h.Sandbox.Emarsys.SalesRows.Count;
        atKill.Count(k => k.Contacts < valid.Count || k.SalesRows < finalRows).ShouldBeGreaterThanOrEqualTo(5,
            $"most kills landed after the sync had finished; the test no longer interrupts it: {string.Join(", ", atKill)}");

        // The destination equals the source, one contact per customer.
        var stored = h.Sandbox.Emarsys.Contacts;
        stored.Select(c => c.Fields[SandboxHarness.KeyField]).Distinct().Count().ShouldBe(stored.Count);
        var source = h.Sandbox.Commercetools.Customers.ToDictionary(c => c.Id!);
        var contacts = await h.ReadContactsAsync(valid);
        contacts.Count.ShouldBe(valid.Count);
        foreach (var id in valid)
        {
            SandboxHarness.ShouldMatch(contacts[id], source[id]);
        }

        // No sales line and no trigger twice.
        var lines = h.Sandbox.Emarsys.SalesRows.Select(r => $"{r["order"]}|{r["item"]}|{r["quantity"].StartsWith('-')}").ToList();
        lines.Count.ShouldBeGreaterThan(0);
        lines.GroupBy(l => l).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty();
        h.Sandbox.Emarsys.Triggers.Where(t => t.TriggerId is not null).GroupBy(t => t.TriggerId).Where(g => g.Count() > 1)
            .Select(g => g.Key).ShouldBeEmpty();

        // Nothing is left waiting; a fact whose send a kill interrupted is surfaced in the dead lane (never resent blindly).
        await using var store = await SqliteSyncStore.OpenAsync(Path.Combine(h.Directory, "state.db"), CancellationToken.None);
        var lanes = await store.CountLanesAsync(CancellationToken.None);
        lanes.Where(l => l.Status == OutboxStatus.Pending).Sum(l => l.Count).ShouldBe(0);
        // Parked rows are orders of customers whose contact can never be created (invalid email, quarantined): they wait, by design.
        var invalid = h.InvalidCustomers().Select(c => c.Id!).ToHashSet();
        var parked = await store.ListAsync(OutboxStatus.Parked, null, 100_000, CancellationToken.None);
        parked.Where(p => p.WaitingOn is not { Entity: EntityKind.Customer } w || !invalid.Contains(w.Key)).Select(p => $"{p.Entity} {p.Key}")
            .ShouldBeEmpty();
        lanes.Where(l => l.Status == OutboxStatus.Dead && l.Entity == EntityKind.Customer).Sum(l => l.Count).ShouldBe(0);
        var delivered = await store.GetDeliveredAsync("emarsys", EntityKind.Customer, valid, CancellationToken.None);
        delivered.Count.ShouldBe(valid.Count);
    }

    private static async Task ChangeAndNotifyAsync(SandboxHarness h, IReadOnlyList<string> ids, ConcurrentQueue<(string, string)> notify,
        CancellationToken stop)
    {
        var random = new Random(99);
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var id = ids[random.Next(ids.Count)];
            h.Sandbox.Commercetools.UpdateCustomer(id, c => c.LastName = $"Live{n}");
            h.Clock.Advance(TimeSpan.FromMilliseconds(50));
            notify.Enqueue(($"live-{n++}", id));
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Like Pub/Sub: a notification is delivered until the endpoint acknowledges it, whether or not the service is up.</summary>
    private static async Task RedeliverAsync(HttpClient http, Uri endpoint, ConcurrentQueue<(string MessageId, string Id)> queue, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (!await TryDeliverHeadAsync(http, endpoint, queue))
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private static async Task RedeliverAllAsync(HttpClient http, Uri endpoint, ConcurrentQueue<(string MessageId, string Id)> queue)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(1);
        while (!queue.IsEmpty)
        {
            TimeProvider.System.GetUtcNow().ShouldBeLessThan(deadline, "notifications were still refused after the last restart");
            if (!await TryDeliverHeadAsync(http, endpoint, queue))
            {
                await Task.Delay(100);
            }
        }
    }

    private static readonly SemaphoreSlim HeadGate = new(1, 1);

    private static async Task<bool> TryDeliverHeadAsync(HttpClient http, Uri endpoint, ConcurrentQueue<(string MessageId, string Id)> queue)
    {
        await HeadGate.WaitAsync();
        try
        {
            if (!queue.TryPeek(out var head))
            {
                return false;
            }

            using var content = new StringContent(RealtimeConfig.CustomerNotification(head.MessageId, head.Id, 0), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(endpoint, content);
            if (response.IsSuccessStatusCode)
            {
                queue.TryDequeue(out _);
                return true;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // The service is down (killed or starting): deliver again later.
        }
        finally
        {
            HeadGate.Release();
        }

        return false;
    }

    private static async Task WaitUntilInStepAsync(SandboxHarness h, Process child)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(2);
        while (true)
        {
            child.HasExited.ShouldBeFalse($"the service stopped before it caught up: {string.Join('\n', Output)}");
            var source = h.Sandbox.Commercetools.Customers.Where(c => Tributary.Core.Rules.EmailRule.TryNormalize(c.Email, out _, out _))
                .ToDictionary(c => c.Id!, c => c.LastName);
            var destination = h.Sandbox.Emarsys.Contacts.ToDictionary(c => c.Fields[SandboxHarness.KeyField], c => c.Fields.GetValueOrDefault("2"));
            if (source.All(s => destination.TryGetValue(s.Key, out var last) && last == s.Value) && h.Sandbox.Emarsys.SalesRows.Count > 0
                && await NothingWaitingAsync(h))
            {
                return;
            }

            TimeProvider.System.GetUtcNow().ShouldBeLessThan(deadline,
                $"not in step after two minutes: {source.Count(s => !destination.TryGetValue(s.Key, out var last) || last != s.Value)} customers differ");
            await Task.Delay(250);
        }
    }

    // Read beside the running service (SQLite allows a reader next to the writer).
    private static async Task<bool> NothingWaitingAsync(SandboxHarness h)
    {
        await using var store = await SqliteSyncStore.OpenAsync(Path.Combine(h.Directory, "state.db"), CancellationToken.None);
        var lanes = await store.CountLanesAsync(CancellationToken.None);
        if (lanes.Where(l => l.Status == OutboxStatus.Pending).Sum(l => l.Count) > 0)
        {
            return false;
        }

        // Rows parked behind a contact that has since been delivered are released at the end of the pass that delivered it:
        // only those behind a contact that can never exist (invalid email) may stay.
        var invalid = h.InvalidCustomers().Select(c => c.Id!).ToHashSet();
        var parked = await store.ListAsync(OutboxStatus.Parked, null, 100_000, CancellationToken.None);
        return parked.All(p => p.WaitingOn is { Entity: EntityKind.Customer } w && invalid.Contains(w.Key));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string WriteConfig(SandboxHarness h, int port)
    {
        var path = Path.Combine(h.Directory, "tributary.yaml");
        File.WriteAllText(path, $"""
            pipeline:
              name: kill-test
            state:
              sqlite: state.db
            server:
              url: http://127.0.0.1:{port}
            dashboard:
              enabled: false
            source:
              commercetools:
                apiUrl: {h.Sandbox.CommercetoolsUrl}
                authUrl: {h.Sandbox.CommercetoolsUrl}
                projectKey: {h.Options.Commercetools.ProjectKey}
                clientId: {h.Options.Commercetools.ClientId}
                clientSecret: ${"{"}TEST_CT_SECRET{"}"}
                pushToken: ${"{"}TEST_PUSH_TOKEN{"}"}
            destinations:
              emarsys:
                apiUrl: {h.Sandbox.EmarsysUrl}
                user: {h.Options.Emarsys.User}
                secret: ${"{"}TEST_EMARSYS_SECRET{"}"}
                batchSize: 200
                requestsPerMinute: 0
                salesDataUrl: {h.Sandbox.EmarsysUrl}
                merchantId: {h.Options.Emarsys.MerchantId}
                salesDataToken: ${"{"}TEST_SALES_TOKEN{"}"}
                eventIds:
                  OrderPlaced: "1001"
                  ShipmentDispatched: "1003"
            sync:
              entities: [customers, orders]
              interval: 1s
              pageSize: 500
              retry:
                baseDelay: 10ms
                maxDelay: 100ms
            """);
        return path;
    }

    // The last lines the service printed, for a failure message.
    private static readonly ConcurrentQueue<string> Output = new();

    private static void Keep(string? line)
    {
        if (line is not null)
        {
            Output.Enqueue(line);
            while (Output.Count > 20 && Output.TryDequeue(out _))
            {
            }
        }
    }

    private static Process Start(SandboxHarness h, string config) =>
        Support.HostProcess.Start(h, "run", config, Keep, new Dictionary<string, string> { ["TEST_PUSH_TOKEN"] = RealtimeConfig.PushToken });
}
