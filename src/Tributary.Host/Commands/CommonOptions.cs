using System.CommandLine;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;

namespace Tributary.Host.Commands;

internal static class CommonOptions
{
    // Exit codes, documented in docs/operations.md ("Exit codes") so automation can branch on them.
    /// <summary>Everything was delivered, or waits for a known reason (parked behind its contact, quarantined, a retry due).</summary>
    public const int ExitOk = 0;
    /// <summary>Any other failure (a platform failed or could not be reached).</summary>
    public const int ExitFailed = 1;
    /// <summary>The configuration is wrong: the file, or settings a platform refused (credentials, addresses).</summary>
    public const int ExitConfig = 2;
    /// <summary>The pass completed, but records went dead: a person has to look at them (<c>replay --lane dead</c>).</summary>
    public const int ExitDead = 3;

    /// <summary>The exit code of a pass that completed.</summary>
    public static int ExitOf(Tributary.Engine.PassCounters counters) => counters.Dead > 0 ? ExitDead : ExitOk;

    public static Option<FileInfo> Config() => new("--config", "-c")
    {
        Description = "The pipeline's YAML config file (secrets come from environment variables named in it).",
        Required = true,
    };

    public static Option<bool> Fresh() => new("--fresh")
    {
        Description = "Send everything from an empty state even when a destination already holds records of this source (see docs/operations.md).",
    };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Log what the engine does, not only warnings." };

    public static ILoggerFactory Loggers(bool verbose) => LoggerFactory.Create(b =>
    {
        b.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
        b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        b.AddFilter("Microsoft", LogLevel.Warning);
        b.AddFilter("System.Net.Http", LogLevel.Warning);
    });

    public static Option<string?> LogFormat() => new("--log-format")
    {
        Description = "Log as 'text' (readable lines) or 'json' (one JSON object per line, personal data masked); overrides logging.format.",
    };

    /// <summary>Loggers in the given format: "json" writes one JSON object per line, anything else readable lines.</summary>
    public static ILoggerFactory Loggers(bool verbose, string format) => LoggerFactory.Create(b =>
    {
        b.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
        Output.JsonLogFormatter.Configure(b, format);
        // The service's own lines (where it listens, each round's balance) are said whatever the level of the engine's logs.
        b.AddFilter(Output.ServiceConsole.Category, LogLevel.Information);
        b.AddFilter("Microsoft", LogLevel.Warning);
        b.AddFilter("System.Net.Http", LogLevel.Warning);
    });

    /// <summary>Loads the config, printing a config problem plainly; null when it is invalid.</summary>
    public static TributaryConfig? LoadConfig(FileInfo file, Output.ServiceConsole? console = null)
    {
        try
        {
            return ConfigLoader.Load(file.FullName);
        }
        catch (ConfigException ex)
        {
            console ??= Output.ServiceConsole.Text;
            console.Warn($"[red]Configuration problem[/] in {Markup.Escape(ex.File)} line {ex.Line}: {Markup.Escape(ex.Problem)}");
            console.Warn($"  [green]fix:[/] {Markup.Escape(ex.Fix)}");
            return null;
        }
    }

    public static async Task<PipelineRuntime> OpenAsync(TributaryConfig config, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        await PipelineFactory.CreateAsync(config, TimeProvider.System, loggers, cancellationToken);
}
