using System.Globalization;
using System.Text;
using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Host.Configuration;

namespace Tributary.Host.Runbook;

/// <summary>
/// Writes the operational manual of one pipeline from its config, in Markdown, for the people who run the business: what
/// flows where, which shop event starts which journey, what each problem state means, who acts, and the commands to
/// replay. Pure: the same config always gives the same text.
/// </summary>
public static partial class RunbookWriter
{
    public static string Write(TributaryConfig config)
    {
        var md = new StringBuilder();
        var file = Path.GetFileName(config.FilePath);
        var source = SourceName(config);
        var destinations = DestinationNames(config);
        md.AppendLine(CultureInfo.InvariantCulture, $"# Operations manual: {config.PipelineName}");
        md.AppendLine();
        md.AppendLine($"Generated from `{file}`. It describes what Tributary does for this shop, what can go wrong, and who does what about it. " +
                                                   "Regenerate it after every change to the config: `./tributary runbook --config " + file + "`.");
        md.AppendLine();
        Flows(md, config, source, destinations);
        Journeys(md, config, source);
        States(md, config, source, destinations, file);
        Watching(md, config, file);
        Commands(md, file);
        return md.ToString();
    }

    private static void Flows(StringBuilder md, TributaryConfig config, string source, IReadOnlyList<string> destinations)
    {
        md.AppendLine("## What flows where");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Tributary reads **{source}** and keeps **{string.Join("** and **", destinations)}** in step with it.");
        md.AppendLine();
        md.AppendLine("| from " + source + " | to | what you see there |");
        md.AppendLine("|---|---|---|");
        var entities = config.Sync.Entities;
        foreach (var entity in entities)
        {
            foreach (var (destination, what) in Targets(config, entity))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {EntityWords(entity)} | {destination} | {what} |");
            }
        }

        md.AppendLine();
        md.AppendLine($"- **How fresh:** changes are picked up every {Span(config.Sync.Interval)}" +
                                                   (config.ServerUrl is null ? "." : ", and within seconds when the shop notifies Tributary (webhooks)."));
        md.AppendLine(CultureInfo.InvariantCulture, $"- **Safety net:** everything is re-read every {Span(config.Sync.Heal)} to catch anything a sweep missed.");
        md.AppendLine("- **Only changes travel:** a customer whose details did not change costs nothing; a changed one sends only what changed.");
        md.AppendLine("- **Consent:** opt-ins come from the customer record only and are never turned back on by a resync; an unknown answer is never treated as a yes.");
        if (entities.Contains(EntityKind.Order))
        {
            var channels = string.Join(", ", config.Sync.OrderChannels.Select(c => c.ToString().ToUpperInvariant()).Order(StringComparer.Ordinal));
            md.AppendLine($"- **Which orders:** only orders from the {channels} channel(s)" +
                (config.Sync.ExcludeStores.Count > 0 ? $", except the stores {string.Join(", ", config.Sync.ExcludeStores)}" : string.Empty) +
                " reach marketing; the others are counted as skipped, never lost.");
            md.AppendLine(CultureInfo.InvariantCulture, $"- **Old orders start no journey:** an event older than {Span(config.Sync.EventHorizon)} when it is first seen is recorded in the history but does not start a journey (a backfill must not email last year's buyers).");
        }

        md.AppendLine();
    }

    private static IEnumerable<(string Destination, string What)> Targets(TributaryConfig config, EntityKind entity) =>
        config.Destinations.Select(d => (d.Module.DisplayName, What: d.Describe(entity))).Where(t => t.What is not null).Select(t => (t.DisplayName, t.What!));

    private static void Journeys(StringBuilder md, TributaryConfig config, string source)
    {
        md.AppendLine("## Which shop event starts which journey");
        md.AppendLine();
        var maps = config.Destinations.Select(d => d.Journeys).OfType<JourneyMap>().ToList();
        if (maps.All(m => m.Targets.Count == 0))
        {
            var keys = Composition.ConnectorCatalog.Destinations.Select(m => m.JourneyKey).OfType<string>().Select(k => $"`{k}`");
            md.AppendLine($"No event is mapped to a journey: Tributary starts no automation. Map events under {string.Join(" or ", keys)}.");
            md.AppendLine();
            return;
        }

        md.Append(CultureInfo.InvariantCulture, $"| when this happens in {source} |");
        md.AppendLine(string.Concat(maps.Select(m => $" {m.Column} |")));
        md.Append("|---|");
        md.AppendLine(string.Concat(maps.Select(_ => "---|")));
        foreach (var type in Enum.GetValues<CommerceEventType>().Where(t => maps.Any(m => m.Targets.ContainsKey(t))))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {EventWords(type)} |");
            md.AppendLine(string.Concat(maps.Select(m => $" {(m.Targets.TryGetValue(type, out var target) ? target : "—")} |")));
        }

        md.AppendLine();
        md.AppendLine("Each event starts its journey at most once (one per shipment, one per refund), even when Tributary sees the order again.");
        md.AppendLine();
    }
}
