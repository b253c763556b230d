using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tributary.Engine;
using Tributary.Engine.Alerts;
using Tributary.Engine.Consent;
using Tributary.Engine.Hosting;
using Tributary.Engine.Reconciliation;
using Tributary.Host.Composition;
using Tributary.Host.Server;

namespace Tributary.Host.Commands;

/// <summary>
/// The engine's hosted services as <c>run</c> and <c>demo</c> compose them: sweeps with their heals, the real-time lane, and,
/// when configured, scheduled reconciliation and the alert rules. Each round is reported on the console, to the dashboard and
/// into this service's delivery totals (which the alert rules read).
/// </summary>
internal sealed class RunOps : IDisposable
{
    private readonly PipelineRuntime _runtime;
    private readonly HostServer? _server;
    private readonly Server.Dashboard.DashboardSampler? _sampler;
    private readonly HttpClient _alertHttp = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Output.ServiceConsole _console;

    private RunOps(PipelineRuntime runtime, HostServer? server, Output.ServiceConsole console)
    {
        _runtime = runtime;
        _server = server;
        _console = console;
        _sampler = server?.Dashboard?.Sampler;
    }

    /// <summary>Delivery totals of this process, fed by the sweeps and the real-time lane.</summary>
    public AlertTotals Totals { get; } = new();

    /// <summary>The services to run.</summary>
    public IReadOnlyList<IHostedService> Services { get; private init; } = [];

    /// <summary>Composes the services; <paramref name="beforeSweep"/> lets the demo simulate shop activity.</summary>
    public static RunOps Compose(PipelineRuntime runtime, HostServer? server, ILoggerFactory loggers, TimeProvider time,
        Func<CancellationToken, Task>? beforeSweep, Output.ServiceConsole? console = null)
    {
        var services = new List<IHostedService>();
        var ops = new RunOps(runtime, server, console ?? Output.ServiceConsole.Text) { Services = services };
        var pipeline = runtime.Pipeline;
        var sweeps = new SweepScheduler(pipeline, new HealSchedule(runtime.Store, pipeline.Source, pipeline.Options.HealInterval), time,
            loggers.CreateLogger("Tributary.Run"))
        {
            BeforeSweep = beforeSweep,
            Observer = ops.Observe,
        };
        services.Add(new SweepService(sweeps));
        var feed = runtime.ChangeFeed;
        var lane = new RealtimeLane(pipeline, new RealtimeLaneOptions(), time, loggers.CreateLogger("Tributary.Run"))
        {
            PullFeed = feed is null ? null : async ct => await feed.PullAsync(ct),
            Observer = ops.Observe,
        };
        services.Add(lane);
        if (server is not null)
        {
            // A stored webhook wakes the lane: it looks at once, the idle poll only covers hints stored by other processes.
            server.Notified += lane.Wake;
        }

        if (runtime.Config.Alerts is { } alerts)
        {
            var logger = loggers.CreateLogger("Tributary.Alerts");
            services.Add(new AlertService(CreateDispatcher(alerts, ops._alertHttp, logger, time), ops.SnapshotAsync, alerts.Interval, time, logger));
        }

        var pullBack = new ConsentPullBack(runtime.Destinations, runtime.Store, time, loggers.CreateLogger("Tributary.Consent"));
        if (runtime.Config.Consent.PullBack is { } every && pullBack.Any)
        {
            services.Add(new ConsentPullBackService(pullBack, every, time, loggers.CreateLogger("Tributary.Consent")) { Observer = ops.Observe });
        }

        if (runtime.Config.Reconcile.Interval is { } interval)
        {
            services.Add(new ReconcileService(ct => ReconcileAsync(runtime, time, ops._console, ct), ReconciliationReportFile.LatestPath(runtime.Config.StatePath),
                interval, time, loggers.CreateLogger("Tributary.Reconcile")));
        }

        return ops;
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

    public async Task<AlertSnapshot> SnapshotAsync(CancellationToken ct) =>
        Totals.Snapshot(_runtime.Config.PipelineName, await _runtime.Store.CountLanesAsync(ct),
            _runtime.Destinations.ToDictionary(d => d.Name, d => d.Budget.ThrottledEvents, StringComparer.Ordinal),
            _server?.Feed?.GuardTrips ?? 0, _server?.Feed?.LastRefusal, (await _runtime.Store.SummarizeConsentAsync(ct)).Conflicts);

    public void Dispose() => _alertHttp.Dispose();

    private void Observe(IReadOnlyList<ConsentPullBackResult> results)
    {
        foreach (var r in results)
        {
            _console.Say(r.Error is { } error
                ? $"[yellow]consent pull-back from {Markup.Escape(r.Destination)} failed:[/] {Markup.Escape(error)}"
                : $"[grey]consent[/] pulled back from {Markup.Escape(r.Destination)}: {r.Read:N0} answers ({r.OptedOut:N0} opted out, " +
                  $"{r.OptedIn:N0} opted in), {r.Unmatched:N0} unknown addresses, {r.Conflicts:N0} conflicting with the shop");
        }
    }

    private void Observe(LaneEvent round)
    {
        if (round.Pass is { } pass)
        {
            Totals.Add(pass.Counters);
            _sampler?.Observe(round.Lane, pass);
        }

        if (round.Inbox is { } inbox)
        {
            // Each notification says the source changed.
            Totals.AddSourceChanges(inbox.Reread);
        }

        if (round.Failure is PipelineHaltedException halted)
        {
            _console.Warn($"[red]Paused:[/] {Markup.Escape(halted.Message)}");
        }
        else if (round.Failure is null && round.Inbox is { } notified)
        {
            _console.Say($"[grey]{round.At:HH:mm:ss}[/] real time: {notified.Messages:N0} notifications, " +
                         $"{notified.Reread:N0} records re-read, {round.Pass?.Counters.Sent ?? 0:N0} sent");
            if (round.Pass is { } delivered)
            {
                _console.Balance(round.Lane, delivered.Counters);
            }
        }
        else if (round.Failure is null && round.Pass is { } report)
        {
            var c = report.Counters;
            _console.Say($"[grey]{round.At:HH:mm:ss}[/] {round.Lane}: read {c.Read:N0}, {c.Calls:N0} call(s) in {report.Duration.TotalSeconds:0.0}s");
            _console.Balance(round.Lane, c);
        }
    }

    private static async Task ReconcileAsync(PipelineRuntime runtime, TimeProvider time, Output.ServiceConsole console, CancellationToken ct)
    {
        var (report, repaired) = await ReconcileCommand.RunAsync(runtime, runtime.Config.Reconcile.Repair, time, ct);
        console.Say($"[grey]{time.GetUtcNow():HH:mm:ss}[/] reconcile: {(report.Clean ? "source and destinations agree" : $"{report.Repairable:N0} difference(s)")}" +
                               (repaired is null ? string.Empty : $", {repaired.Staged:N0} repaired"));
    }
}
