using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.EndToEnd;

/// <summary>A damaged state file stops the service with a plain message and its fix; a backup copies the state while it is in use.</summary>
[EndToEnd]
public sealed class StateFileHealthTests
{
    private static async Task<(int Exit, List<string> Lines)> CliAsync(SandboxHarness h, string verb, string config, params string[] arguments)
    {
        var lines = new List<string>();
        using var child = Support.HostProcess.Start(h, verb, config, l => { lock (lines) { lines.Add(l); } }, arguments: arguments);
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        child.WaitForExit();
        lock (lines)
        {
            return (child.ExitCode, [.. lines]);
        }
    }

    private static void ShouldSayTheStateIsDamaged(int exit, List<string> lines, SandboxHarness h)
    {
        var output = string.Join("\n", lines);
        exit.ShouldBe(1, output);
        output.ShouldContain("State problem");
        output.ShouldContain("damaged");
        output.ShouldContain("./tributary backup");
        output.ShouldNotContain("   at ", Case.Sensitive, "no stack trace");
        h.Sandbox.Emarsys.ContactWriteRequests.ShouldBe(0, "nothing is sent from a state that cannot be read");
    }

    [Fact]
    public async Task Sync_StateFileIsNotADatabase_StopsWithThePlainProblemAndTheFix()
    {
        await using var h = await SandboxHarness.StartAsync(5);
        var config = h.WriteCliConfig("damaged");
        await File.WriteAllTextAsync(h.StatePath, new string('x', 8192));

        var (exit, lines) = await CliAsync(h, "sync", config);

        ShouldSayTheStateIsDamaged(exit, lines, h);
    }

    [Fact]
    public async Task Sync_SomePagesOverwritten_StopsInsteadOfReadingNothing()
    {
        await using var h = await SandboxHarness.StartAsync(200);
        await h.PassAsync();
        var writes = h.Sandbox.Emarsys.ContactWriteRequests;
        h.Sandbox.Emarsys.ResetCounters();
        var length = new FileInfo(h.StatePath).Length;
        length.ShouldBeGreaterThan(8 * 4096);
        await using (var file = new FileStream(h.StatePath, FileMode.Open, FileAccess.Write))
        {
            // Pages 3 to 6 of 4 KiB: table and index pages, not the header.
            file.Seek(2 * 4096, SeekOrigin.Begin);
            file.Write(Enumerable.Repeat((byte)0xAB, 4 * 4096).ToArray());
        }

        var (exit, lines) = await CliAsync(h, "sync", h.WriteCliConfig("damaged"));

        writes.ShouldBeGreaterThan(0);
        ShouldSayTheStateIsDamaged(exit, lines, h);
    }

    [Fact]
    public async Task Backup_CopiesTheStateConsistently_TheCopyOpensWithEverythingDelivered()
    {
        await using var h = await SandboxHarness.StartAsync(60);
        await h.PassAsync();
        var copy = Path.Combine(h.Directory, "copies", "state-copy.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);

        var (exit, lines) = await CliAsync(h, "backup", h.WriteCliConfig("backup"), "--to", copy);

        exit.ShouldBe(0, string.Join("\n", lines));
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(copy).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var keys = h.ValidCustomers().Select(c => c.Id!).ToList();
        await using var original = await SqliteSyncStore.OpenAsync(h.StatePath, CancellationToken.None);
        await using var restored = await SqliteSyncStore.OpenAsync(copy, CancellationToken.None);
        var expected = await original.GetDeliveredAsync("emarsys", EntityKind.Customer, keys, CancellationToken.None);
        var copied = await restored.GetDeliveredAsync("emarsys", EntityKind.Customer, keys, CancellationToken.None);
        expected.Count.ShouldBe(keys.Count);
        copied.Keys.ShouldBe(expected.Keys, ignoreOrder: true);
        copied.Values.Select(d => d.Hash).ShouldBe(expected.Values.Select(d => d.Hash), ignoreOrder: true);
    }
}
