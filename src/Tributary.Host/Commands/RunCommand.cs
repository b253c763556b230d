using System.CommandLine;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Output;

namespace Tributary.Host.Commands;

internal static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var logFormat = CommonOptions.LogFormat();
        var fresh = CommonOptions.Fresh();
        var command = new Command("run", "Run the service: sweep on the configured interval and heal on its schedule until stopped (Ctrl+C).")
        {
            config, verbose, logFormat, fresh,
        };
        command.SetAction(async (parse, ct) =>
        {
            // A format given on the command line holds from the first line, a problem with the config file included.
            var format = parse.GetValue(logFormat);
            TributaryConfig? cfg;
            using (var early = CommonOptions.Loggers(parse.GetValue(verbose), format ?? "text"))
            {
                cfg = CommonOptions.LoadConfig(parse.GetValue(config)!, ServiceConsole.For(format ?? "text", early));
            }

            if (cfg is null)
            {
                return CommonOptions.ExitConfig;
            }

            using var telemetry = TelemetryProviders.Start(cfg);
            using var loggers = CommonOptions.Loggers(parse.GetValue(verbose), format ?? cfg.LogFormat);
            var console = ServiceConsole.For(format ?? cfg.LogFormat, loggers);
            if (cfg.ServerUrl is not null && Tributary.Host.Server.Dashboard.DashboardSite.Problem(cfg) is { } dashboardProblem)
            {
                console.Warn($"[red]The dashboard refuses to start:[/] {Markup.Escape(dashboardProblem)}");
                return CommonOptions.ExitConfig;
            }

            await using var runtime = await CommonOptions.OpenAsync(cfg, loggers, ct);
            if (await FreshStateGuard.CheckAsync(runtime, parse.GetValue(fresh), ct) is { } refusal)
            {
                foreach (var line in FreshStateGuard.Lines(runtime, refusal))
                {
                    console.Warn(Markup.Escape(line));
                }

                return CommonOptions.ExitConfig;
            }

            Tributary.Host.Server.HostServer? server;
            try
            {
                server = cfg.ServerUrl is { } url
                    ? await Tributary.Host.Server.HostServer.StartAsync(url, runtime, TimeProvider.System, loggers, ct)
                    : null;
            }
            catch (Tributary.Host.Server.AddressInUseException ex)
            {
                console.Warn($"[red]The service cannot listen:[/] {Markup.Escape(ex.Message)} ('server.url' in {Markup.Escape(cfg.FilePath)}).");
                return CommonOptions.ExitConfig;
            }

            await using var serverScope = server;
            if (server is not null)
            {
                console.Say($"Listening on {server.BaseUrl} (webhooks under /webhooks, health at /health).");
            }

            if (server?.Dashboard is not null)
            {
                console.Say($"Dashboard at {server.BaseUrl}dashboard (sign in with the configured token or user).");
            }

            return await RunAsync(runtime, server, loggers, null, ct, console);
        });
        return command;
    }

    /// <summary>
    /// Runs the engine's hosted services (sweeps with heals, the real-time lane, reconciliation and alerts as configured) until
    /// cancelled; <paramref name="beforeSweep"/> lets the demo simulate shop activity.
    /// </summary>
    public static async Task<int> RunAsync(PipelineRuntime runtime, Tributary.Host.Server.HostServer? server, ILoggerFactory loggers,
        Func<CancellationToken, Task>? beforeSweep, CancellationToken ct, ServiceConsole? console = null)
    {
        console ??= ServiceConsole.Text;
        var options = runtime.Pipeline.Options;
        using var ops = RunOps.Compose(runtime, server, loggers, TimeProvider.System, beforeSweep, console);
        console.Say($"Sweeping every {options.SweepInterval}, healing each entity every {options.HealInterval}. Press Ctrl+C to stop.");
        await Tributary.Engine.Hosting.EngineHost.RunAsync(ops.Services, loggers, ct);
        console.Say("Stopped.");
        return CommonOptions.ExitOk;
    }
}
