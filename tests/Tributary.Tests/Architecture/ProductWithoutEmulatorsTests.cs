using System.Diagnostics;
using System.Text.Json;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Architecture;

/// <summary>
/// The product binary carries no emulator: the host's files alone, without the demo module, the sandbox or Bogus, sync a
/// shop; the demo verb without them says what is missing.
/// </summary>
[EndToEnd]
public sealed class ProductWithoutEmulatorsTests
{
    private static readonly string[] EmulatorFiles = ["Tributary.Demo.dll", "Tributary.Sandbox.dll", "Bogus.dll"];

    [Fact]
    public void HostManifest_NamesNoEmulator()
    {
        var manifest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Tributary.Host.deps.json"));

        manifest.ShouldContain("Tributary.Engine");
        foreach (var name in new[] { "Tributary.Demo", "Tributary.Sandbox", "Bogus" })
        {
            manifest.ShouldNotContain(name, Case.Insensitive);
        }
    }

    [Fact]
    public async Task Sync_HostFilesOnly_SyncsTheShop()
    {
        await using var h = await SandboxHarness.StartAsync(40);
        var host = CopyHost(Path.Combine(h.Directory, "host"));
        var lines = new List<string>();

        using var sync = Support.HostProcess.Start(h, "sync", WriteConfig(h), l => { lock (lines) { lines.Add(l); } }, hostDll: host);
        await sync.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        sync.ExitCode.ShouldBe(0, string.Join('\n', lines));
        h.Sandbox.Emarsys.Contacts.Count.ShouldBe(h.ValidCustomers().Count);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("sandbox")]
    public async Task DemoVerbs_HostFilesOnly_SayWhatIsMissing(string verb)
    {
        var dir = Directory.CreateTempSubdirectory("tributary-host-").FullName;
        try
        {
            var host = CopyHost(dir);

            var (exit, output) = await RunAsync(host, verb, "--once");

            exit.ShouldBe(2, output);
            output.ShouldContain("Tributary.Demo.dll");
            output.ShouldContain("not next to Tributary.Host.dll");
            output.ShouldNotContain("Exception");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_ModuleWithoutTheSandbox_NamesTheSandbox()
    {
        var dir = Directory.CreateTempSubdirectory("tributary-host-").FullName;
        try
        {
            var host = CopyHost(dir);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Tributary.Demo.dll"), Path.Combine(dir, "Tributary.Demo.dll"));

            var (exit, output) = await RunAsync(host, "demo", "--once");

            exit.ShouldBe(2, output);
            output.ShouldContain("Tributary.Sandbox.dll");
            output.ShouldNotContain("Tributary.Demo.dll");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Help_HostFilesOnly_StillListsTheDemoVerbs()
    {
        var dir = Directory.CreateTempSubdirectory("tributary-host-").FullName;
        try
        {
            var (exit, output) = await RunAsync(CopyHost(dir), "--help");

            exit.ShouldBe(0, output);
            output.ShouldContain("demo");
            output.ShouldContain("sandbox");
            output.ShouldContain("sync");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Copies what the host's dependency manifest lists (and nothing else) into <paramref name="target"/>.</summary>
    private static string CopyHost(string target)
    {
        var source = AppContext.BaseDirectory;
        Directory.CreateDirectory(target);
        var files = new HashSet<string>(StringComparer.Ordinal) { "Tributary.Host.dll", "Tributary.Host.deps.json", "Tributary.Host.runtimeconfig.json" };
        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(source, "Tributary.Host.deps.json"))))
        {
            foreach (var runtime in manifest.RootElement.GetProperty("targets").EnumerateObject())
            {
                foreach (var library in runtime.Value.EnumerateObject())
                {
                    foreach (var (group, flatten) in new[] { ("runtime", true), ("runtimeTargets", false), ("resources", false) })
                    {
                        if (library.Value.TryGetProperty(group, out var assets))
                        {
                            foreach (var asset in assets.EnumerateObject())
                            {
                                files.Add(flatten ? Path.GetFileName(asset.Name) : asset.Name);
                            }
                        }
                    }
                }
            }
        }

        foreach (var file in files.Where(f => File.Exists(Path.Combine(source, f))))
        {
            var to = Path.Combine(target, file);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(Path.Combine(source, file), to);
        }

        foreach (var emulator in EmulatorFiles)
        {
            File.Exists(Path.Combine(target, emulator)).ShouldBeFalse($"{emulator} was copied with the host");
        }

        File.Exists(Path.Combine(target, "Tributary.Engine.dll")).ShouldBeTrue();
        return Path.Combine(target, "Tributary.Host.dll");
    }

    private static async Task<(int Exit, string Output)> RunAsync(string hostDll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [hostDll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string WriteConfig(SandboxHarness h) => h.WriteCliConfig("product-only");
}
