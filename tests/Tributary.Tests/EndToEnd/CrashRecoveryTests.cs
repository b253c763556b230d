using System.Diagnostics;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.EndToEnd;

/// <summary>The real CLI in a child process, killed mid-run and restarted: nothing is lost and nothing is duplicated.</summary>
[EndToEnd]
public sealed class CrashRecoveryTests
{
    private static string WriteConfig(SandboxHarness h) => h.WriteCliConfig("crash-test", emarsysExtra: "batchSize: 50", tail: """
        sync:
          pageSize: 100
          deliveryConcurrency: 1
          retry:
            baseDelay: 10ms
            maxDelay: 100ms

        """);

    private static Process StartSync(SandboxHarness h, string config) => Support.HostProcess.Start(h, "sync", config, _ => { });

    private static async Task KillAfterWritesAsync(SandboxHarness h, Process child, long writes)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Sandbox.Emarsys.ContactWriteObserved = n =>
        {
            if (n >= writes)
            {
                reached.TrySetResult();
            }
        };
        var exited = child.WaitForExitAsync();
        var first = await Task.WhenAny(reached.Task, exited).WaitAsync(TimeSpan.FromMinutes(2));
        first.ShouldBe(reached.Task, "the sync finished before it could be killed; the test no longer interrupts it");
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync();
        h.Sandbox.Emarsys.ContactWriteObserved = null;
    }

    [Fact]
    public async Task Sync_KilledTwiceMidRun_RestartCompletesWithNothingLostOrDuplicated()
    {
        await using var h = await SandboxHarness.StartAsync(2000, seed: 7);
        // Slow each Emarsys call a little so the kills land while work is in flight.
        h.Sandbox.Emarsys.Faults.Options.Latency = TimeSpan.FromMilliseconds(15);
        var config = WriteConfig(h);
        var valid = h.ValidCustomers();

        using (var first = StartSync(h, config))
        {
            await KillAfterWritesAsync(h, first, 4);
        }

        h.Sandbox.Emarsys.Contacts.Count.ShouldBeLessThan(valid.Count);
        using (var second = StartSync(h, config))
        {
            await KillAfterWritesAsync(h, second, h.Sandbox.Emarsys.ContactWriteRequests + 9);
        }

        h.Sandbox.Emarsys.Contacts.Count.ShouldBeLessThan(valid.Count);
        using (var third = StartSync(h, config))
        {
            await third.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            third.ExitCode.ShouldBe(0);
        }

        var stored = h.Sandbox.Emarsys.Contacts;
        stored.Count.ShouldBe(valid.Count);
        stored.Select(c => c.Fields[SandboxHarness.KeyField]).Distinct().Count().ShouldBe(valid.Count);
        var contacts = await h.ReadContactsAsync(valid.Select(c => c.Id!));
        foreach (var customer in valid)
        {
            SandboxHarness.ShouldMatch(contacts[customer.Id!], customer);
        }

        await using var store = await SqliteSyncStore.OpenAsync(Path.Combine(h.Directory, "state.db"), CancellationToken.None);
        var lanes = await store.CountLanesAsync(CancellationToken.None);
        lanes.Where(l => l.Status != OutboxStatus.Quarantined).Sum(l => l.Count).ShouldBe(0);
        lanes.Where(l => l.Status == OutboxStatus.Quarantined).Sum(l => l.Count).ShouldBe(h.InvalidCustomers().Count);
        var delivered = await store.GetDeliveredAsync("emarsys", EntityKind.Customer, valid.Select(c => c.Id!).ToList(), CancellationToken.None);
        delivered.Count.ShouldBe(valid.Count);
    }
}
