using System.CommandLine;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tributary.Engine;
using Tributary.Host.Composition;

namespace Tributary.Host.Commands;

internal static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var logFormat = CommonOptions.LogFormat();
        var command = new Command("run", "Run the service: sweep on the configured interval and heal on its schedule until stopped (Ctrl+C).")
        {
            config, verbose, logFormat,
        };
        command.SetAction(async (parse, ct) =>
        {
            var cfg = CommonOptions.LoadConfig(parse.GetValue(config)!);
            if (cfg is null)
            {
                return CommonOptions.ExitConfig;
            }

            if (cfg.ServerUrl is not null && Tributary.Host.Server.Dashboard.DashboardSite.Problem(cfg) is { } dashboardProblem)
            {
                AnsiConsole.MarkupLine($"[red]The dashboard refuses to start:[/] {Markup.Escape(dashboardProblem)}");
                return CommonOptions.ExitConfig;
            }

            using var telemetry = TelemetryProviders.Start(cfg);
            using var loggers = CommonOptions.Loggers(parse.GetValue(verbose), parse.GetValue(logFormat) ?? cfg.LogFormat);
            await using var runtime = await CommonOptions.OpenAsync(cfg, loggers, ct);
            Tributary.Host.Server.HostServer? server;
            try
            {
                server = cfg.ServerUrl is { } url
                    ? await Tributary.Host.Server.HostServer.StartAsync(url, runtime, TimeProvider.System, loggers, ct)
                    : null;
            }
            catch (Tributary.Host.Server.AddressInUseException ex)
            {
                AnsiConsole.MarkupLine($"[red]The service cannot listen:[/] {Markup.Escape(ex.Message)} ('server.url' in {Markup.Escape(cfg.FilePath)}).");
                return CommonOptions.ExitConfig;
            }

            await using var serverScope = server;
            if (server is not null)
            {
                AnsiConsole.MarkupLine($"Listening on {server.BaseUrl} (webhooks under /webhooks, health at /health).");
            }

            if (server?.Dashboard is not null)
            {
                AnsiConsole.MarkupLine($"Dashboard at {server.BaseUrl}dashboard (sign in with the configured token or user).");
            }

            var ops = RunOps.StartAsync(runtime, server, loggers, TimeProvider.System, ct);
            var exit = await LoopAsync(runtime, loggers.CreateLogger("Tributary.Run"), null, server?.Dashboard?.Sampler, ct);
            await ops;
            return exit;
        });
        return command;
    }

    /// <summary>Sweeps until cancelled; <paramref name="beforePass"/> lets the demo simulate shop activity.</summary>
    public static async Task<int> LoopAsync(PipelineRuntime runtime, ILogger logger, Func<CancellationToken, Task>? beforePass,
        Tributary.Host.Server.Dashboard.DashboardSampler? sampler, CancellationToken ct)
    {
        var options = runtime.Pipeline.Options;
        var lastHeal = DateTimeOffset.MinValue;
        var realtime = RealtimeLoopAsync(runtime, logger, sampler, ct);
        AnsiConsole.MarkupLine($"Sweeping every {options.SweepInterval}, healing every {options.HealInterval}. Press Ctrl+C to stop.");
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (beforePass is not null)
                {
                    await beforePass(ct);
                }

                var now = TimeProvider.System.GetUtcNow();
                var heal = now - lastHeal >= options.HealInterval;
                var report = await runtime.Pipeline.RunPassAsync(new PassOptions(Full: heal), null, ct);
                RunOps.Record(report.Counters);
                sampler?.Observe(heal ? "heal" : "sweep", report);
                if (heal)
                {
                    lastHeal = now;
                }

                var c = report.Counters;
                AnsiConsole.MarkupLine($"[grey]{now:HH:mm:ss}[/] {(heal ? "heal" : "sweep")}: read {c.Read:N0}, changed {c.Changed:N0}, sent {c.Sent:N0}, " +
                                       $"quarantined {c.Quarantined:N0}, dead {c.Dead:N0}, calls {c.Calls:N0} in {report.Duration.TotalSeconds:0.0}s");
                await Task.Delay(options.SweepInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (PipelineHaltedException ex)
            {
                AnsiConsole.MarkupLine($"[red]Paused:[/] {Markup.Escape(ex.Message)}");
                await Task.Delay(options.SweepInterval, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // The next sweep retries; nothing staged is lost.
                logger.LogError(ex, "Sweep failed; retrying at the next interval");
                await Task.Delay(options.SweepInterval, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await realtime;
        AnsiConsole.MarkupLine("Stopped.");
        return CommonOptions.ExitOk;
    }

    /// <summary>
    /// The real-time lane: notifications waiting in the inbox are re-read, diffed and delivered as soon as they arrive (the
    /// inbox is looked at five times a second while idle); the Messages API, when enabled, is pulled into the inbox every second.
    /// </summary>
    private static async Task RealtimeLoopAsync(PipelineRuntime runtime, ILogger logger, Tributary.Host.Server.Dashboard.DashboardSampler? sampler,
        CancellationToken ct)
    {
        var lastPull = DateTimeOffset.MinValue;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (runtime.MessageFeed is { } feed && TimeProvider.System.GetUtcNow() - lastPull >= TimeSpan.FromSeconds(1))
                {
                    lastPull = TimeProvider.System.GetUtcNow();
                    await feed.PullAsync(ct);
                }

                var report = await runtime.Pipeline.ProcessInboxAsync(500, null, ct);
                RunOps.Record(report.Pass?.Counters);
                RunOps.Totals.AddSourceChanges(report.Reread);
                if (report.Pass is { } realtimePass)
                {
                    sampler?.Observe("realtime", realtimePass);
                }

                if (report.Messages > 0)
                {
                    var sent = report.Pass?.Counters.Sent ?? 0;
                    AnsiConsole.MarkupLine($"[grey]{TimeProvider.System.GetUtcNow():HH:mm:ss}[/] real time: {report.Messages:N0} notifications, " +
                                           $"{report.Reread:N0} records re-read, {sent:N0} sent");
                    continue;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // The notifications stay in the inbox and are taken again.
                logger.LogError(ex, "Processing notifications failed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(5), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
