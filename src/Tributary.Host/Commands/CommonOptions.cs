using System.CommandLine;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;

namespace Tributary.Host.Commands;

internal static class CommonOptions
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitConfig = 2;

    public static Option<FileInfo> Config() => new("--config", "-c")
    {
        Description = "The pipeline's YAML config file (secrets come from environment variables named in it).",
        Required = true,
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
        b.AddFilter("Microsoft", LogLevel.Warning);
        b.AddFilter("System.Net.Http", LogLevel.Warning);
    });

    /// <summary>Loads the config, printing a config problem plainly; null when it is invalid.</summary>
    public static TributaryConfig? LoadConfig(FileInfo file)
    {
        try
        {
            return ConfigLoader.Load(file.FullName);
        }
        catch (ConfigException ex)
        {
            AnsiConsole.MarkupLine($"[red]Configuration problem[/] in {Markup.Escape(ex.File)} line {ex.Line}: {Markup.Escape(ex.Problem)}");
            AnsiConsole.MarkupLine($"  [green]fix:[/] {Markup.Escape(ex.Fix)}");
            return null;
        }
    }

    public static async Task<PipelineRuntime> OpenAsync(TributaryConfig config, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        await PipelineFactory.CreateAsync(config, TimeProvider.System, loggers, cancellationToken);
}
