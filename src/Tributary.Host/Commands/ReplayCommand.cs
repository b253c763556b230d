using System.CommandLine;
using Spectre.Console;
using Tributary.Core.Contracts;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Output;

namespace Tributary.Host.Commands;

internal static class ReplayCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var lane = new Option<string>("--lane")
        {
            Description = "The lane to take records from: dead, quarantined or parked.",
            DefaultValueFactory = _ => "dead",
        };
        var keys = new Option<string[]>("--key") { Description = "Replay only these record keys (repeatable); all of the lane when omitted.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("replay", "Send records from the dead, quarantined or parked lane again, after the cause was fixed.")
        {
            config, lane, keys,
        };
        command.SetAction(async (parse, ct) =>
        {
            var cfg = CommonOptions.LoadConfig(parse.GetValue(config)!);
            if (cfg is null)
            {
                return CommonOptions.ExitConfig;
            }

            if (!Enum.TryParse<OutboxStatus>(parse.GetValue(lane), ignoreCase: true, out var status) || status == OutboxStatus.Pending)
            {
                AnsiConsole.MarkupLine("[red]--lane must be dead, quarantined or parked.[/]");
                return CommonOptions.ExitConfig;
            }

            using var telemetry = TelemetryProviders.Start(cfg);
            using var loggers = CommonOptions.Loggers(verbose: false);
            await using var runtime = await CommonOptions.OpenAsync(cfg, loggers, ct);
            var selected = parse.GetValue(keys);
            var counters = new PassCounters();
            var report = await runtime.Pipeline.ReplayAsync(status, selected is { Length: > 0 } ? selected : null, counters, ct);
            AnsiConsole.MarkupLine($"{report.Requeued:N0} record(s) taken from {status.ToString().ToLowerInvariant()}, re-read from {runtime.Source.Name} and sent again.");
            foreach (var key in report.MissingAtSource)
            {
                AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(key)}[/] no longer exists at {Markup.Escape(runtime.Source.Name)}; left in the lane.");
            }

            foreach (var key in report.NotReread)
            {
                AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(key)}[/] could not be re-read from {Markup.Escape(runtime.Source.Name)}; left in a lane with the reason.");
            }

            ConsoleReport.Summary(report.Pass, await runtime.Store.CountLanesAsync(ct),
                title: $"Replay of the {status.ToString().ToLowerInvariant()} lane ({report.Requeued:N0} record(s))");
            return CommonOptions.ExitOf(counters);
        });
        return command;
    }
}
