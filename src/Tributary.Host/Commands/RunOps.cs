using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tributary.Engine;
using Tributary.Engine.Alerts;
using Tributary.Engine.Reconciliation;
using Tributary.Host.Composition;
using Tributary.Host.Server;

namespace Tributary.Host.Commands;

/// <summary>What <c>run</c> does beside syncing: evaluates the alert rules and reconciles on its schedule.</summary>
internal static class RunOps
{
    /// <summary>Delivery totals of this process (one pipeline per process), fed by the sweep and real-time loops.</summary>
    public static AlertTotals Totals { get; } = new();

    public static void Record(PassCounters? counters)
    {
        if (counters is not null)
        {
            Totals.Add(counters);
        }
    }

    public static Task StartAsync(PipelineRuntime runtime, HostServer? server, ILoggerFactory loggers, TimeProvider time, CancellationToken ct)
    {
        var loops = new List<Task>();
        if (runtime.Config.Alerts is { } alerts)
        {
            loops.Add(AlertLoopAsync(runtime, server, alerts, loggers.CreateLogger("Tributary.Alerts"), time, ct));
        }

        if (runtime.Config.Reconcile.Interval is { } interval)
        {
            loops.Add(ReconcileLoopAsync(runtime, interval, loggers.CreateLogger("Tributary.Reconcile"), time, ct));
        }

        return Task.WhenAll(loops);
    }

    public static AlertDispatcher CreateDispatcher(Configuration.AlertsConfig alerts, HttpClient http, ILogger logger, TimeProvider time)
    {
        var senders = new List<IAlertSender>();
        if (alerts.Webhook is { } url)
        {
            senders.Add(new WebhookAlertSender(http, url));
        }

        if (alerts.Email is { } email)
        {
            senders.Add(new SmtpAlertSender(email));
        }

        return new AlertDispatcher(new AlertEvaluator(alerts.Rules, time), senders, logger);
    }

    public static async Task<AlertSnapshot> SnapshotAsync(PipelineRuntime runtime, HostServer? server, CancellationToken ct) =>
        Totals.Snapshot(runtime.Config.PipelineName, await runtime.Store.CountLanesAsync(ct),
            runtime.Destinations.ToDictionary(d => d.Name, d => d.Budget.ThrottledEvents, StringComparer.Ordinal),
            server?.Feed?.GuardTrips ?? 0, server?.Feed?.LastRefusal);

    private static async Task AlertLoopAsync(PipelineRuntime runtime, HostServer? server, Configuration.AlertsConfig alerts, ILogger logger,
        TimeProvider time, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var dispatcher = CreateDispatcher(alerts, http, logger, time);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await dispatcher.EvaluateAsync(await SnapshotAsync(runtime, server, ct), ct);
                await Task.Delay(alerts.Interval, time, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Evaluating alerts failed; trying again at the next interval");
                await Task.Delay(alerts.Interval, time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static async Task ReconcileLoopAsync(PipelineRuntime runtime, TimeSpan interval, ILogger logger, TimeProvider time, CancellationToken ct)
    {
        var path = ReconciliationReportFile.LatestPath(runtime.Config.StatePath);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // The schedule survives restarts: the next run is due one interval after the latest report, whoever made it.
                var latest = await ReconciliationReportFile.ReadAsync(path, ct);
                var due = (latest?.FinishedAt ?? time.GetUtcNow()) + interval - time.GetUtcNow();
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, time, ct);
                }

                var (report, repaired) = await ReconcileCommand.RunAsync(runtime, runtime.Config.Reconcile.Repair, time, ct);
                AnsiConsole.MarkupLine($"[grey]{time.GetUtcNow():HH:mm:ss}[/] reconcile: {(report.Clean ? "source and destinations agree" : $"{report.Repairable:N0} difference(s)")}" +
                                       (repaired is null ? string.Empty : $", {repaired.Staged:N0} repaired"));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Scheduled reconciliation failed; trying again after the interval");
                await Task.Delay(interval, time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
