using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    private static readonly PassOptions RealtimeStaging = new(Priority: true);

    // The inbox has one reader at a time: two rounds taking the same pending batch would re-read and stage it twice.
    private readonly SemaphoreSlim _inboxOwner = new(1, 1);

    // Spreads the retries of re-reads that failed for a passing reason.
    private readonly Jitter _rereadJitter;

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
        var now = _time.GetUtcNow();
        // Due only: a notification waiting out its backoff takes no place in the batch, so it never holds back the ones behind it.
        var messages = await _store.DueInboxAsync(max, now, cancellationToken);
        if (messages.Count == 0)
        {
            return new InboxReport(0, 0, 0, null);
        }

        using var round = Telemetry.StartRealtime(_options.Name, messages.Count);

        // Only kinds this pipeline syncs are re-read: an order notification in a pipeline of customers is counted and let go,
        // never read with a client that may lack the scope.
        var synced = Entities;
        var wanted = new List<InboxMessage>(messages.Count);
        var skipped = 0;
        foreach (var message in messages)
        {
            if (synced.Contains(message.Entity))
            {
                wanted.Add(message);
            }
            else
            {
                skipped++;
                counters.AddSource(message.Entity, SourceOutcome.Skipped,
                    $"{Plural(message.Entity)} notification: this pipeline does not sync {Plural(message.Entity)} (sync.entities)");
            }
        }

        var reread = await RereadAsync(wanted.Select(m => (m.Entity, m.Key)), cancellationToken);
        var records = await StageRecordsAsync(reread.Found, RealtimeStaging, counters, cancellationToken);
        var erased = await EraseDeletedAtSourceAsync(reread.GoneCustomers, cancellationToken);
        var (laned, deferred) = await SettleFailedRereadsAsync(wanted, reread.Failed, now, counters, cancellationToken);

        // Staged durably (or laned with the reason): the hints are done even if the delivery below is interrupted. Deferred ones
        // stay for their next try.
        await _store.CompleteInboxAsync(messages.Where(m => !deferred.Contains(m.Sequence)).Select(m => m.Sequence).ToList(), _time.GetUtcNow(),
            cancellationToken);
        var entities = records.Select(r => r.Kind).Distinct().ToList();
        if (erased > 0 && !entities.Contains(EntityKind.Customer))
        {
            // Delivering customers delivers their erasures (DeliveryKinds).
            entities.Add(EntityKind.Customer);
        }
        InboxReport Report(PassReport? pass) => new(messages.Count, reread.Found.Count, reread.Missing.Count, pass)
        {
            Laned = laned, Deferred = deferred.Count, Skipped = skipped,
        };

        if (entities.Count == 0)
        {
            return Report(null);
        }

        var kinds = DeliveryKinds(entities);
        var options = new PassOptions(Entities: entities, ReadSource: false);
        using var doorbell = new Doorbell();
        var own = new RunningPass(WorkerKinds(options), doorbell);
        if (_turns.HandOverOrEnter(kinds, own) is not { } running)
        {
            // Nothing else is delivering: the lane holds the turn and delivers what it staged.
            return Report(await RunInTurnAsync(own, options, counters, cancellationToken));
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

        return Report(null);
    }

    /// <summary>
    /// Settles the notifications whose re-read failed: a permanent cause puts the record in quarantine with the reason at once;
    /// a passing one defers its notifications with backoff (the next try is due then), and once
    /// <see cref="RetryOptions.MaxAttempts"/> tries are spent the record goes to the dead lane with the last reason. Returns how
    /// many records were put in a lane and the inbox sequences deferred.
    /// </summary>
    private async Task<(int Laned, HashSet<long> Deferred)> SettleFailedRereadsAsync(IReadOnlyList<InboxMessage> messages,
        IReadOnlyList<FailedReread> failures, DateTimeOffset now, PassCounters counters, CancellationToken cancellationToken)
    {
        var deferred = new HashSet<long>();
        var lanes = new List<FailedReread>();
        foreach (var failed in failures)
        {
            var hints = messages.Where(m => m.Entity == failed.Entity && m.Key == failed.Key).ToList();
            if (failed.Failure.Lane is not null)
            {
                counters.AddSource(failed.Entity, SourceOutcome.Rejected);
                lanes.Add(failed);
                continue;
            }

            var attempt = hints.Max(m => m.Attempts) + 1;
            if (attempt >= _options.Retry.MaxAttempts)
            {
                counters.AddSource(failed.Entity, SourceOutcome.Rejected);
                lanes.Add(failed with { Failure = failed.Failure with { Reason = $"gave up re-reading after {attempt} attempts: {failed.Failure.Reason}" } });
                continue;
            }

            var wait = _options.Retry.Backoff(attempt, _rereadJitter);
            if (failed.Failure.RetryAfter is { } asked && asked > wait)
            {
                wait = asked;
            }

            // Not settled in this round's balance: the record was not read; its next try will be.
            var sequences = hints.Select(m => m.Sequence).ToList();
            await _store.DeferInboxAsync(sequences, now + wait, failed.Failure.Reason, cancellationToken);
            deferred.UnionWith(sequences);
        }

        await LaneAsync(lanes, counters, cancellationToken);
        return (lanes.Count, deferred);
    }

    /// <summary>Delivers what is due for <paramref name="kinds"/> once, outside any pass (no other worker has those kinds now).</summary>
    private async Task DeliverNowAsync(IReadOnlyList<EntityKind> kinds, PassCounters counters, CancellationToken cancellationToken)
    {
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var doorbell = new Doorbell();
        using var nothingMoreToRead = new CancellationTokenSource();
        await nothingMoreToRead.CancelAsync();
        var halts = new WorkerHalts(halt);
        await Task.WhenAll(StartWorkers(kinds, counters, doorbell, halts, nothingMoreToRead.Token));
        halts.ThrowIfAny();
    }
}

/// <summary>What one round of the real-time lane did.</summary>
/// <param name="Messages">Notifications taken from the inbox.</param>
/// <param name="Reread">Distinct records re-read from the source.</param>
/// <param name="Missing">Records the source no longer has.</param>
/// <param name="Pass">The delivery that followed, if anything was staged.</param>
public sealed record InboxReport(int Messages, int Reread, int Missing, PassReport? Pass)
{
    /// <summary>Records whose re-read failed for good, put in a lane with the reason (quarantine, or dead once retries ran out).</summary>
    public int Laned { get; init; }

    /// <summary>Notifications left in the inbox for another try after a passing failure (backoff).</summary>
    public int Deferred { get; init; }

    /// <summary>Notifications of kinds this pipeline does not sync, counted and let go.</summary>
    public int Skipped { get; init; }
}
