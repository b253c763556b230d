using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;

namespace Tributary.Host.Server.Dashboard;

/// <summary>
/// Replays records of a lane from the dashboard: one record, a selection of keys or an enqueue-date range. The dry run re-reads
/// each record from the source and projects it exactly as a replay would, and shows the diff against what the destination
/// holds without staging or sending anything; the replay itself is the engine's (re-read, re-diff, deliver).
/// </summary>
public sealed class DashboardReplay(PipelineRuntime runtime, PayloadMasker masker, DashboardSampler sampler)
{
    /// <summary>Most records a dry run details (the count covers the whole selection).</summary>
    public const int MaxPlanned = 200;

    /// <summary>The rows a request selects.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> SelectAsync(ReplayRequest request, OutboxStatus lane, CancellationToken cancellationToken)
    {
        var keys = request.Keys is { Count: > 0 } k ? new HashSet<string>(k, StringComparer.Ordinal) : null;
        var rows = await runtime.Store.ListAsync(lane, string.IsNullOrEmpty(request.Destination) ? null : request.Destination, int.MaxValue, cancellationToken);
        return rows.Where(r => (keys is null || keys.Contains(r.Key))
                               && (request.From is null || r.EnqueuedAt >= request.From)
                               && (request.To is null || r.EnqueuedAt < request.To)).ToList();
    }

    /// <summary>What a replay of the selection would do, record by record.</summary>
    public async Task<ReplayPlan> DryRunAsync(IReadOnlyList<OutboxEntry> rows, CancellationToken cancellationToken)
    {
        var planned = new List<PlannedReplay>();
        foreach (var row in rows.Take(MaxPlanned))
        {
            planned.Add(await PlanAsync(row, cancellationToken));
        }

        return new ReplayPlan(rows.Count, planned);
    }

    /// <summary>Replays the selection through the engine.</summary>
    public async Task<ReplayDone> RunAsync(IReadOnlyList<OutboxEntry> rows, OutboxStatus lane, CancellationToken cancellationToken)
    {
        var keys = rows.Select(r => r.Key).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            // An empty key list would mean "the whole lane" to the engine.
            return new ReplayDone(0, [], 0, 0, 0, 0);
        }

        var report = await runtime.Pipeline.ReplayAsync(lane, keys, new PassCounters(), cancellationToken);
        sampler.Observe("replay", report.Pass);
        var c = report.Pass.Counters;
        return new ReplayDone(report.Requeued, report.MissingAtSource, c.Sent, c.Quarantined, c.Dead, c.Parked);
    }

    private async Task<PlannedReplay> PlanAsync(OutboxEntry row, CancellationToken cancellationToken)
    {
        if (!runtime.Source.Entities.Contains(row.Entity))
        {
            return Plan(row, "not re-read", $"{row.Entity} records are derived from other records and are not re-read on replay");
        }

        CanonicalRecord? record;
        try
        {
            record = await runtime.Source.GetAsync(row.Entity, row.Key, cancellationToken);
        }
        catch (Exception ex) when (ex is PlatformException or ArgumentException or FormatException && !cancellationToken.IsCancellationRequested)
        {
            // A record the source cannot map (or cannot be asked for) is listed and skipped: the rest of the plan still shows.
            return Plan(row, "skip", $"{runtime.Source.Name} could not re-read it: " + PayloadMasker.Text(OneLine(ex.Message)));
        }

        if (record is null)
        {
            return Plan(row, "missing", $"{runtime.Source.Name} no longer has it; it stays in the lane");
        }

        var binding = runtime.Destinations.FirstOrDefault(d => d.Name == row.Destination);
        if (binding is null)
        {
            return Plan(row, "not re-read", $"destination '{row.Destination}' is no longer configured");
        }

        Projection projection;
        try
        {
            projection = binding.Connector.Project(record);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Plan(row, "skip", $"{row.Destination} could not project it: " + PayloadMasker.Text(OneLine(ex.Message)));
        }

        if (projection.QuarantineReason is { } reason)
        {
            return Plan(row, "quarantine", "still invalid: " + PayloadMasker.Text(reason));
        }

        var delivered = (await runtime.Store.GetDeliveredAsync(row.Destination, row.Entity, [row.Key], cancellationToken)).GetValueOrDefault(row.Key);
        var before = delivered?.Fields ?? new Dictionary<string, string?>();
        var changes = projection.Fields
            .Where(f => (f.Value is not null || runtime.Pipeline.Options.Clears(row.Entity)) && before.GetValueOrDefault(f.Key) != f.Value)
            .ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        if (changes.Count == 0)
        {
            return Plan(row, "unchanged", "the destination already holds these values");
        }

        var outcome = projection.DependsOn is { } dependency ? "park" : "send";
        var note = projection.DependsOn is { } d ? $"waits for {d.Entity} {d.Key} to be delivered first" : null;
        return new PlannedReplay(row.Destination, row.Entity, row.Key, outcome, note,
            masker.Fields(row.Destination, changes.Keys.ToDictionary(k => k, k => before.GetValueOrDefault(k), StringComparer.Ordinal)),
            masker.Fields(row.Destination, changes));
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static PlannedReplay Plan(OutboxEntry row, string outcome, string reason) =>
        new(row.Destination, row.Entity, row.Key, outcome, reason, new Dictionary<string, string?>(), new Dictionary<string, string?>());
}

/// <summary>A replay asked for by the dashboard.</summary>
/// <param name="Lane">quarantined, dead or parked.</param>
/// <param name="Destination">Only this destination's rows; all when empty.</param>
/// <param name="Keys">Only these keys; the whole lane (within the dates) when empty.</param>
/// <param name="From">Enqueued at or after.</param>
/// <param name="To">Enqueued before.</param>
/// <param name="DryRun">Show the diff, change nothing.</param>
public sealed record ReplayRequest(string Lane, string? Destination = null, IReadOnlyList<string>? Keys = null, DateTimeOffset? From = null,
    DateTimeOffset? To = null, bool DryRun = true);

/// <summary>What a dry run found.</summary>
public sealed record ReplayPlan(int Selected, IReadOnlyList<PlannedReplay> Items);

/// <summary>
/// One record of a dry run: send (with the diff), unchanged, quarantine (still invalid), park, missing, not re-read, or skip (the
/// source could not re-read or map it, or the destination could not project it; the reason says which).
/// </summary>
public sealed record PlannedReplay(string Destination, EntityKind Entity, string Key, string Outcome, string? Reason,
    IReadOnlyDictionary<string, string?> Before, IReadOnlyDictionary<string, string?> After);

/// <summary>What a replay did.</summary>
public sealed record ReplayDone(int Requeued, IReadOnlyList<string> MissingAtSource, long Sent, long Quarantined, long Dead, long Parked);
