using System.CommandLine;
using Spectre.Console;
using Tributary.Core.Contracts;
using Tributary.Host.Composition;

namespace Tributary.Host.Commands;

internal static class CheckCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var command = new Command("check", "Validate the config file and test the connection to every platform in it.") { config };
        command.SetAction(async (parse, ct) =>
        {
            var cfg = CommonOptions.LoadConfig(parse.GetValue(config)!);
            if (cfg is null)
            {
                return CommonOptions.ExitConfig;
            }

            AnsiConsole.MarkupLine($"[green]✓[/] config {Markup.Escape(cfg.FilePath)} is valid");
            var time = TimeProvider.System;
            var reports = new List<(string, ConnectivityReport)>();
            var source = PipelineFactory.CreateSource(cfg, time);
            reports.Add((source.Name, await Safe(() => source.CheckAsync(ct))));
            foreach (var d in PipelineFactory.CreateDestinations(cfg, time))
            {
                reports.Add((d.Name, await Safe(() => d.Connector.CheckAsync(ct))));
            }

            var ok = true;
            foreach (var (name, report) in reports)
            {
                foreach (var line in report.Checks)
                {
                    ok &= line.Ok;
                    AnsiConsole.MarkupLine($"{(line.Ok ? "[green]✓[/]" : "[red]✗[/]")} {Markup.Escape(name)}: {Markup.Escape(line.Name)} — {Markup.Escape(line.Message)}");
                }
            }

            return ok ? CommonOptions.ExitOk : CommonOptions.ExitFailed;
        });
        return command;
    }

    private static async Task<ConnectivityReport> Safe(Func<Task<ConnectivityReport>> check)
    {
        try
        {
            return await check();
        }
        catch (Exception ex)
        {
            return new ConnectivityReport(false, [new CheckLine("connection", false, ex.Message)]);
        }
    }
}
