using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    private static readonly PassOptions RealtimeStaging = new(Priority: true);

    // The inbox has one reader at a time: two rounds taking the same pending batch would re-read and stage it twice.
    private readonly SemaphoreSlim _inboxOwner = new(1, 1);

    /// <summary>
    /// One round of the real-time lane: takes pending notifications from the inbox, re-reads each record from the source (a
    /// notification is a hint, never the state), stages what changed through the same diff as a sweep, and delivers. Duplicate
    /// hints for one record cost one read; a record older than what was delivered is ignored by the version gate. Rounds never
    /// overlap (a second caller waits for the first), so a batch of notifications is taken once.
    /// </summary>
    public async Task<InboxReport> ProcessInboxAsync(int max, PassCounters? counters, CancellationToken cancellationToken)
    {
        await _inboxOwner.WaitAsync(cancellationToken);
        try
        {
            return await ProcessInboxCoreAsync(max, counters ?? new PassCounters(), cancellationToken);
        }
        finally
        {
            _inboxOwner.Release();
        }
    }

    private async Task<InboxReport> ProcessInboxCoreAsync(int max, PassCounters counters, CancellationToken cancellationToken)
    {
        var messages = await _store.PendingInboxAsync(max, cancellationToken);
        if (messages.Count == 0)
        {
            return new InboxReport(0, 0, 0, null);
        }

        using var round = Telemetry.StartRealtime(_options.Name, messages.Count);
        var (records, missing) = await RereadAsync(messages.Select(m => (m.Entity, m.Key)), cancellationToken);
        await StageRecordsAsync(records, RealtimeStaging, counters, cancellationToken);

        // Staged durably: the hints are done even if the delivery below is interrupted.
        await _store.CompleteInboxAsync(messages.Select(m => m.Sequence).ToList(), _time.GetUtcNow(), cancellationToken);
        var entities = records.Select(r => r.Kind).Distinct().ToList();
        if (entities.Count == 0)
        {
            return new InboxReport(messages.Count, records.Count, missing.Count, null);
        }

        var kinds = DeliveryKinds(entities);
        var options = new PassOptions(Entities: entities, ReadSource: false);
        using var doorbell = new Doorbell();
        var own = new RunningPass(WorkerKinds(options), doorbell);
        if (_turns.HandOverOrEnter(kinds, own) is not { } running)
        {
            // Nothing else is delivering: the lane holds the turn and delivers what it staged.
            return new InboxReport(messages.Count, records.Count, missing.Count, await RunInTurnAsync(own, options, counters, cancellationToken));
        }

        // A sweep or backfill is delivering right now. Its workers of the kinds just staged are woken and take these rows first
        // (they are due earliest), and the pass delivers those kinds once more before it ends, so a worker that had already
        // finished misses nothing. Kinds that pass does not deliver (an order changing during a backfill of customers) go out
        // here and now: a long backfill never holds them back.
        foreach (var destination in _destinations)
        {
            foreach (var kind in kinds.Where(running.Kinds.Contains))
            {
                running.Doorbell.Ring(destination.Name, kind, 0);
            }
        }

        var uncovered = kinds.Where(k => !running.Kinds.Contains(k)).ToList();
        if (uncovered.Count > 0)
        {
            await DeliverNowAsync(uncovered, counters, cancellationToken);
        }

        return new InboxReport(messages.Count, records.Count, missing.Count, null);
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
