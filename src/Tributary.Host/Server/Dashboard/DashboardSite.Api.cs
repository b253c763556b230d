using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Core.Contracts;

namespace Tributary.Host.Server.Dashboard;

public sealed partial class DashboardSite
{
    /// <summary>Kinds of passes the host reports, in the order the page shows them.</summary>
    public static readonly string[] PassKinds = ["sweep", "heal", "realtime", "replay"];

    private void MapApi(RouteGroupBuilder api)
    {
        // Block bodies with a return value: an expression-bodied async lambda over HttpContext alone binds as a RequestDelegate
        // and its result is dropped.
        api.MapGet("/overview", async (HttpContext context) =>
        {
            var overview = await OverviewAsync(context.RequestAborted);
            return Json(overview);
        });
        api.MapGet("/series", () => Json(Sampler.Series()));
        api.MapGet("/lanes/{lane}", async (HttpContext context, string lane) =>
        {
            if (!TryLane(lane, out var status))
            {
                return Results.Json(new { error = "lane must be parked, quarantined or dead" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var destination = context.Request.Query["destination"].ToString();
            var limit = int.TryParse(context.Request.Query["limit"], out var l) ? Math.Clamp(l, 1, 1000) : 200;
            var rows = await _runtime.Store.ListAsync(status, destination.Length == 0 ? null : destination, limit, context.RequestAborted);
            return Json(rows.Select(r => LaneRow.From(r, _masker)).ToList());
        });
        api.MapGet("/trace", async (HttpContext context) =>
        {
            var query = context.Request.Query["q"].ToString();
            return query.Trim().Length == 0
                ? Results.Json(new { error = "give a source id, an email or a SKU as ?q=" }, statusCode: StatusCodes.Status400BadRequest)
                : Json(await _trace.FindAsync(query, context.RequestAborted));
        });
        api.MapGet("/consent", async (HttpContext context) =>
        {
            var view = await ConsentOverview.ReadAsync(_runtime.Store, context.RequestAborted);
            return Json(view);
        });
        api.MapPost("/replay", async (HttpContext context) =>
        {
            ReplayRequest? request;
            try
            {
                request = await context.Request.ReadFromJsonAsync<ReplayRequest>(DashboardJson.Options, context.RequestAborted);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
            {
                // Not JSON, or not sent as JSON (the content type): the same 400 with the shape to send.
                request = null;
            }

            if (request is null || !TryLane(request.Lane, out var lane))
            {
                return Results.Json(new { error = "send {\"lane\": \"quarantined|dead|parked\", \"keys\": [...] or \"from\"/\"to\", \"dryRun\": true}" },
                    statusCode: StatusCodes.Status400BadRequest);
            }

            var rows = await _replay.SelectAsync(request, lane, context.RequestAborted);
            return request.DryRun
                ? Json(await _replay.DryRunAsync(rows, context.RequestAborted))
                : Json(await _replay.RunAsync(rows, lane, context.RequestAborted));
        });
    }

    private async Task<Overview> OverviewAsync(CancellationToken cancellationToken)
    {
        var snapshot = Sampler.Snapshots is { Count: > 0 } s ? s[^1] : await Sampler.SampleAsync(cancellationToken);
        var lanes = await _runtime.Store.CountLanesAsync(cancellationToken);
        var rows = snapshot.Freshness.Select(f => new OverviewRow(f.Destination, f.Entity,
                Count(lanes, f, OutboxStatus.Pending), Count(lanes, f, OutboxStatus.Parked), Count(lanes, f, OutboxStatus.Quarantined),
                Count(lanes, f, OutboxStatus.Dead), f.LagSeconds, f.SourceSeenUntil, f.DeliveredThrough))
            .ToList();

        var reasons = new List<ReasonCount>();
        foreach (var lane in new[] { OutboxStatus.Quarantined, OutboxStatus.Dead, OutboxStatus.Parked })
        {
            var listed = await _runtime.Store.ListAsync(lane, null, 2000, cancellationToken);
            reasons.AddRange(listed
                .GroupBy(r => (r.Destination, r.Entity, Reason: ReasonGroup(lane == OutboxStatus.Parked && r.WaitingOn is { } w
                    ? $"waiting for {w.Entity}" : PayloadMasker.Text(r.LastError))))
                .Select(g => new ReasonCount(lane, g.Key.Destination, g.Key.Entity, g.Key.Reason, g.Count()))
                .OrderByDescending(r => r.Count)
                .Take(20));
        }

        var series = Sampler.Series();
        var last = series.LastOrDefault(p => p.SentPerMinute is not null);
        var budgets = _runtime.Destinations.Select(d => new BudgetView(d.Name, d.Budget.RequestsPerMinute, d.Budget.Granted, d.Budget.ThrottledEvents,
            last?.BudgetUsePercent.GetValueOrDefault(d.Name))).ToList();
        var latency = PassKinds.SelectMany(k => new[] { Sampler.Latency(k, TimeSpan.FromHours(1)), Sampler.Latency(k, TimeSpan.FromHours(24)) })
            .Select((l, i) => new LatencyView(i % 2 == 0 ? "1h" : "24h", l))
            .Where(l => l.Summary.Count > 0)
            .ToList();
        return new Overview(_runtime.Config.PipelineName, _runtime.Source.Name, snapshot.At, rows,
            Sampler.CurrentTotals(),
            last?.SentPerMinute, last?.ReadPerMinute, latency, budgets, reasons, Sampler.Balance());
    }

    private static long Count(IReadOnlyList<LaneCount> lanes, Freshness f, OutboxStatus status) =>
        lanes.Where(l => l.Destination == f.Destination && l.Entity == f.Entity && l.Status == status).Sum(l => l.Count);

    private static IResult Json<T>(T value) => Results.Json(value, DashboardJson.Options);
}

/// <summary>The dashboard's first screen.</summary>
public sealed record Overview(string Pipeline, string Source, DateTimeOffset SampledAt, IReadOnlyList<OverviewRow> Rows, Totals Totals,
    double? SentPerMinute, double? ReadPerMinute, IReadOnlyList<LatencyView> Latency, IReadOnlyList<BudgetView> Budgets, IReadOnlyList<ReasonCount> Reasons,
    BalanceView Balance);

/// <summary>One destination and entity: backlog, lanes and freshness.</summary>
public sealed record OverviewRow(string Destination, Tributary.Core.Model.EntityKind Entity, long Pending, long Parked, long Quarantined, long Dead,
    double? FreshnessLagSeconds, DateTimeOffset? SourceSeenUntil, DateTimeOffset? DeliveredThrough);

/// <summary>Totals of the passes since the service started.</summary>
public sealed record Totals(long Read, long Sent, long Quarantined, long Dead, long Retried, long Calls);

/// <summary>Pass latency over a window.</summary>
public sealed record LatencyView(string Window, LatencySummary Summary);

/// <summary>A destination's request budget.</summary>
public sealed record BudgetView(string Destination, int? RequestsPerMinute, long Granted, long Throttled, double? UsePercent);

/// <summary>How many rows of a lane share a reason.</summary>
public sealed record ReasonCount(OutboxStatus Lane, string Destination, Tributary.Core.Model.EntityKind Entity, string Reason, int Count);
