using System.CommandLine;
using Spectre.Console;
using Tributary.Host.Commands;

namespace Tributary.Host;

public static class Program
{
    /// <summary>How long a stop signal waits for the command to finish before the process ends anyway.</summary>
    public static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(30);

    public static Task<int> Main(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Logs and CI capture output without a terminal: plain text (no colour or cursor codes, which a file or a log
            // collector shows as garbage), and tables kept readable instead of wrapping at 80 columns.
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(Console.Out),
            });
            AnsiConsole.Profile.Width = 140;
        }

        // The demo and sandbox verbs load their own assembly (with the emulators) only when one of them is invoked.
        IReadOnlyList<Command> optional;
        if (OptionalVerbs.Invoked(args))
        {
            var loaded = OptionalVerbs.Load(AppContext.BaseDirectory, out var missing);
            if (loaded is null)
            {
                OptionalVerbs.SayMissing(args[0], missing);
                return Task.FromResult(CommonOptions.ExitConfig);
            }

            optional = loaded;
        }
        else
        {
            optional = OptionalVerbs.Placeholders();
        }

        var verbs = optional.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var root = new RootCommand("Tributary keeps marketing platforms in step with commerce platforms.")
        {
            verbs["demo"],
            SyncCommand.Create(),
            RunCommand.Create(),
            WorkerCommand.Create(),
            CheckCommand.Create(),
            ReplayCommand.Create(),
            verbs["sandbox"],
            ReconcileCommand.Create(),
            RunbookCommand.Create(),
            BackupCommand.Create(),
            ForgetCommand.Create(),
        };
        // Ctrl+C (or a service manager's SIGTERM) stops the service gracefully: in-flight calls finish, the outcomes are stored
        // and the service says it stopped. The parser's default of two seconds cut that short and ended the process with 130.
        return InvokeAsync(root, args);
    }

    // A damaged state file is said plainly with its fix, not as a stack trace.
    private static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration
            {
                ProcessTerminationTimeout = GracefulStop,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Tributary.Core.Contracts.StateFileException ex)
        {
            Console.Error.WriteLine($"State problem: {ex.Problem}");
            Console.Error.WriteLine($"  fix: {ex.Fix}");
            return Commands.CommonOptions.ExitFailed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Console.Error.WriteLine($"Unexpected failure: {ex}");
            return Commands.CommonOptions.ExitFailed;
        }
    }
}
