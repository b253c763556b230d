using Tributary.Core.Model;
using Tributary.Host.Output;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// `sync` as automation runs it, in a child process with its output piped: the JSON pass report carries the same balance as the
/// summary, the output is plain text without a progress line, and the exit code says whether records went dead.
/// </summary>
[EndToEnd]
public sealed class SyncReportTests
{
    private static async Task<(int Exit, List<string> Lines)> SyncAsync(SandboxHarness h, string config, params string[] arguments)
    {
        var lines = new List<string>();
        using var sync = Support.HostProcess.Start(h, "sync", config, l => { lock (lines) { lines.Add(l); } }, arguments: arguments);
        await sync.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        lock (lines)
        {
            return (sync.ExitCode, [.. lines]);
        }
    }

    [Fact]
    public async Task Sync_Piped_WritesAJsonReportThatBalances_PlainTextWithoutProgress()
    {
        await using var h = await SandboxHarness.StartAsync(120);
        var config = h.WriteCliConfig("report-test");
        var file = Path.Combine(h.Directory, "out", "pass.json");

        var (exit, lines) = await SyncAsync(h, config, "--json", file);

        exit.ShouldBe(0, string.Join('\n', lines));
        var report = PassReportFile.Read(await File.ReadAllTextAsync(file)).ShouldNotBeNull();
        report.Outcome.ShouldBe("completed");
        report.ExitCode.ShouldBe(0);
        report.Pass.ShouldBe("full");
        var customers = report.Sources.ShouldHaveSingleItem();
        customers.Entity.ShouldBe(EntityKind.Customer);
        customers.Read.ShouldBe(120);
        (customers.Unchanged + customers.Changed + customers.Skipped + customers.Rejected).ShouldBe(customers.Read);
        customers.Rejected.ShouldBe(h.InvalidCustomers().Count);
        var contacts = report.Destinations.Single(r => r.Destination == "emarsys" && r.Kind == EntityKind.Customer);
        contacts.Sent.ShouldBe(h.ValidCustomers().Count);
        contacts.Sent.ShouldBe(h.Sandbox.Emarsys.Contacts.Count);
        contacts.Quarantined.ShouldBe(h.InvalidCustomers().Count);
        (contacts.Sent + contacts.Parked + contacts.Quarantined + contacts.Dead + contacts.Pending).ShouldBe(contacts.Staged + contacts.Carried);
        report.Lanes.Single(l => l.Lane == "quarantined").Records.ShouldBe(contacts.Quarantined);

        var output = string.Join('\n', lines);
        output.ShouldNotContain("\u001b[", Case.Sensitive, "no terminal codes when stdout is not a terminal");
        output.ShouldNotContain("\r");
        lines.ShouldNotContain(l => l.TrimStart().StartsWith("00:", StringComparison.Ordinal), "no progress line when not on a terminal");
        output.ShouldContain("Full sync");
        output.ShouldContain("read = unchanged + changed + skipped + rejected");
        output.ShouldContain("staged + from before = sent + parked + quarantined + dead + pending");
    }

    [Fact]
    public async Task Sync_RecordsGoDead_ExitsWith3AndTheReportSaysSo()
    {
        await using var h = await SandboxHarness.StartAsync(30);
        var config = h.WriteCliConfig("dead-test", tail: """
            sync:
              retry:
                maxAttempts: 2
                baseDelay: 10ms
                maxDelay: 20ms

            """);
        h.Sandbox.Emarsys.Faults.Options.ServerErrorRate = 1;
        var file = Path.Combine(h.Directory, "pass.json");

        var (exit, lines) = await SyncAsync(h, config, "--json", file);

        exit.ShouldBe(3, string.Join('\n', lines));
        var report = PassReportFile.Read(await File.ReadAllTextAsync(file)).ShouldNotBeNull();
        report.ExitCode.ShouldBe(3);
        var contacts = report.Destinations.Single(r => r.Kind == EntityKind.Customer);
        contacts.Dead.ShouldBe(h.ValidCustomers().Count);
        contacts.Retried.ShouldBe(h.ValidCustomers().Count, "retried counts records, not attempts");
        string.Join('\n', lines).ShouldContain("went dead");
    }
}
