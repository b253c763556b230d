using System.CommandLine;
using Spectre.Console;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Sandbox;
using Tributary.Sandbox.Generator;

namespace Tributary.Host.Commands;

internal static class DemoCommand
{
    public static Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Customers in the seeded shop.", DefaultValueFactory = _ => 5000 };
        var once = new Option<bool>("--once") { Description = "Exit after the first pass." };
        var verbose = CommonOptions.Verbose();
        var command = new Command("demo", "Start the sandbox platforms, seed a shop, sync it into Emarsys and keep it in step.")
        {
            customers, once, verbose,
        };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(customers);
            if (count < 0)
            {
                AnsiConsole.MarkupLine("[red]--customers must be zero or more.[/]");
                return CommonOptions.ExitConfig;
            }

            var sandboxOptions = new SandboxOptions();
            await using var sandbox = await SandboxServer.StartAsync(sandboxOptions, TimeProvider.System, ct);
            var generator = new ShopGenerator(42);
            sandbox.Commercetools.AddCustomers(generator.Customers(count));
            SandboxCommand.Describe(sandbox, sandboxOptions);
            AnsiConsole.MarkupLine($"Seeded a shop with [bold]{count:N0}[/] customers in commercetools. Syncing them into Emarsys…");

            var stateDir = Path.Combine(Environment.CurrentDirectory, ".tributary", "demo");
            if (Directory.Exists(stateDir))
            {
                Directory.Delete(stateDir, recursive: true);
            }

            var config = SandboxConfig.For(sandbox, sandboxOptions, Path.Combine(stateDir, "state.db"));
            using var loggers = CommonOptions.Loggers(parse.GetValue(verbose));
            await using var runtime = await CommonOptions.OpenAsync(config, loggers, ct);
            var exit = await SyncCommand.RunOnceAsync(runtime.Pipeline, runtime.Store, new PassOptions(), ct);
            if (parse.GetValue(once) || exit != CommonOptions.ExitOk)
            {
                return exit;
            }

            AnsiConsole.MarkupLine("The shop keeps trading: every few seconds some customers change, and each sweep sends only what changed.");
            var activity = new ShopActivity(sandbox, 7);
            return await RunCommand.LoopAsync(runtime, loggers.CreateLogger("Tributary.Demo"), activity.StepAsync, ct);
        });
        return command;
    }
}
