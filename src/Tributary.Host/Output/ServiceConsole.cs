using Microsoft.Extensions.Logging;
using Spectre.Console;
using Tributary.Engine;

namespace Tributary.Host.Output;

/// <summary>
/// What the service (<c>run</c>, <c>demo</c>) says between log lines: where it listens, its schedule, each round's balance, a
/// pause. In text it prints readable lines; with <c>--log-format json</c> every one of them is a log record in the same JSON as
/// every other line (category <see cref="Category"/>), so a log collector never meets a line it cannot parse.
/// </summary>
public sealed class ServiceConsole
{
    /// <summary>The log category of the service's own lines; always at Information, whatever the level of the engine's logs.</summary>
    public const string Category = "Tributary.Service";

    private readonly ILogger? _json;

    private ServiceConsole(ILogger? json) => _json = json;

    /// <summary>Readable lines on the console.</summary>
    public static ServiceConsole Text { get; } = new(null);

    /// <summary>Lines in <paramref name="format"/>: JSON log records through <paramref name="loggers"/> for "json", text otherwise.</summary>
    public static ServiceConsole For(string format, ILoggerFactory loggers) =>
        format == "json" ? new ServiceConsole(loggers.CreateLogger(Category)) : Text;

    /// <summary>True when the lines are JSON.</summary>
    public bool IsJson => _json is not null;

    /// <summary>An informational line, as Spectre markup (the markup is removed for JSON).</summary>
    public void Say(string markup)
    {
        if (_json is null)
        {
            AnsiConsole.MarkupLine(markup);
        }
        else
        {
            _json.LogInformation("{Text}", Markup.Remove(markup));
        }
    }

    /// <summary>A line about something a person has to act on.</summary>
    public void Warn(string markup)
    {
        if (_json is null)
        {
            AnsiConsole.MarkupLine(markup);
        }
        else
        {
            _json.LogWarning("{Text}", Markup.Remove(markup));
        }
    }

    /// <summary>A round's balance: one line per entity read and per destination and kind with rows (named values in JSON).</summary>
    public void Balance(string lane, PassCounters counters)
    {
        if (_json is null)
        {
            foreach (var line in ConsoleReport.BalanceLines(counters))
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(line)}");
            }

            return;
        }

        foreach (var s in counters.Sources.Where(s => s.Read > 0))
        {
            _json.LogInformation(
                "{Lane} {Entity}: read {Read} = unchanged {Unchanged} + changed {Changed} + skipped {Skipped} + rejected {Rejected}",
                lane, s.Entity, s.Read, s.Unchanged, s.Changed, s.Skipped, s.Rejected);
        }

        foreach (var r in counters.Rows.Where(r => r.Staged + r.Carried > 0))
        {
            _json.LogInformation(
                "{Lane} {Destination} {Kind}: staged {Staged} + from before {Carried} = sent {Sent} + parked {Parked} + quarantined {Quarantined} + " +
                "dead {Dead} + pending {Pending} (retried {Retried})",
                lane, r.Destination, r.Kind, r.Staged, r.Carried, r.Sent, r.Parked, r.Quarantined, r.Dead, r.Pending, r.Retried);
        }
    }
}
