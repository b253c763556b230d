using System.Globalization;
using System.Text;
using Tributary.Host.Composition;

namespace Tributary.Host.Server;

/// <summary>Prometheus text exposition of what the service knows: lanes, inbox, webhooks, budgets and the feed guard.</summary>
public static class Metrics
{
    public static async Task<string> RenderAsync(PipelineRuntime runtime, HostServer server, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var pipeline = Label(runtime.Config.PipelineName);

        Header(sb, "tributary_outbox_records", "gauge", "Records waiting or needing attention, per destination, entity and lane.");
        foreach (var lane in await runtime.Store.CountLanesAsync(cancellationToken))
        {
            sb.Append(CultureInfo.InvariantCulture, $"tributary_outbox_records{{pipeline=\"{pipeline}\",destination=\"{Label(lane.Destination)}\",entity=\"{lane.Entity}\",lane=\"{lane.Status.ToString().ToLowerInvariant()}\"}} {lane.Count}\n");
        }

        Header(sb, "tributary_inbox_pending", "gauge", "Notifications stored and not yet re-read (capped at 10000).");
        var pending = await runtime.Store.PendingInboxAsync(10_000, cancellationToken);
        sb.Append(CultureInfo.InvariantCulture, $"tributary_inbox_pending{{pipeline=\"{pipeline}\"}} {pending.Count}\n");

        Header(sb, "tributary_notifications_total", "counter", "Notifications received, by outcome.");
        sb.Append(CultureInfo.InvariantCulture, $"tributary_notifications_total{{pipeline=\"{pipeline}\",outcome=\"stored\"}} {server.Accepted}\n");
        sb.Append(CultureInfo.InvariantCulture, $"tributary_notifications_total{{pipeline=\"{pipeline}\",outcome=\"duplicate\"}} {server.Duplicates}\n");
        foreach (var (reason, count) in server.Rejected)
        {
            sb.Append(CultureInfo.InvariantCulture, $"tributary_notifications_total{{pipeline=\"{pipeline}\",outcome=\"refused\",reason=\"{Label(reason)}\"}} {count}\n");
        }

        Header(sb, "tributary_budget_permits_total", "counter", "Destination calls granted by each rate budget.");
        Header(sb, "tributary_budget_throttled_total", "counter", "Rate-limited answers that paused each budget.");
        foreach (var d in runtime.Destinations)
        {
            sb.Append(CultureInfo.InvariantCulture, $"tributary_budget_permits_total{{pipeline=\"{pipeline}\",destination=\"{Label(d.Name)}\"}} {d.Budget.Granted}\n");
            sb.Append(CultureInfo.InvariantCulture, $"tributary_budget_throttled_total{{pipeline=\"{pipeline}\",destination=\"{Label(d.Name)}\"}} {d.Budget.ThrottledEvents}\n");
        }

        if (server.Feed is { } feed)
        {
            Header(sb, "tributary_feed_guard_trips_total", "counter", "Catalogue feeds refused because they would drop too many items.");
            sb.Append(CultureInfo.InvariantCulture, $"tributary_feed_guard_trips_total{{pipeline=\"{pipeline}\",destination=\"emarsys\"}} {feed.GuardTrips}\n");
        }

        if (server.Dashboard?.Sampler.Snapshots is { Count: > 0 } snapshots)
        {
            Header(sb, "tributary_freshness_lag_seconds", "gauge", "How far each destination trails the source watermark, per entity (0 when caught up).");
            foreach (var f in snapshots[^1].Freshness.Where(f => f.LagSeconds is not null))
            {
                sb.Append(CultureInfo.InvariantCulture, $"tributary_freshness_lag_seconds{{pipeline=\"{pipeline}\",destination=\"{Label(f.Destination)}\",entity=\"{f.Entity}\"}} {f.LagSeconds}\n");
            }
        }

        return sb.ToString();
    }

    private static void Header(StringBuilder sb, string name, string type, string help) =>
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static string Label(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal);
}
