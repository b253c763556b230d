using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    private const int MaxPlannedChanges = 1000;

    private async Task<(DateTimeOffset? From, DateTimeOffset Until)> IngestAsync(EntityKind entity, PassOptions pass, PassCounters counters,
        DryRunPlan planned, Doorbell doorbell, CancellationToken cancellationToken)
    {
        var cursor = SweepCursor.Parse(await _store.GetCursorAsync(_source.Name, entity, cancellationToken));
        SweepWindow window;
        if (!pass.DryRun && cursor.InProgress is { } resume && (!pass.IsFull(entity) || resume.Full))
        {
            window = resume;
            _logger.LogInformation("Resuming the {Entity} read of {Pipeline} after key {Key}", entity, _options.Name, resume.AfterKey);
        }
        else
        {
            var clock = await _source.GetClockAsync(cancellationToken);
            window = pass.IsFull(entity) || cursor.Watermark is null
                ? new SweepWindow(null, clock, null, Full: true)
                : new SweepWindow(cursor.Watermark.Value - _options.Overlap, clock, null, Full: false);
        }

        var request = new SourceReadRequest(entity, window.Full ? null : window.From, window.Full ? null : window.Until, window.AfterKey,
            _options.PageSize);

        // The next page is fetched while this one is diffed and staged: source latency overlaps local work.
        var pages = Channel.CreateBounded<SourcePage>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var producer = ProduceAsync(request, pages.Writer, cancellationToken);
        // A complete read of the catalogue also tells what the source no longer has.
        // So does a complete read of the customers, when a customer deleted at the source is to be erased downstream.
        var seen = window.Full && window.AfterKey is null && !pass.DryRun
                   && (entity is EntityKind.Product or EntityKind.Stock || (entity == EntityKind.Customer && _options.ErasureOnSourceDeletion is not null))
            ? new HashSet<string>(StringComparer.Ordinal)
            : null;
        var purchases = entity == EntityKind.Order && !pass.DryRun ? new PendingPurchases(window.Purchases) : null;
        await foreach (var page in pages.Reader.ReadAllAsync(cancellationToken))
        {
            using var pageActivity = Telemetry.StartPage(_options.Name, entity, page, pass.DryRun);
            if (seen is not null)
            {
                seen.UnionWith(page.Records.Select(r => r.Key));
                seen.UnionWith(page.Rejected.Select(r => r.Key));
            }

            var upserts = new List<OutboxEntry>();
            var removes = new List<(string, EntityKind, string, long)>();
            var tally = new PageTally();
            var live = await WithoutForgottenAsync(page.Records, key => tally.Skip(key, ForgottenReason), cancellationToken) is var kept
                && ReferenceEquals(kept, page.Records) ? page : page with { Records = kept };
            foreach (var (kind, records) in await ExpandAsync(entity, live, pass, counters, tally, purchases, cancellationToken))
            {
                foreach (var target in _destinations.Where(d => d.Connector.Supports(kind)))
                {
                    await DiffPageAsync(target, kind, records, pass, counters, tally, planned, upserts, removes, cancellationToken);
                }
            }

            window = window with { AfterKey = page.LastKey ?? window.AfterKey, Purchases = purchases?.Keys };
            if (!pass.DryRun)
            {
                var progress = new SweepCursor { Watermark = cursor.Watermark, InProgress = window }.ToJson();
                await _store.StageAsync(new StageBatch(upserts, removes, _source.Name, entity, progress), cancellationToken);
                if (entity == EntityKind.Customer)
                {
                    await RecordSourceConsentAsync(live.Records, upserts, pass.IsFull(entity), cancellationToken);
                }

                foreach (var group in upserts.Where(u => u.Status == OutboxStatus.Pending).GroupBy(u => (u.Destination, u.Entity)))
                {
                    doorbell.Ring(group.Key.Destination, group.Key.Entity, group.Count());
                }
            }

            tally.Settle(entity, page, counters);
        }

        await producer;
        if (purchases is { Any: true })
        {
            await StagePurchasesAsync(purchases, pass, counters, doorbell, cancellationToken);
        }

        if (seen is not null && entity == EntityKind.Customer)
        {
            await EraseVanishedAsync(seen, counters, cancellationToken);
        }
        else if (seen is not null)
        {
            await ForgetWithdrawnAsync(entity, seen, counters, cancellationToken);
        }

        if (!pass.DryRun)
        {
            await _store.SetCursorAsync(_source.Name, entity, new SweepCursor { Watermark = window.Until }.ToJson(), cancellationToken);
        }

        return (window.From, window.Until);
    }

    /// <summary>A page plus what it implies: orders bring summaries and lifecycle events, stock brings stock events.</summary>
    private async Task<List<(EntityKind, SourcePage)>> ExpandAsync(EntityKind entity, SourcePage page, PassOptions pass, PassCounters counters,
        PageTally tally, PendingPurchases? purchases, CancellationToken cancellationToken) => entity switch
    {
        EntityKind.Order => await ExpandOrdersAsync(page, pass, counters, tally, purchases, cancellationToken),
        EntityKind.Stock => await ExpandStockAsync(page, pass, counters, cancellationToken),
        EntityKind.Customer => ExpandCustomers(page, tally),
        _ => [(entity, page)],
    };

    /// <summary>
    /// After a complete read: catalogue records a destination holds that the source no longer has are forgotten, so the next
    /// feed leaves them out (the feed's drop guard refuses a feed that loses too many at once, e.g. after a truncated read).
    /// </summary>
    private async Task ForgetWithdrawnAsync(EntityKind entity, HashSet<string> seen, PassCounters counters, CancellationToken cancellationToken)
    {
        foreach (var target in _destinations.Where(d => d.Connector.Supports(entity)))
        {
            var gone = new List<string>();
            await foreach (var row in _store.ReadDeliveredAsync(target.Name, entity, cancellationToken))
            {
                if (!seen.Contains(row.Key))
                {
                    gone.Add(row.Key);
                }
            }

            if (gone.Count > 0)
            {
                var removed = await _store.RemoveDeliveredAsync(target.Name, entity, gone, cancellationToken);
                counters.AddNote($"{removed} {entity.ToString().ToLowerInvariant()} record(s) no longer at the source, removed from {target.Name}");
                _logger.LogWarning("{Count} {Entity} records are no longer at the source and were removed from {Destination}", removed, entity, target.Name);
            }
        }
    }

    private async Task ProduceAsync(SourceReadRequest request, ChannelWriter<SourcePage> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var page in _source.ReadAsync(request, cancellationToken))
            {
                await writer.WriteAsync(page, cancellationToken);
            }

            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
        }
    }

    private async Task DiffPageAsync(DestinationBinding target, EntityKind entity, SourcePage page, PassOptions pass, PassCounters counters,
        PageTally tally, DryRunPlan planned, List<OutboxEntry> upserts, List<(string, EntityKind, string, long)> removes, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var appendOnce = target.Connector.Semantics(entity) == DeliverySemantics.AppendOnce;
        var keys = page.Records.Select(r => r.Key).ToList();
        var delivered = keys.Count == 0
            ? new Dictionary<string, DeliveredState>()
            : await _store.GetDeliveredAsync(target.Name, entity, keys, cancellationToken);

        var staged = new List<(CanonicalRecord Record, Projection Projection, Dictionary<string, string?> Changes)>();
        foreach (var record in page.Records)
        {
            delivered.TryGetValue(record.Key, out var before);
            if (before is not null && record.SourceVersion < before.SourceVersion)
            {
                // Version gate: an older read (a slow sweep racing a newer notification) never overwrites newer state.
                counters.AddStale(1);
                tally.Note(entity, record, PageTally.Mark.Stale);
                continue;
            }

            Projection projection;
            try
            {
                projection = target.Connector.Project(record);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A projection that throws is about this record alone (a value the mapping cannot take): it waits in
                // quarantine with the reason, and the rest of the page goes on.
                projection = new Projection(new Dictionary<string, string?>(), $"{target.Name} could not project it: {OneLine(ex.Message)}");
            }

            if (projection.QuarantineReason is { } reason)
            {
                planned.Skip(pass, target.Name, entity, record.Key, reason);
                tally.Note(entity, record, PageTally.Mark.Quarantined);
                if (!pass.DryRun)
                {
                    upserts.Add(Quarantined(target.Name, entity, record.Key, reason, record.SourceVersion, record.ModifiedAt, now));
                    counters.RowStaged(target.Name, entity, record.Key, OutboxStatus.Quarantined);
                }

                continue;
            }

            if (projection.Note is { } note)
            {
                // Part of the record was left out and the rest goes (an invalid mobile number): said in the pass summary and the
                // log, never silently dropped.
                counters.AddNote($"{target.Name}: {note}");
            }

            var changes = appendOnce
                ? NewFacts(projection.Fields, before?.Fields)
                : FieldDiff.Changes(projection.Fields, before?.Fields, _options.Clears(entity));
            if (changes.Count == 0)
            {
                tally.Note(entity, record, PageTally.Mark.Unchanged);
                removes.Add((target.Name, entity, record.Key, record.SourceVersion));
                continue;
            }

            tally.Note(entity, record, PageTally.Mark.Changed);
            if (projection.Note is { } changedNote && !pass.DryRun)
            {
                // Logged when the record is sent, not on every sweep that finds it unchanged.
                _logger.LogWarning("{Destination} {Entity} {Key}: {Note}", target.Name, entity, record.Key, changedNote);
            }

            if (pass.DryRun)
            {
                if (planned.Changes.Count < MaxPlannedChanges)
                {
                    planned.Changes.Add(PlannedChange.Masked(target.Name, entity, record.Key, before?.Fields ?? new Dictionary<string, string?>(), changes,
                        target.Connector.ConsentFields));
                }

                continue;
            }

            staged.Add((record, projection, changes));
        }

        // Contact first: a record whose dependency has not reached this destination yet is parked, and re-driven once it has.
        var dependencies = staged.Where(s => s.Projection.DependsOn is not null).Select(s => s.Projection.DependsOn!.Value).Distinct().ToList();
        var deliveredDependencies = new HashSet<DependencyKey>();
        foreach (var group in dependencies.GroupBy(d => d.Entity))
        {
            var found = await _store.GetDeliveredAsync(target.Name, group.Key, group.Select(d => d.Key).ToList(), cancellationToken);
            deliveredDependencies.UnionWith(found.Keys.Select(k => new DependencyKey(group.Key, k)));
        }

        foreach (var (record, projection, changes) in staged)
        {
            var waitingOn = projection.DependsOn is { } dependency && !deliveredDependencies.Contains(dependency) ? dependency : (DependencyKey?)null;
            counters.RowStaged(target.Name, entity, record.Key, waitingOn is null ? OutboxStatus.Pending : OutboxStatus.Parked);

            upserts.Add(new OutboxEntry
            {
                Destination = target.Name,
                Entity = entity,
                Key = record.Key,
                Fields = projection.Fields,
                Changes = changes,
                Hash = FieldDiff.Hash(projection.Fields),
                SourceVersion = record.SourceVersion,
                SourceModifiedAt = record.ModifiedAt,
                Status = waitingOn is null ? OutboxStatus.Pending : OutboxStatus.Parked,
                WaitingOn = waitingOn,
                // Real-time changes jump the queue: leases take the real-time lane first, before a backfill's backlog.
                Lane = pass.Priority ? OutboxLane.Realtime : OutboxLane.Bulk,
                NextAttemptAt = now,
                EnqueuedAt = now,
            });
        }

        foreach (var rejection in page.Rejected.Where(r => r.Entity == entity))
        {
            planned.Skip(pass, target.Name, entity, rejection.Key, rejection.Reason);
            if (!pass.DryRun)
            {
                upserts.Add(Quarantined(target.Name, entity, rejection.Key, rejection.Reason, 0, now, now));
                counters.RowStaged(target.Name, entity, rejection.Key, OutboxStatus.Quarantined);
            }
        }
    }

    // Append-once: a fact already delivered is never sent again, even if its payload was re-rendered differently.
    private static Dictionary<string, string?> NewFacts(IReadOnlyDictionary<string, string?> projected, IReadOnlyDictionary<string, string?>? delivered)
    {
        var facts = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (fact, payload) in projected)
        {
            if (payload is not null && (delivered is null || !delivered.ContainsKey(fact)))
            {
                facts[fact] = payload;
            }
        }

        return facts;
    }

    private static OutboxEntry Quarantined(string destination, EntityKind entity, string key, string reason, long version,
        DateTimeOffset modifiedAt, DateTimeOffset now, OutboxStatus lane = OutboxStatus.Quarantined, FailureKind kind = FailureKind.Invalid,
        int? statusCode = null)
    {
        // The hash of a quarantined row is the reason itself: the same invalid record read again is not restaged.
        var marker = new Dictionary<string, string?> { ["!quarantine"] = reason };
        return new OutboxEntry
        {
            Destination = destination,
            Entity = entity,
            Key = key,
            Fields = new Dictionary<string, string?>(),
            Changes = new Dictionary<string, string?>(),
            Hash = FieldDiff.Hash(marker),
            SourceVersion = version,
            SourceModifiedAt = modifiedAt,
            Status = lane,
            LastErrorKind = kind,
            LastError = reason,
            LastStatusCode = statusCode,
            NextAttemptAt = now,
            EnqueuedAt = now,
        };
    }

    /// <summary>A reason on one line (lane rows, summaries and logs show one line per record).</summary>
    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
