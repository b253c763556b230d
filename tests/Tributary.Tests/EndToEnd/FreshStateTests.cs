using System.Text.RegularExpressions;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// An empty or missing state file next to a destination that already holds this shop's records: the pass says how many records
/// it is about to send and refuses (exit 2) until --fresh or state.allowFresh says so.
/// </summary>
[EndToEnd]
public sealed partial class FreshStateTests
{
    private static async Task<(int Exit, string Output)> CliAsync(SandboxHarness h, string verb, string config, params string[] arguments)
    {
        var lines = new List<string>();
        using var child = Support.HostProcess.Start(h, verb, config, l => { lock (lines) { lines.Add(l); } }, arguments: arguments);
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        child.WaitForExit();
        lock (lines)
        {
            return (child.ExitCode, string.Join("\n", lines));
        }
    }

    private static async Task<SandboxHarness> FilledThenStateLostAsync(int customers)
    {
        var h = await SandboxHarness.StartAsync(customers);
        await h.PassAsync();
        h.Sandbox.Emarsys.Contacts.Count.ShouldBeGreaterThan(0);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { h.StatePath, h.StatePath + "-wal", h.StatePath + "-shm" })
        {
            File.Delete(file);
        }

        h.Sandbox.Emarsys.ResetCounters();
        return h;
    }

    [Fact]
    public async Task Sync_StateLostNextToAFilledDestination_SaysHowManyItWouldSendAndRefuses_NothingSent()
    {
        await using var h = await FilledThenStateLostAsync(40);

        var (exit, output) = await CliAsync(h, "sync", h.WriteCliConfig("fresh"));

        exit.ShouldBe(2, output);
        output.ShouldContain("Not sending: the state file");
        output.ShouldContain("emarsys already holds 40 of the first 40 records asked");
        var count = WouldSend().Match(output);
        count.Success.ShouldBeTrue(output);
        int.Parse(count.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(h.ValidCustomers().Count, output);
        output.ShouldContain("--fresh");
        output.ShouldContain("state.allowFresh: true");
        h.Sandbox.Emarsys.ContactWriteRequests.ShouldBe(0, "nothing is sent before the user says so");
    }

    [Fact]
    public async Task Sync_StateLostWithFresh_SendsEverythingAgain()
    {
        await using var h = await FilledThenStateLostAsync(40);

        var (exit, output) = await CliAsync(h, "sync", h.WriteCliConfig("fresh"), "--fresh");

        exit.ShouldBe(0, output);
        output.ShouldNotContain("Not sending");
        h.Sandbox.Emarsys.ContactWriteRequests.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Sync_StateLostWithAllowFreshInTheConfig_SendsEverythingAgain()
    {
        await using var h = await FilledThenStateLostAsync(40);
        var config = h.WriteCliConfig("fresh");
        var text = await File.ReadAllTextAsync(config);
        await File.WriteAllTextAsync(config, text.Replace("  sqlite: state.db", "  sqlite: state.db\n  allowFresh: true", StringComparison.Ordinal));

        var (exit, output) = await CliAsync(h, "sync", config);

        exit.ShouldBe(0, output);
        h.Sandbox.Emarsys.ContactWriteRequests.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Sync_FirstRunAgainstAnEmptyDestination_AsksNothing()
    {
        await using var h = await SandboxHarness.StartAsync(20);

        var (exit, output) = await CliAsync(h, "sync", h.WriteCliConfig("first"));

        exit.ShouldBe(0, output);
        h.Sandbox.Emarsys.Contacts.Count.ShouldBe(h.ValidCustomers().Count);
    }

    [GeneratedRegex(@"This pass would send ([\d,]+) records again")]
    private static partial Regex WouldSend();
}
