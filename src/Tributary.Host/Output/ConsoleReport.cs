using System.Globalization;
using Spectre.Console;
using Tributary.Core.Contracts;
using Tributary.Engine;

namespace Tributary.Host.Output;

/// <summary>What the CLI prints: a live progress line on long runs and a summary table at the end.</summary>
public static class ConsoleReport
{
    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Prints the live counters once a second to a terminal (stderr, so stdout stays clean for scripts) until cancelled. Without a
    /// terminal it prints nothing: a log keeps every line, and a progress line written before the summary would contradict it.
    /// </summary>
    public static async Task ShowProgressAsync(PassCounters counters, CancellationToken cancellationToken)
    {
        if (Console.IsErrorRedirected)
        {
            return;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                var line = $"  {started.Elapsed:mm\\:ss}  read {N(counters.Read)} · changed {N(counters.Changed)} · sent {N(counters.Sent)} · " +
                           $"quarantined {N(counters.Quarantined)} · retried {N(counters.Retried)} · calls {N(counters.Calls)}";
                Console.Error.Write("\r" + line.PadRight(Console.BufferWidth > 0 ? Math.Min(Console.BufferWidth - 1, 120) : 100));
            }
        }
        catch (OperationCanceledException)
        {
            // Finished.
        }
        finally
        {
            Console.Error.Write("\r" + new string(' ', 110) + "\r");
        }
    }

    /// <summary>The title of a pass's summary: a dry run, a full or incremental sync, or (given) a replay.</summary>
    public static string Title(PassReport report) => report.DryRun ? "Dry run (nothing was sent)"
        : report.WindowFrom is null ? "Full sync"
        : $"Incremental sync of changes since {report.WindowFrom:yyyy-MM-dd HH:mm:ss} UTC";

    /// <summary>
    /// The pass's balance: where the source records of each entity went, and where the destination rows of each destination
    /// and kind went; then the reasons records were skipped, what else was left out, and the lanes that hold records.
    /// </summary>
    public static void Summary(PassReport report, IReadOnlyList<LaneCount> lanes, IAnsiConsole? console = null, string? title = null)
    {
        console ??= AnsiConsole.Console;
        var c = report.Counters;
        var seconds = Math.Max(report.Duration.TotalSeconds, 0.001);
        console.MarkupLine($"[bold]{Markup.Escape(title ?? Title(report))} · pipeline {Markup.Escape(report.Pipeline)}[/]");

        // The formulas go above the tables, not in their titles: a title wider than its table wraps.
        console.MarkupLine("Source records: read = unchanged + changed + skipped + rejected");
        var sources = new Table().Border(TableBorder.Rounded).AddColumn("entity");
        foreach (var h in new[] { "read", "unchanged", "changed", "skipped", "rejected" })
        {
            sources.AddColumn(new TableColumn(h).RightAligned());
        }

        foreach (var s in c.Sources)
        {
            sources.AddRow(Word(s.Entity), N(s.Read), N(s.Unchanged), N(s.Changed), N(s.Skipped), N(s.Rejected));
        }

        if (c.Sources.Count == 0)
        {
            sources.AddRow("(none read)", "0", "0", "0", "0", "0");
        }

        console.Write(sources);

        var rows = c.Rows;
        if (rows.Count > 0)
        {
            console.MarkupLine("Destination rows: staged + from before = sent + parked + quarantined + dead + pending");
            var table = new Table().Border(TableBorder.Rounded).AddColumn("destination").AddColumn("kind");
            foreach (var h in new[] { "staged", "from before", "sent", "parked", "quarantined", "dead", "pending", "retried" })
            {
                table.AddColumn(new TableColumn(h).RightAligned());
            }

            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.Destination), Word(r.Kind), N(r.Staged), N(r.Carried), N(r.Sent), N(r.Parked), N(r.Quarantined), N(r.Dead),
                    N(r.Pending), N(r.Retried));
            }

            console.Write(table);
        }

        console.MarkupLine($"  {N(c.Calls)} call(s) in {report.Duration.TotalSeconds:0.0}s · {N((long)(c.Read / seconds))} records/s");
        foreach (var (reason, count) in c.SkippedReasons.OrderByDescending(kv => kv.Value))
        {
            console.MarkupLine($"  [grey]skipped {N(count)}: {Markup.Escape(reason)}[/]");
        }

        foreach (var (note, count) in c.Notes.OrderByDescending(kv => kv.Value))
        {
            console.MarkupLine($"  [grey]left out{(count > 1 ? $" ({N(count)}×)" : "")}: {Markup.Escape(note)}[/]");
        }

        foreach (var s in c.Sources.Where(s => !s.Balanced))
        {
            // Cannot happen by construction; said loudly if it ever does, because every number above would be in doubt.
            console.MarkupLine($"  [red]{Word(s.Entity)} does not balance: read {N(s.Read)}[/]");
        }

        foreach (var r in rows.Where(r => !r.Balanced))
        {
            console.MarkupLine($"  [red]{Markup.Escape(r.Destination)} {Word(r.Kind)} does not balance[/]");
        }

        var open = lanes.Where(l => l.Count > 0).ToList();
        if (open.Count > 0)
        {
            var laneTable = new Table().Title("[bold]Records needing attention or waiting (all passes)[/]").Border(TableBorder.Rounded)
                .AddColumn("destination").AddColumn("entity").AddColumn("lane").AddColumn(new TableColumn("records").RightAligned());
            foreach (var l in open.OrderBy(l => l.Destination).ThenBy(l => l.Entity).ThenBy(l => l.Status))
            {
                laneTable.AddRow(l.Destination, Word(l.Entity), l.Status.ToString().ToLowerInvariant(), N(l.Count));
            }

            console.Write(laneTable);
        }
    }

    /// <summary>
    /// The same balance as <see cref="Summary"/> in lines (for <c>run</c>, one round per block): one line per entity read and
    /// one per destination and kind with rows.
    /// </summary>
    public static IEnumerable<string> BalanceLines(PassCounters counters)
    {
        foreach (var s in counters.Sources.Where(s => s.Read > 0))
        {
            yield return $"{Word(s.Entity)}: read {N(s.Read)} = unchanged {N(s.Unchanged)} + changed {N(s.Changed)} + skipped {N(s.Skipped)} + rejected {N(s.Rejected)}";
        }

        foreach (var r in counters.Rows.Where(r => r.Staged + r.Carried > 0))
        {
            var carried = r.Carried > 0 ? $" + from before {N(r.Carried)}" : "";
            yield return $"{r.Destination} {Word(r.Kind)}: staged {N(r.Staged)}{carried} = sent {N(r.Sent)} + parked {N(r.Parked)} + quarantined {N(r.Quarantined)} + " +
                         $"dead {N(r.Dead)} + pending {N(r.Pending)}" + (r.Retried > 0 ? $" (retried {N(r.Retried)})" : "");
        }
    }

    private static string Word(Tributary.Core.Model.EntityKind kind) => kind switch
    {
        Tributary.Core.Model.EntityKind.CustomerSummary => "customer summary",
        _ => kind.ToString().ToLowerInvariant(),
    };

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

        // Records the dry run could not project are skipped and listed, never fatal.
        foreach (var skip in report.DryRunSkipped.Take(20))
        {
            console.MarkupLine($"[yellow]skipped[/] [grey]{Markup.Escape(skip.Destination)} {skip.Entity}[/] {Markup.Escape(skip.Key)}  {Markup.Escape(skip.Reason)}");
        }

        if (report.DryRunSkipped.Count > 20)
        {
            console.MarkupLine($"[grey]… and {report.DryRunSkipped.Count - 20:N0} more skipped[/]");
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
