using System.Diagnostics;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Sqlite;
using Tributary.Tests.EndToEnd;
using Tributary.Tests.Support;

namespace Tributary.Tests.Workers;

/// <summary>
/// Three `worker` processes over one SQLite state file and a private RabbitMQ node, one killed mid-run: every record is
/// delivered, the last change of each key wins, and no sales line goes out twice.
/// </summary>
[Cluster]
public sealed class ClusterWorkerTests
{
    private static string WriteConfig(SandboxHarness h, string queuePrefix)
    {
        var path = Path.Combine(h.Directory, "tributary.yaml");
        File.WriteAllText(path, $"""
            pipeline:
              name: cluster-test
            state:
              sqlite: state.db
            source:
              commercetools:
                apiUrl: {h.Sandbox.CommercetoolsUrl}
                authUrl: {h.Sandbox.CommercetoolsUrl}
                projectKey: {h.Options.Commercetools.ProjectKey}
                clientId: {h.Options.Commercetools.ClientId}
                clientSecret: ${"{"}TEST_CT_SECRET{"}"}
            destinations:
              emarsys:
                apiUrl: {h.Sandbox.EmarsysUrl}
                user: {h.Options.Emarsys.User}
                secret: ${"{"}TEST_EMARSYS_SECRET{"}"}
                salesDataUrl: {h.Sandbox.EmarsysUrl}
                merchantId: {h.Options.Emarsys.MerchantId}
                salesDataToken: ${"{"}TEST_SALES_TOKEN{"}"}
                batchSize: 50
                requestsPerMinute: 0
            sync:
              entities: [customers, orders]
              interval: 1s
              pageSize: 200
              retry:
                baseDelay: 10ms
                maxDelay: 100ms
            cluster:
              amqp: ${"{"}TEST_AMQP_URL{"}"}
              partitions: 6
              memberTtl: 3s
              queuePrefix: {queuePrefix}
            """);
        return path;
    }

    private static Process StartWorker(SandboxHarness h, string config, Uri amqp, int n)
    {
        var log = Path.Combine(h.Directory, $"worker-{n}.log");
        return Support.HostProcess.Start(h, "worker", config, line => { lock (log) { File.AppendAllText(log, line + "\n"); } },
            new Dictionary<string, string> { ["TEST_AMQP_URL"] = amqp.ToString() });
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            deadline.Elapsed.ShouldBeLessThan(within, what);
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task ThreeWorkers_OneKilledMidRun_EveryRecordDeliveredOnceInKeyOrder()
    {
        var node = await RabbitMqNode.GetAsync();
        await using var h = await SandboxHarness.StartAsync(1200, seed: 5);
        h.SeedOrders(400);
        // Each call takes a little while, so the kill lands while work is in flight.
        h.Sandbox.Emarsys.Faults.Options.Latency = TimeSpan.FromMilliseconds(20);
        var config = WriteConfig(h, $"test.{Guid.NewGuid():N}");
        var workers = Enumerable.Range(0, 3).Select(n => StartWorker(h, config, node.Amqp, n)).ToList();
        try
        {
            await UntilAsync(() => h.Sandbox.Emarsys.ContactWriteRequests >= 4 || workers.Any(w => w.HasExited), TimeSpan.FromMinutes(2),
                "the workers never started writing contacts");
            workers.ShouldAllBe(w => !w.HasExited, "a worker stopped on its own; see worker-*.log in " + h.Directory);
            h.Sandbox.Emarsys.Contacts.Count.ShouldBeLessThan(h.ValidCustomers().Count, "the run finished before the kill");
            workers[1].Kill(entireProcessTree: true);
            await workers[1].WaitForExitAsync();

            // Changes while the cluster is working: each key is changed twice; only the last may stay at the destination.
            var changed = h.ValidCustomers().Take(60).Select(c => c.Id!).ToList();
            foreach (var id in changed)
            {
                h.Sandbox.Commercetools.UpdateCustomer(id, c => c.LastName = "First-" + c.LastName);
            }

            h.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1500);
            foreach (var id in changed)
            {
                h.Sandbox.Commercetools.UpdateCustomer(id, c => c.LastName = "Second-" + c.LastName![6..]);
            }

            h.Clock.Advance(TimeSpan.FromSeconds(1));
            var valid = h.ValidCustomers();
            await UntilAsync(() =>
            {
                var stored = h.Sandbox.Emarsys.Contacts;
                // Sales data goes out after the contacts it belongs to: the delivery is finished once it has arrived too.
                return stored.Count == valid.Count
                       && changed.All(id => stored.Any(c => c.Fields[SandboxHarness.KeyField] == id && c.Fields["2"]?.StartsWith("Second-", StringComparison.Ordinal) == true))
                       && h.Sandbox.Emarsys.SalesRows.Any(r => !r["quantity"].StartsWith('-'));
            }, TimeSpan.FromMinutes(2), "the surviving workers did not finish the delivery");
        }
        finally
        {
            foreach (var worker in workers.Where(w => !w.HasExited))
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }

            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }

        var stored = h.Sandbox.Emarsys.Contacts;
        stored.Select(c => c.Fields[SandboxHarness.KeyField]).Distinct().Count().ShouldBe(stored.Count);
        var contacts = await h.ReadContactsAsync(h.ValidCustomers().Select(c => c.Id!));
        foreach (var customer in h.ValidCustomers())
        {
            SandboxHarness.ShouldMatch(contacts[customer.Id!], customer);
        }

        var positive = h.Sandbox.Emarsys.SalesRows.Where(r => !r["quantity"].StartsWith('-')).Select(r => $"{r["order"]}|{r["item"]}").ToList();
        positive.ShouldNotBeEmpty();
        positive.Distinct().Count().ShouldBe(positive.Count, "a sales line went out twice");
        h.Sandbox.Emarsys.Triggers.Select(t => t.TriggerId).Distinct().Count().ShouldBe(h.Sandbox.Emarsys.Triggers.Count, "an event was triggered twice");

        await using var store = await SqliteSyncStore.OpenAsync(Path.Combine(h.Directory, "state.db"), CancellationToken.None);
        var delivered = await store.GetDeliveredAsync("emarsys", EntityKind.Customer, h.ValidCustomers().Select(c => c.Id!).ToList(), CancellationToken.None);
        delivered.Count.ShouldBe(h.ValidCustomers().Count);
        // Only a fact whose call the kill interrupted may wait in the dead lane, named uncertain, never resent blindly.
        var dead = await store.ListAsync(OutboxStatus.Dead, null, 100, CancellationToken.None);
        dead.ShouldAllBe(d => d.LastError != null && d.LastError.StartsWith("uncertain", StringComparison.Ordinal));
    }
}
