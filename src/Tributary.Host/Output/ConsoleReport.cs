using System.Globalization;
using Spectre.Console;
using Tributary.Core.Contracts;
using Tributary.Engine;

namespace Tributary.Host.Output;

/// <summary>What the CLI prints: a live progress line on long runs and a summary table at the end.</summary>
public static class ConsoleReport
{
    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Prints the live counters once a second (to stderr, so stdout stays clean for scripts) until cancelled.</summary>
    public static async Task ShowProgressAsync(PassCounters counters, CancellationToken cancellationToken)
    {
        var interactive = !Console.IsErrorRedirected;
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                var line = $"  {started.Elapsed:mm\\:ss}  read {N(counters.Read)} · changed {N(counters.Changed)} · sent {N(counters.Sent)} · " +
                           $"quarantined {N(counters.Quarantined)} · retrying {N(counters.Retried)} · calls {N(counters.Calls)}";
                if (interactive)
                {
                    Console.Error.Write("\r" + line.PadRight(Console.BufferWidth > 0 ? Math.Min(Console.BufferWidth - 1, 120) : 100));
                }
                else
                {
                    Console.Error.WriteLine(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Finished.
        }
        finally
        {
            if (interactive)
            {
                Console.Error.Write("\r" + new string(' ', 110) + "\r");
            }
        }
    }

    public static void Summary(PassReport report, IReadOnlyList<LaneCount> lanes, IAnsiConsole? console = null)
    {
        console ??= AnsiConsole.Console;
        var c = report.Counters;
        var seconds = Math.Max(report.Duration.TotalSeconds, 0.001);
        var title = report.DryRun ? "Dry run (nothing was sent)"
            : report.WindowFrom is null ? "Full sync"
            : $"Incremental sync of changes since {report.WindowFrom:yyyy-MM-dd HH:mm:ss} UTC";
        var table = new Table().Title($"[bold]{Markup.Escape(title)} · pipeline {Markup.Escape(report.Pipeline)}[/]").Border(TableBorder.Rounded);
        foreach (var h in new[] { "read", "changed", "unchanged", "sent", "skipped", "parked", "quarantined", "dead", "retried", "calls", "time", "records/s" })
        {
            table.AddColumn(new TableColumn(h).RightAligned());
        }

        table.AddRow(N(c.Read), N(c.Changed), N(c.Unchanged), N(c.Sent), N(c.Skipped), N(c.Parked), N(c.Quarantined), N(c.Dead), N(c.Retried), N(c.Calls),
            $"{report.Duration.TotalSeconds:0.0}s", N((long)(c.Read / seconds)));
        console.Write(table);
        foreach (var (reason, count) in c.SkippedReasons.OrderByDescending(kv => kv.Value))
        {
            console.MarkupLine($"  [grey]skipped {N(count)}: {Markup.Escape(reason)}[/]");
        }

        var open = lanes.Where(l => l.Count > 0).ToList();
        if (open.Count > 0)
        {
            var laneTable = new Table().Title("[bold]Records needing attention or waiting[/]").Border(TableBorder.Rounded)
                .AddColumn("destination").AddColumn("entity").AddColumn("lane").AddColumn(new TableColumn("records").RightAligned());
            foreach (var l in open.OrderBy(l => l.Destination).ThenBy(l => l.Entity).ThenBy(l => l.Status))
            {
                laneTable.AddRow(l.Destination, l.Entity.ToString(), l.Status.ToString().ToLowerInvariant(), N(l.Count));
            }

            console.Write(laneTable);
        }
    }

    public static void DryRun(PassReport report, IAnsiConsole? console = null)
    {
        console ??= AnsiConsole.Console;
        foreach (var change in report.DryRunChanges.Take(50))
        {
            var parts = change.Changes.Select(kv =>
                $"{kv.Key}: {Show(change.Before.TryGetValue(kv.Key, out var b) ? b : null)} → {Show(kv.Value)}");
            console.MarkupLine($"[grey]{Markup.Escape(change.Destination)} {change.Entity}[/] {Markup.Escape(change.Key)}  {Markup.Escape(string.Join("; ", parts))}");
        }

        if (report.DryRunChanges.Count > 50)
        {
            console.MarkupLine($"[grey]… and {report.Counters.Changed - 50:N0} more[/]");
        }

        static string Show(string? v) => v is null ? "(none)" : v.Length == 0 ? "(empty)" : v;
    }

    public static void Quarantine(IReadOnlyList<OutboxEntry> rows, IAnsiConsole? console = null)
    {
        console ??= AnsiConsole.Console;
        if (rows.Count == 0)
        {
            return;
        }

        console.MarkupLine("[bold]Latest quarantined records[/] (fix them at the source; the next sync picks them up):");
        foreach (var r in rows)
        {
            console.MarkupLine($"  [yellow]{Markup.Escape(r.Destination)}[/] {r.Entity} {Markup.Escape(r.Key)}: {Markup.Escape(r.LastError ?? "")}");
        }
    }
}
