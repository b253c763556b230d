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
        var json = new Option<FileInfo?>("--json") { Description = "Also write the pass report (the balance, outcome and exit code) as JSON to this file." };
        var fresh = CommonOptions.Fresh();
        var verbose = CommonOptions.Verbose();
        var command = new Command("sync", "Run one sync pass and print what it did.") { config, full, dryRun, json, fresh, verbose };
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
            if (!parse.GetValue(dryRun) && await FreshStateGuard.CheckAsync(runtime, parse.GetValue(fresh), ct) is { } refusal)
            {
                foreach (var line in FreshStateGuard.Lines(runtime, refusal))
                {
                    AnsiConsole.MarkupLine(Markup.Escape(line));
                }

                return CommonOptions.ExitConfig;
            }

            return await RunOnceAsync(runtime.Pipeline, runtime.Store, new PassOptions(parse.GetValue(full), parse.GetValue(dryRun)), ct,
                parse.GetValue(json)?.FullName);
        });
        return command;
    }

    /// <summary>Runs one pass, prints its summary (and writes its report to <paramref name="jsonPath"/>), and returns the exit code.</summary>
    public static async Task<int> RunOnceAsync(SyncPipeline pipeline, ILaneStore store, PassOptions pass, CancellationToken ct, string? jsonPath = null)
    {
        var counters = new PassCounters();
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = ConsoleReport.ShowProgressAsync(counters, progressStop.Token);
        var passWord = pass.DryRun ? "dry-run" : pass.AnyFull ? "full" : "incremental";
        try
        {
            var report = await pipeline.RunPassAsync(pass, counters, ct);
            await progressStop.CancelAsync();
            await progress;
            if (pass.DryRun)
            {
                ConsoleReport.DryRun(report);
            }

            var lanes = await store.CountLanesAsync(ct);
            ConsoleReport.Summary(report, lanes);
            ConsoleReport.Quarantine(await store.ListAsync(OutboxStatus.Quarantined, null, 5, ct));
            var exit = CommonOptions.ExitOf(counters);
            if (exit == CommonOptions.ExitDead)
            {
                AnsiConsole.MarkupLine($"[red]{counters.Dead:N0} record(s) went dead in this pass.[/] See why on the dashboard or in the lane table, " +
                                       "fix the cause, then `./tributary replay --config <file> --lane dead`.");
            }

            await WriteAsync(jsonPath, PassDocument.From(report.Pipeline, PassDocument.PassOf(report), "completed", exit, null, counters, report.Duration,
                report.WindowFrom, report.WindowUntil, lanes), ct);
            return exit;
        }
        catch (PipelineHaltedException ex)
        {
            await progressStop.CancelAsync();
            await progress;
            AnsiConsole.MarkupLine($"[red]The sync stopped:[/] {Markup.Escape(ex.Message)}");
            await WriteAsync(jsonPath, PassDocument.From(pipeline.Options.Name, passWord, "halted", CommonOptions.ExitConfig, Masked(ex.Message), counters,
                started.Elapsed, null, null, await store.CountLanesAsync(ct)), ct);
            return CommonOptions.ExitConfig;
        }
        catch (PlatformException ex)
        {
            await progressStop.CancelAsync();
            await progress;
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Platform)} failed ({ex.Kind}, HTTP {ex.StatusCode}):[/] {Markup.Escape(ex.Message)}");
            AnsiConsole.MarkupLine("  Nothing read so far is lost: the next pass resumes where this one stopped. Run `./tributary check --config <file>` to test the connection.");
            // Refused credentials or settings are the configuration's to fix; anything else (an outage) is a failure to retry.
            var exit = ex.Kind is FailureKind.Auth or FailureKind.Config ? CommonOptions.ExitConfig : CommonOptions.ExitFailed;
            await WriteAsync(jsonPath, PassDocument.From(pipeline.Options.Name, passWord, "failed", exit, Masked(ex.Message), counters, started.Elapsed, null, null,
                await store.CountLanesAsync(ct)), ct);
            return exit;
        }
    }

    // A platform's message may quote the record it refused: the file is for automation, not for personal data.
    private static string? Masked(string message) => Tributary.Host.Server.Dashboard.PayloadMasker.Text(message);

    private static async Task WriteAsync(string? path, PassDocument document, CancellationToken ct)
    {
        if (path is not null)
        {
            await PassReportFile.WriteAsync(path, document, ct);
        }
    }
}
