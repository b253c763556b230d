using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    // Longest key kept as is in a lane row. Platform ids are far shorter (commercetools: UUIDs; Centra, Cin7 Core: numbers and
    // GUIDs); a poison notification may carry 10 000 characters, more than a PostgreSQL index entry holds, so such a key is kept
    // shortened (its start, its length and a hash) and the row can still be seen, counted and cleared.
    private const int MaxLaneKeyLength = 512;

    /// <summary>
    /// Re-reads records from the source (notifications and replays never trust a stored payload), one record at a time: a record
    /// the source cannot give is reported with its reason and how to handle it, and never stops the others. Only a failure that
    /// no record can escape (the credentials were refused) ends the whole re-read.
    /// </summary>
    private async Task<RereadResult> RereadAsync(IEnumerable<(EntityKind Entity, string Key)> keys, CancellationToken cancellationToken)
    {
        var result = new RereadResult();
        foreach (var (entity, key) in keys.Where(k => _source.Entities.Contains(k.Entity)).Distinct())
        {
            try
            {
                if (_source is IGroupedRereads groups && groups.IsGroup(entity, key))
                {
                    var members = await groups.GetGroupAsync(entity, key, cancellationToken);
                    result.Found.AddRange(members);
                    if (members.Count == 0)
                    {
                        result.Missing.Add(key);
                    }
                }
                else if (await _source.GetAsync(entity, key, cancellationToken) is { } record)
                {
                    result.Found.Add(record);
                }
                else
                {
                    result.Missing.Add(key);
                    if (entity == EntityKind.Customer)
                    {
                        result.GoneCustomers.Add(key);
                    }
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ClassifyReread(ex) is { } failure)
            {
                _logger.LogWarning("Re-reading {Entity} {Key} from {Source} failed ({Handling}): {Reason}", entity, LaneKey(key), _source.Name,
                    failure.Lane?.ToString() ?? "retry", failure.Reason);
                result.Failed.Add(new FailedReread(entity, key, failure));
            }
        }

        // A product notification and a SKU's own notification in one round name the same record: it is staged once, as read last.
        var distinct = result.Found.GroupBy(r => (r.Kind, r.Key)).Select(g => g.Last()).ToList();
        result.Found.Clear();
        result.Found.AddRange(distinct);
        return result;
    }

    /// <summary>
    /// How a failed re-read of one record is handled. Permanent causes (the record is invalid or unmappable, the id is not one,
    /// 400/403/404/414) put it in quarantine with the reason; passing causes (5xx, 429, timeouts, anything unforeseen) retry it
    /// with backoff. Null for a failure that concerns every record (credentials refused): it stops the round, and the
    /// notifications stay in the inbox.
    /// </summary>
    private static RereadFailure? ClassifyReread(Exception ex) => ex switch
    {
        PlatformException { Kind: FailureKind.Auth } => null,
        PlatformException { Kind: FailureKind.Invalid or FailureKind.Config or FailureKind.NotFound } p =>
            new RereadFailure(OutboxStatus.Quarantined, p.Kind, p.StatusCode, OneLine(p.Message), null),
        PlatformException p => new RereadFailure(null, p.Kind, p.StatusCode, OneLine(p.Message), p.RetryAfter),
        ArgumentException or FormatException or NotSupportedException or OverflowException or JsonException =>
            new RereadFailure(OutboxStatus.Quarantined, FailureKind.Invalid, null, $"the source could not read it: {OneLine(ex.Message)}", null),
        _ => new RereadFailure(null, FailureKind.Transient, null, $"{ex.GetType().Name}: {OneLine(ex.Message)}", null),
    };

    /// <summary>
    /// Diffs and stages re-read records (and what they imply) for every destination, one transaction per kind. When a kind's
    /// transaction fails, its records are staged one by one, and a record that still fails is quarantined with the reason: one
    /// record never holds back its batch. Returns the records staged.
    /// </summary>
    private async Task<List<CanonicalRecord>> StageRecordsAsync(IReadOnlyList<CanonicalRecord> records, PassOptions pass, PassCounters counters,
        CancellationToken cancellationToken)
    {
        var staged = new List<CanonicalRecord>(records.Count);
        foreach (var group in records.GroupBy(r => r.Kind))
        {
            var batch = group.ToList();
            try
            {
                await StageGroupAsync(group.Key, batch, pass, counters, cancellationToken);
                staged.AddRange(batch);
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException && batch.Count > 1)
            {
                _logger.LogWarning(ex, "Staging {Count} re-read {Entity} records failed as one; staging them one by one", batch.Count, group.Key);
            }

            foreach (var record in batch)
            {
                try
                {
                    await StageGroupAsync(group.Key, [record], pass, counters, cancellationToken);
                    staged.Add(record);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning(ex, "Staging {Entity} {Key} failed; it goes to quarantine", record.Kind, LaneKey(record.Key));
                    var reason = $"could not be staged: {ex.GetType().Name}: {OneLine(ex.Message)}";
                    await LaneAsync([new FailedReread(record.Kind, record.Key, new RereadFailure(OutboxStatus.Quarantined, FailureKind.Invalid, null, reason, null))],
                        counters, cancellationToken);
                    counters.AddSource(record.Kind, SourceOutcome.Rejected);
                }
            }
        }

        return staged;
    }

    private async Task StageGroupAsync(EntityKind entity, List<CanonicalRecord> records, PassOptions pass, PassCounters counters,
        CancellationToken cancellationToken)
    {
        // A group that fails and is staged again one by one does not count its rows twice: the row balance goes by key.
        var upserts = new List<OutboxEntry>();
        var removes = new List<(string, EntityKind, string, long)>();
        var tally = new PageTally();
        var read = new SourcePage(records, null);
        var live = new SourcePage(await WithoutForgottenAsync(records, key => tally.Skip(key, ForgottenReason), cancellationToken), null);
        foreach (var (kind, page) in await ExpandAsync(entity, live, pass, counters, tally, purchases: null, cancellationToken))
        {
            foreach (var target in _destinations.Where(d => d.Connector.Supports(kind)))
            {
                await DiffPageAsync(target, kind, page, pass, counters, tally, new DryRunPlan(), upserts, removes, cancellationToken);
            }
        }

        await _store.StageAsync(new StageBatch(upserts, removes), cancellationToken);
        if (entity == EntityKind.Customer && !pass.DryRun)
        {
            await RecordSourceConsentAsync(live.Records, upserts, everyone: false, cancellationToken);
        }

        tally.Settle(entity, read, counters);
    }

    /// <summary>
    /// Puts records that cannot go on into a lane of every destination that takes their kind, with the reason, so they are seen
    /// (dashboard, `lanes`), counted and replayable once the cause is fixed.
    /// </summary>
    private async Task LaneAsync(IReadOnlyList<FailedReread> failures, PassCounters counters, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var upserts = new List<OutboxEntry>();
        foreach (var (entity, key, failure) in failures)
        {
            var targets = _destinations.Where(d => d.Connector.Supports(entity)).ToList();
            if (targets.Count == 0)
            {
                counters.AddNote($"{Plural(entity)} that could not be re-read and that no destination takes");
                continue;
            }

            foreach (var target in targets)
            {
                var lane = failure.Lane ?? OutboxStatus.Dead;
                upserts.Add(Quarantined(target.Name, entity, LaneKey(key), failure.Reason, 0, now, now, lane, failure.Kind, failure.StatusCode));
                counters.RowStaged(target.Name, entity, LaneKey(key), lane);
            }
        }

        if (upserts.Count > 0)
        {
            await _store.StageAsync(new StageBatch(upserts, []), cancellationToken);
        }
    }

    private static string LaneKey(string key) => key.Length <= MaxLaneKeyLength
        ? key
        : $"{key[..64]}…({key.Length} characters, sha256 {Tributary.Core.Diff.FieldDiff.Hash(new Dictionary<string, string?> { ["key"] = key })[..16]})";

    private static string Plural(EntityKind entity) => entity switch
    {
        EntityKind.Stock => "stock",
        _ => entity.ToString().ToLowerInvariant() + "s",
    };

    /// <summary>What a re-read of several records gave.</summary>
    private sealed class RereadResult
    {
        public List<CanonicalRecord> Found { get; } = [];

        public List<string> Missing { get; } = [];

        /// <summary>Customers among <see cref="Missing"/>: deleted at the source.</summary>
        public List<string> GoneCustomers { get; } = [];

        public List<FailedReread> Failed { get; } = [];
    }

    /// <summary>A record whose re-read failed, and how that is handled.</summary>
    private sealed record FailedReread(EntityKind Entity, string Key, RereadFailure Failure);

    /// <summary>How a failed re-read is handled.</summary>
    /// <param name="Lane">Quarantined for a permanent cause; null to retry with backoff (dead once the attempts are spent).</param>
    /// <param name="Kind">The failure's class.</param>
    /// <param name="StatusCode">The platform's HTTP status, when it answered.</param>
    /// <param name="Reason">The reason, on one line.</param>
    /// <param name="RetryAfter">How long the platform asked to wait.</param>
    private sealed record RereadFailure(OutboxStatus? Lane, FailureKind Kind, int? StatusCode, string Reason, TimeSpan? RetryAfter);
}
