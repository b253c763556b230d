using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    private static readonly PassOptions RealtimeStaging = new(Priority: true);
    private volatile bool _realtimeOwed;

    /// <summary>
    /// The real-time lane: takes pending notifications from the inbox, re-reads each record from the source (a notification is a
    /// hint, never the state), stages what changed through the same diff as a sweep, and delivers. Duplicate hints for one record
    /// cost one read; a record older than what was delivered is ignored by the version gate.
    /// </summary>
    public async Task<InboxReport> ProcessInboxAsync(int max, PassCounters? counters, CancellationToken cancellationToken)
    {
        counters ??= new PassCounters();
        var messages = await _store.PendingInboxAsync(max, cancellationToken);
        if (messages.Count == 0)
        {
            if (_realtimeOwed && _passGate.CurrentCount > 0)
            {
                // Rows staged while a sweep was delivering, after its workers had finished: deliver them now.
                _realtimeOwed = false;
                return new InboxReport(0, 0, 0, await RunPassAsync(new PassOptions(ReadSource: false), counters, cancellationToken));
            }

            return new InboxReport(0, 0, 0, null);
        }

        var missing = 0;
        var records = new List<CanonicalRecord>();
        foreach (var (entity, key) in messages.Where(m => _source.Entities.Contains(m.Entity)).Select(m => (m.Entity, m.Key)).Distinct())
        {
            var record = await _source.GetAsync(entity, key, cancellationToken);
            if (record is null)
            {
                missing++;
            }
            else
            {
                records.Add(record);
            }
        }

        counters.AddRead(records.Count);
        foreach (var group in records.GroupBy(r => r.Kind))
        {
            var page = new SourcePage(group.ToList(), null);
            var groups = group.Key switch
            {
                EntityKind.Order => await ExpandOrdersAsync(page, RealtimeStaging, counters, cancellationToken),
                EntityKind.Stock => await ExpandStockAsync(page, RealtimeStaging, cancellationToken),
                _ => [(group.Key, page)],
            };
            var upserts = new List<OutboxEntry>();
            var removes = new List<(string, EntityKind, string, long)>();
            foreach (var (kind, records2) in groups)
            {
                foreach (var target in _destinations.Where(d => d.Connector.Supports(kind)))
                {
                    await DiffPageAsync(target, kind, records2, RealtimeStaging, counters, [], upserts, removes, cancellationToken);
                }
            }

            await _store.StageAsync(new StageBatch(upserts, removes), cancellationToken);
        }

        // Staged durably: the hints are done even if the delivery below is interrupted.
        await _store.CompleteInboxAsync(messages.Select(m => m.Sequence).ToList(), _time.GetUtcNow(), cancellationToken);
        var entities = records.Select(r => r.Kind).Distinct().ToList();
        if (entities.Count == 0)
        {
            return new InboxReport(messages.Count, records.Count, missing, null);
        }

        if (_passGate.CurrentCount == 0)
        {
            // A sweep or backfill is delivering right now: its workers take the real-time rows first (they are due earliest).
            // The real-time lane does not wait behind it; whatever that pass misses goes out on the next round.
            _realtimeOwed = true;
            return new InboxReport(messages.Count, records.Count, missing, null);
        }

        var pass = await RunPassAsync(new PassOptions(Entities: entities, ReadSource: false), counters, cancellationToken);
        return new InboxReport(messages.Count, records.Count, missing, pass);
    }
}

/// <summary>What one round of the real-time lane did.</summary>
/// <param name="Messages">Notifications taken from the inbox.</param>
/// <param name="Reread">Distinct records re-read from the source.</param>
/// <param name="Missing">Records the source no longer has.</param>
/// <param name="Pass">The delivery that followed, if anything was staged.</param>
public sealed record InboxReport(int Messages, int Reread, int Missing, PassReport? Pass);
