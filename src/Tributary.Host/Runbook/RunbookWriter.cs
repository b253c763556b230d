using System.Globalization;
using System.Text;
using Tributary.Core.Model;
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

    private static IEnumerable<(string Destination, string What)> Targets(TributaryConfig config, EntityKind entity)
    {
        if (config.Emarsys is { } e)
        {
            var what = entity switch
            {
                EntityKind.Customer => $"contacts, keyed by the customer id in field {e.KeyFieldId}; consent in the opt-in field",
                EntityKind.Order => e.MerchantId is null ? null : "Smart Insight sales data (one line per product, sent once; negative lines for refunds and cancellations), order count and lifetime value on the contact",
                EntityKind.Product => e.Catalogue is { Enabled: true } ? "the product catalogue feed Emarsys fetches from Tributary" : null,
                EntityKind.Stock => e.Catalogue is { Enabled: true } ? "availability in the catalogue feed; back-in-stock and low-stock events" : null,
                _ => null,
            };
            if (what is not null)
            {
                yield return ("SAP Emarsys", what);
            }
        }

        if (config.Dotdigital is { } d)
        {
            var what = entity switch
            {
                EntityKind.Customer => "contacts (by email) with consent" + (d.ListIds.Count > 0 ? $", in address book(s) {string.Join(", ", d.ListIds)}" : string.Empty),
                EntityKind.Order => "order insight data on the contact, order count and lifetime value",
                EntityKind.Stock => "back-in-stock and low-stock events",
                _ => null,
            };
            if (what is not null)
            {
                yield return ("Dotdigital", what);
            }
        }
    }

    private static void Journeys(StringBuilder md, TributaryConfig config, string source)
    {
        md.AppendLine("## Which shop event starts which journey");
        md.AppendLine();
        var emarsys = config.Emarsys?.EventIds ?? new Dictionary<CommerceEventType, string>();
        var dotdigital = config.Dotdigital?.Programs ?? new Dictionary<CommerceEventType, long>();
        if (emarsys.Count == 0 && dotdigital.Count == 0)
        {
            md.AppendLine("No event is mapped to a journey: Tributary starts no automation. Map events under `destinations.emarsys.eventIds` or `destinations.dotdigital.programs`.");
            md.AppendLine();
            return;
        }

        md.Append(CultureInfo.InvariantCulture, $"| when this happens in {source} |");
        md.Append(config.Emarsys is null ? string.Empty : " Emarsys external event |");
        md.AppendLine(config.Dotdigital is null ? string.Empty : " Dotdigital program |");
        md.Append("|---|");
        md.Append(config.Emarsys is null ? string.Empty : "---|");
        md.AppendLine(config.Dotdigital is null ? string.Empty : "---|");
        foreach (var type in Enum.GetValues<CommerceEventType>().Where(t => emarsys.ContainsKey(t) || dotdigital.ContainsKey(t)))
        {
            md.Append(CultureInfo.InvariantCulture, $"| {EventWords(type)} |");
            md.Append(config.Emarsys is null ? string.Empty : $" {(emarsys.TryGetValue(type, out var id) ? $"event {id}" : "—")} |");
            md.AppendLine(config.Dotdigital is null ? string.Empty : $" {(dotdigital.TryGetValue(type, out var program) ? $"program {program}" : "—")} |");
        }

        md.AppendLine();
        md.AppendLine("Each event starts its journey at most once (one per shipment, one per refund), even when Tributary sees the order again.");
        md.AppendLine();
    }
}
