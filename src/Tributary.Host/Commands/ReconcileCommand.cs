using System.CommandLine;
using Spectre.Console;
using Microsoft.Extensions.Logging;
using Tributary.Core.Model;
using Tributary.Engine.Consent;
using Tributary.Engine.Reconciliation;
using Tributary.Host.Composition;

namespace Tributary.Host.Commands;

public static class ReconcileCommand
{
    internal static Command Create()
    {
        var config = CommonOptions.Config();
        var json = new Option<FileInfo?>("--json") { Description = "Also write the report as JSON to this file." };
        var repair = new Option<bool>("--repair") { Description = "Re-drive the differences found: re-read each record and send it again through the outbox." };
        var command = new Command("reconcile", "Compare the source with each destination (counts, sums, field checks, orphans, the catalogue feed) and report the differences.")
        {
            config, json, repair,
        };
        command.SetAction(async (parse, ct) =>
        {
            var cfg = CommonOptions.LoadConfig(parse.GetValue(config)!);
            if (cfg is null)
            {
                return CommonOptions.ExitConfig;
            }

            using var loggers = CommonOptions.Loggers(verbose: false);
            await using var runtime = await CommonOptions.OpenAsync(cfg, loggers, ct);
            var (report, repaired) = await RunAsync(runtime, parse.GetValue(repair), TimeProvider.System, ct);
            Print(report);
            var pullBack = new ConsentPullBack(runtime.Destinations, runtime.Store, TimeProvider.System, loggers.CreateLogger("Tributary.Consent"));
            if (pullBack.Any)
            {
                PrintConsent(await pullBack.RunAsync(ct), await runtime.Store.ListConsentConflictsAsync(20, ct));
            }
            if (parse.GetValue(json) is { } file)
            {
                await ReconciliationReportFile.WriteAsync(file.FullName, report, ct);
                AnsiConsole.MarkupLine($"Report written to {Markup.Escape(file.FullName)}.");
            }

            if (repaired is not null)
            {
                AnsiConsole.MarkupLine($"Repair: {repaired.Staged:N0} record(s) re-staged and delivered ({repaired.Pass?.Counters.Sent ?? 0:N0} sent).");
                foreach (var line in repaired.Skipped.Take(20).Concat(repaired.MissingAtSource.Take(20).Select(k => $"{k}: no longer at the source")))
                {
                    AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(line)}[/]");
                }

                return CommonOptions.ExitOk;
            }

            return report.Clean ? CommonOptions.ExitOk : CommonOptions.ExitFailed;
        });
        return command;
    }

    /// <summary>Reconciles, keeps the report for the dashboard, and repairs when asked (then reconciles again to show the result).</summary>
    public static async Task<(ReconciliationReport Report, RepairReport? Repair)> RunAsync(PipelineRuntime runtime, bool repair, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var reconciler = ReconcileComposition.Create(runtime, time);
        var report = await reconciler.RunAsync(cancellationToken);
        RepairReport? repaired = null;
        if (repair && report.Repairable > 0)
        {
            repaired = await reconciler.RepairAsync(report, runtime.Pipeline, cancellationToken);
            report = await reconciler.RunAsync(cancellationToken);
        }

        await ReconciliationReportFile.WriteAsync(ReconciliationReportFile.LatestPath(runtime.Config.StatePath), report, cancellationToken);
        return (report, repaired);
    }

    /// <summary>What each destination's consent pull-back found, and the first contacts whose shop data contradicts an opt-out.</summary>
    internal static void PrintConsent(IReadOnlyList<ConsentPullBackResult> results, IReadOnlyList<ConsentConflict> conflicts)
    {
        var table = new Table().AddColumns("destination", "consent answers", "opted out", "opted in", "unknown addresses", "conflicts with the shop");
        foreach (var r in results)
        {
            table.AddRow(Markup.Escape(r.Destination), r.Error is { } error ? $"[red]failed: {Markup.Escape(error)}[/]" : $"{r.Read:N0}",
                $"{r.OptedOut:N0}", $"{r.OptedIn:N0}", $"{r.Unmatched:N0}", r.Conflicts > 0 ? $"[yellow]{r.Conflicts:N0}[/]" : "0");
        }

        AnsiConsole.MarkupLine("Consent pulled back from the destinations:");
        AnsiConsole.Write(table);
        if (conflicts.Count > 0)
        {
            AnsiConsole.MarkupLine("[yellow]These customers opted out at a destination after the shop's opt-in, and the shop still says subscribed. " +
                                   "Their opt-out is kept; correct their consent in the shop:[/]");
            foreach (var c in conflicts)
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(c.Destination)}: customer {Markup.Escape(c.Contact)} ({Markup.Escape(c.Channel)}), " +
                                       $"opted out {c.OptedOutAt:yyyy-MM-dd HH:mm} UTC; shop field {Markup.Escape(c.SourceOrigin ?? "?")}");
            }
        }
    }

    internal static void Print(ReconciliationReport report)
    {
        AnsiConsole.MarkupLine($"Reconciliation of {Markup.Escape(report.Pipeline)}: {Markup.Escape(report.Source)} against its destinations, {report.FinishedAt:yyyy-MM-dd HH:mm} UTC");
        var table = new Table().AddColumns("destination", "entity", "compared with", "source", "destination", "missing", "fields differ",
            "consent drift", "not at source", "invalid", "out of scope", "sampled");
        foreach (var e in report.Entities)
        {
            table.AddRow(e.Destination, e.Entity.ToString(), e.ComparedWith, $"{e.SourceRecords:N0}", $"{e.DestinationRecords:N0}", Flag(e.Missing),
                Flag(e.FieldsDiffer), Flag(e.ConsentDrift), Flag(e.NotAtSource), $"{e.Invalid:N0}", $"{e.OutOfScope:N0}", $"{e.Sampled:N0}");
        }

        AnsiConsole.Write(table);
        foreach (var e in report.Entities)
        {
            foreach (var sum in e.Sums.Where(s => s.Difference != 0))
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(e.Destination)} {e.Entity} sum of {Markup.Escape(sum.Field)}: source {sum.Source:N2}, destination {sum.Destination:N2}");
            }

            foreach (var d in e.Differences.Take(10))
            {
                var fields = d.Fields.Count == 0 ? string.Empty : $" ({string.Join(", ", d.Fields)})";
                var lane = d.Lane is null ? string.Empty : $" — in the {d.Lane} lane";
                AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(e.Destination)} {e.Entity} {Markup.Escape(d.Key)}[/]: {Words(d.Kind)}{Markup.Escape(fields + lane)}");
            }
        }

        foreach (var (kind, count) in report.OrphanCounts)
        {
            AnsiConsole.MarkupLine($"Orphans, {Words(kind)}: {count:N0}");
            foreach (var orphan in report.Orphans.Where(o => o.Kind == kind).Take(5))
            {
                AnsiConsole.MarkupLine($"  {Markup.Escape(orphan.Key)}: {Markup.Escape(orphan.Detail)}");
            }
        }

        if (report.Catalogue is { } c)
        {
            AnsiConsole.MarkupLine($"Catalogue audit ({Markup.Escape(c.Destination)} feed): {c.SourceItems:N0} items at the source, {c.FeedItems:N0} in the feed; " +
                                   $"{c.MissingFromFeed:N0} missing, {c.NotAtSource:N0} not at the source, {c.PriceDiffers:N0} prices and {c.AvailabilityDiffers:N0} availabilities differ");
            foreach (var d in c.Differences.Take(10))
            {
                AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(d.Sku)}[/]: {Markup.Escape(d.Problem)} (source {Markup.Escape(d.Source ?? "-")}, feed {Markup.Escape(d.Feed ?? "-")})");
            }
        }

        AnsiConsole.MarkupLine(report.Clean ? "[green]Source and destinations agree.[/]" : $"{report.Repairable:N0} difference(s) can be repaired with --repair.");
        if (report.Entities.Sum(e => e.ConsentDrift) is > 0 and var drift)
        {
            AnsiConsole.MarkupLine($"{drift:N0} contact(s) hold another consent answer at the destination than at the source (an opt-in or opt-out " +
                                   "made there). Repair never overwrites consent: correct the shop's data, or leave the destination's answer.");
        }
    }

    private static string Flag(long count) => count == 0 ? "0" : $"[yellow]{count:N0}[/]";

    private static string Words(DifferenceKind kind) => kind switch
    {
        DifferenceKind.MissingAtDestination => "missing at the destination",
        DifferenceKind.FieldsDiffer => "fields differ",
        DifferenceKind.ConsentDrift => "consent drift, not repaired",
        _ => "no longer at the source",
    };

    private static string Words(OrphanKind kind) => kind switch
    {
        OrphanKind.ContactWithoutCustomer => "contacts without a source customer",
        OrphanKind.OrderWithoutContact => "orders without a contact",
        _ => "SKUs ordered but not in the catalogue",
    };
}
