using System.CommandLine;
using Spectre.Console;
using Tributary.Core.Contracts;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Output;

namespace Tributary.Host.Commands;

internal static class SyncCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var full = new Option<bool>("--full") { Description = "Read everything (a backfill or heal) instead of the changes since the last pass." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would change without sending anything." };
        var verbose = CommonOptions.Verbose();
        var command = new Command("sync", "Run one sync pass and print what it did.") { config, full, dryRun, verbose };
        command.SetAction(async (parse, ct) =>
        {
            var cfg = CommonOptions.LoadConfig(parse.GetValue(config)!);
            if (cfg is null)
            {
                return CommonOptions.ExitConfig;
            }

            using var telemetry = TelemetryProviders.Start(cfg);
            using var loggers = CommonOptions.Loggers(parse.GetValue(verbose));
            await using var runtime = await CommonOptions.OpenAsync(cfg, loggers, ct);
            return await RunOnceAsync(runtime.Pipeline, runtime.Store, new PassOptions(parse.GetValue(full), parse.GetValue(dryRun)), ct);
        });
        return command;
    }

    public static async Task<int> RunOnceAsync(SyncPipeline pipeline, ILaneStore store, PassOptions pass, CancellationToken ct)
    {
        var counters = new PassCounters();
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = ConsoleReport.ShowProgressAsync(counters, progressStop.Token);
        try
        {
            var report = await pipeline.RunPassAsync(pass, counters, ct);
            await progressStop.CancelAsync();
            await progress;
            if (pass.DryRun)
            {
                ConsoleReport.DryRun(report);
            }

            ConsoleReport.Summary(report, await store.CountLanesAsync(ct));
            ConsoleReport.Quarantine(await store.ListAsync(OutboxStatus.Quarantined, null, 5, ct));
            return CommonOptions.ExitOk;
        }
        catch (PipelineHaltedException ex)
        {
            await progressStop.CancelAsync();
            await progress;
            AnsiConsole.MarkupLine($"[red]The sync stopped:[/] {Markup.Escape(ex.Message)}");
            return CommonOptions.ExitFailed;
        }
        catch (PlatformException ex)
        {
            await progressStop.CancelAsync();
            await progress;
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Platform)} failed ({ex.Kind}, HTTP {ex.StatusCode}):[/] {Markup.Escape(ex.Message)}");
            AnsiConsole.MarkupLine("  Nothing read so far is lost: the next pass resumes where this one stopped. Run `./tributary check --config <file>` to test the connection.");
            return CommonOptions.ExitFailed;
        }
    }
}
