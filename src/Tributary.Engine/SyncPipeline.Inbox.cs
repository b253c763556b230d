using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    private static readonly PassOptions RealtimeStaging = new(Priority: true);
    private volatile bool _realtimeOwed;

    // What the running pass's workers deliver (empty between passes): the real-time lane delivers the rest itself.
    private volatile IReadOnlyList<EntityKind> _passKinds = [];

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

        var (records, missing) = await RereadAsync(messages.Select(m => (m.Entity, m.Key)), cancellationToken);
        counters.AddRead(records.Count);
        await StageRecordsAsync(records, RealtimeStaging, counters, cancellationToken);

        // Staged durably: the hints are done even if the delivery below is interrupted.
        await _store.CompleteInboxAsync(messages.Select(m => m.Sequence).ToList(), _time.GetUtcNow(), cancellationToken);
        var entities = records.Select(r => r.Kind).Distinct().ToList();
        if (entities.Count == 0)
        {
            return new InboxReport(messages.Count, records.Count, missing.Count, null);
        }

        if (_passGate.CurrentCount == 0)
        {
            // A sweep or backfill is delivering right now: its workers take the real-time rows of their kinds first (they are
            // due earliest). Kinds that pass does not deliver (a backfill of customers while an order changes) go out here and
            // now, so a long backfill never holds them back; whatever the pass misses goes out on the next round.
            _realtimeOwed = true;
            var running = _passKinds;
            var uncovered = DeliveryKinds(entities).Where(k => !running.Contains(k)).ToList();
            if (uncovered.Count > 0)
            {
                await DeliverNowAsync(uncovered, counters, cancellationToken);
            }

            return new InboxReport(messages.Count, records.Count, missing.Count, null);
        }

        var pass = await RunPassAsync(new PassOptions(Entities: entities, ReadSource: false), counters, cancellationToken);
        return new InboxReport(messages.Count, records.Count, missing.Count, pass);
    }

    /// <summary>Delivers what is due for <paramref name="kinds"/> once, outside any pass (no other worker has those kinds now).</summary>
    private async Task DeliverNowAsync(IReadOnlyList<EntityKind> kinds, PassCounters counters, CancellationToken cancellationToken)
    {
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var doorbell = new Doorbell();
        using var nothingMoreToRead = new CancellationTokenSource();
        await nothingMoreToRead.CancelAsync();
        await Task.WhenAll(StartWorkers(kinds, counters, doorbell, halt, nothingMoreToRead.Token));
    }
}

/// <summary>What one round of the real-time lane did.</summary>
/// <param name="Messages">Notifications taken from the inbox.</param>
/// <param name="Reread">Distinct records re-read from the source.</param>
/// <param name="Missing">Records the source no longer has.</param>
/// <param name="Pass">The delivery that followed, if anything was staged.</param>
public sealed record InboxReport(int Messages, int Reread, int Missing, PassReport? Pass);
