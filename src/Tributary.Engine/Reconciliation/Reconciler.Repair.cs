using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;

namespace Tributary.Engine.Reconciliation;

public sealed partial class Reconciler
{
    /// <summary>
    /// Re-drives the listed differences through the engine: each record is re-read from the source (a report is a hint, never
    /// the data), projected, and staged to the outbox with every field as a change — the delivered state cannot be trusted
    /// for a record the destination lost — then <paramref name="pipeline"/> delivers it like any other row. Records already
    /// in a lane, gone from the source or still invalid are left alone and named.
    /// </summary>
    public async Task<RepairReport> RepairAsync(ReconciliationReport report, SyncPipeline pipeline, CancellationToken cancellationToken)
    {
        var wanted = report.Entities.SelectMany(e => e.Differences)
            .Where(d => d.Kind is DifferenceKind.MissingAtDestination or DifferenceKind.FieldsDiffer)
            .ToList();
        var skipped = wanted.Where(d => d.Lane is not null)
            .Select(d => $"{d.Destination} {d.Entity} {d.Key}: already in the {d.Lane} lane").ToList();
        var missingAtSource = new List<string>();
        var now = _time.GetUtcNow();
        var upserts = new List<OutboxEntry>();
        foreach (var group in wanted.Where(d => d.Lane is null).GroupBy(d => (d.Entity, d.Key)))
        {
            var record = await _source.GetAsync(group.Key.Entity, group.Key.Key, cancellationToken);
            if (record is null)
            {
                missingAtSource.Add(group.Key.Key);
                continue;
            }

            foreach (var difference in group)
            {
                var target = _destinations.FirstOrDefault(d => d.Name == difference.Destination);
                if (target is null)
                {
                    continue;
                }

                var entry = await RestageAsync(target, record, now, cancellationToken);
                if (entry.Reason is not null)
                {
                    skipped.Add($"{difference.Destination} {difference.Entity} {difference.Key}: {entry.Reason}");
                }
                else
                {
                    upserts.Add(entry.Row!);
                }
            }
        }

        if (upserts.Count == 0)
        {
            return new RepairReport(0, missingAtSource, skipped, null);
        }

        await _outbox.StageAsync(new StageBatch(upserts, []), cancellationToken);
        var kinds = upserts.Select(u => u.Entity).Distinct().ToList();
        var pass = await pipeline.RunPassAsync(new PassOptions(Entities: kinds, ReadSource: false), null, cancellationToken);
        return new RepairReport(upserts.Count, missingAtSource, skipped, pass);
    }

    private async Task<(OutboxEntry? Row, string? Reason)> RestageAsync(DestinationBinding target, CanonicalRecord record, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var connector = target.Connector;
        var projection = connector.Project(record);
        if (projection.QuarantineReason is { } reason)
        {
            return (null, $"still invalid at the source ({reason})");
        }

        var delivered = (await _store.GetDeliveredAsync(target.Name, record.Kind, [record.Key], cancellationToken)).GetValueOrDefault(record.Key);
        // A repair is not a new answer from the person: consent is written only as delivery writes it (a new answer at the
        // source), so a record the destination already holds is repaired without its consent fields.
        // The read API names them when there is one; otherwise the connector does (a destination compared with its delivered state).
        var consent = delivered is not null
            ? _options.ReadApis.FirstOrDefault(a => a.Destination == target.Name && a.Entity == record.Kind)?.ConsentFields ?? connector.ConsentFields
            : (IReadOnlySet<string>)new HashSet<string>(StringComparer.Ordinal);
        var changes = connector.Semantics(record.Kind) == DeliverySemantics.AppendOnce
            ? projection.Fields.Where(f => f.Value is not null && delivered?.Fields.ContainsKey(f.Key) != true).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal)
            : projection.Fields.Where(f => (f.Value is not null || _pipeline.Clears(record.Kind)) && !consent.Contains(f.Key))
                .ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        if (changes.Count == 0)
        {
            return (null, "nothing left to send");
        }

        var waitingOn = projection.DependsOn is { } dependency
            && (await _store.GetDeliveredAsync(target.Name, dependency.Entity, [dependency.Key], cancellationToken)).Count == 0
                ? dependency
                : (DependencyKey?)null;
        return (new OutboxEntry
        {
            Destination = target.Name,
            Entity = record.Kind,
            Key = record.Key,
            Fields = projection.Fields,
            Changes = changes,
            Hash = FieldDiff.Hash(projection.Fields),
            SourceVersion = record.SourceVersion,
            SourceModifiedAt = record.ModifiedAt,
            Status = waitingOn is null ? OutboxStatus.Pending : OutboxStatus.Parked,
            WaitingOn = waitingOn,
            NextAttemptAt = now,
            EnqueuedAt = now,
        }, null);
    }
}
