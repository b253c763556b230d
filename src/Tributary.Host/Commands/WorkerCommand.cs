using System.CommandLine;
using Spectre.Console;
using Tributary.Host.Composition;

namespace Tributary.Host.Commands;

internal static class WorkerCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var command = new Command("worker",
            "Run as one worker of a cluster (the config's 'cluster:' section): consume a share of the partition queues; the leader also sweeps. Until stopped (Ctrl+C).")
        {
            config, verbose,
        };
        command.SetAction(async (parse, ct) =>
        {
            var cfg = CommonOptions.LoadConfig(parse.GetValue(config)!);
            if (cfg is null)
            {
                return CommonOptions.ExitConfig;
            }

            if (cfg.Cluster is null)
            {
                AnsiConsole.MarkupLine("[red]Configuration problem:[/] the 'worker' verb needs a 'cluster:' section");
                AnsiConsole.MarkupLine("  [green]fix:[/] add 'cluster:' with 'amqp: ${AMQP_URL}' (see docs/deployment.md), or use 'run' for a single process");
                return CommonOptions.ExitConfig;
            }

            using var telemetry = TelemetryProviders.Start(cfg);
            using var loggers = CommonOptions.Loggers(parse.GetValue(verbose));
            await using var runtime = await ClusterComposition.CreateAsync(cfg, TimeProvider.System, loggers, ct);
            AnsiConsole.MarkupLine($"Worker {Markup.Escape(runtime.Options.WorkerId)} joining: {runtime.Options.Partitions} partitions. Press Ctrl+C to stop.");
            await runtime.Worker.RunAsync(ct);
            var c = runtime.Worker.Counters;
            AnsiConsole.MarkupLine($"Stopped: sent {c.Sent:N0}, retried {c.Retried:N0}, quarantined {c.Quarantined:N0}, dead {c.Dead:N0}, calls {c.Calls:N0}.");
            return CommonOptions.ExitOk;
        });
        return command;
    }
}
