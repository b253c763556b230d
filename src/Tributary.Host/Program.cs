using System.CommandLine;
using Spectre.Console;
using Tributary.Host.Commands;

namespace Tributary.Host;

public static class Program
{
    public static Task<int> Main(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Logs and CI capture output without a terminal: keep tables readable instead of wrapping at 80 columns.
            AnsiConsole.Profile.Width = 140;
        }

        var root = new RootCommand("Tributary keeps marketing platforms in step with commerce platforms.")
        {
            DemoCommand.Create(),
            SyncCommand.Create(),
            RunCommand.Create(),
            WorkerCommand.Create(),
            CheckCommand.Create(),
            ReplayCommand.Create(),
            SandboxCommand.Create(),
            ReconcileCommand.Create(),
            RunbookCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
