using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>
/// Delivers one entity to one destination: leases due outbox rows in batches, spends a budget permit per call, and moves every
/// row to its lane (sent, retry, quarantine, dead). Leases keep a key in one batch at a time, so per-key order holds.
/// </summary>
internal sealed partial class DeliveryWorker
{
    // How often an idle worker looks for rows coming due while the read is still going.
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    private readonly DestinationBinding _destination;
    private readonly EntityKind _entity;
    private readonly IOutboxStore _store;
    private readonly ISentOnceLedger _ledger;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PassCounters _counters;
    private readonly Jitter _random;
    private readonly int _batchSize;
    private readonly IConsentLedger? _consent;

    public DeliveryWorker(DestinationBinding destination, EntityKind entity, IOutboxStore store, ISentOnceLedger ledger, PipelineOptions options, TimeProvider time,
        ILogger logger, PassCounters counters, IConsentLedger? consent = null)
    {
        _consent = consent;
        _destination = destination;
        _entity = entity;
        _store = store;
        _ledger = ledger;
        _options = options;
        _time = time;
        _logger = logger;
        _counters = counters;
        _random = new Jitter(options.Retry.JitterSeed);
        _batchSize = Math.Max(1, destination.Connector.Limits.MaxBatchSize);
    }

    private string Name => _destination.Name;

    /// <summary>Delivers until the read is done and nothing is due any more (only parked, quarantined or dead rows remain).</summary>
    public async Task RunAsync(Doorbell.Bell bell, CancellationToken readDone, CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>();
        var concurrency = Math.Max(1, _options.DeliveryConcurrency);
        DateTimeOffset? lingerStart = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await ReapAsync(inFlight);
            }
            catch (PipelineHaltedException)
            {
                // The other calls in flight finish and store their outcomes before this kind stops.
                await DrainAsync(inFlight);
                throw;
            }
            if (inFlight.Count >= concurrency)
            {
                await Task.WhenAny(inFlight);
                continue;
            }

            if (!readDone.IsCancellationRequested && bell.Staged > 0 && bell.Staged < _batchSize)
            {
                // The read is still staging: hold a part-filled batch back a little so calls carry full batches.
                lingerStart ??= _time.GetUtcNow();
                var left = _options.BatchLinger - (_time.GetUtcNow() - lingerStart.Value);
                if (left > TimeSpan.Zero)
                {
                    await bell.WaitAsync(left < IdlePoll ? left : IdlePoll, cancellationToken);
                    continue;
                }
            }

            lingerStart = null;
            var now = _time.GetUtcNow();
            var batch = await _store.LeaseDueAsync(Name, _entity, now, _batchSize, _options.LeaseDuration, cancellationToken);
            if (batch.Count > 0)
            {
                bell.Take(batch.Count);
                inFlight.Add(DeliverAsync(batch, cancellationToken));
                continue;
            }

            if (inFlight.Count > 0)
            {
                // Rows in flight may come back as retries; wait for one call to finish or new rows to be staged.
                await Task.WhenAny(Task.WhenAny(inFlight), bell.WaitAsync(IdlePoll, cancellationToken));
                continue;
            }

            var nextDue = await _store.NextDueAsync(Name, _entity, cancellationToken);
            if (readDone.IsCancellationRequested && nextDue is null)
            {
                return;
            }

            var wait = nextDue is { } due ? due - _time.GetUtcNow() : IdlePoll;
            if (!readDone.IsCancellationRequested && wait > IdlePoll)
            {
                wait = IdlePoll;
            }

            if (wait > TimeSpan.Zero)
            {
                if (readDone.IsCancellationRequested)
                {
                    // Only retries remain: wait for the earliest one.
                    await Task.Delay(wait, _time, cancellationToken);
                }
                else
                {
                    await bell.WaitAsync(wait, cancellationToken);
                }
            }
        }
    }

    private static async Task ReapAsync(List<Task> inFlight)
    {
        for (var i = inFlight.Count - 1; i >= 0; i--)
        {
            if (inFlight[i].IsCompleted)
            {
                var done = inFlight[i];
                inFlight.RemoveAt(i);
                await done; // surfaces a halt
            }
        }
    }

    private static async Task DrainAsync(List<Task> inFlight)
    {
        foreach (var task in inFlight)
        {
            try
            {
                await task;
            }
            catch (PipelineHaltedException)
            {
                // The same refusal as the one being reported.
            }
        }
    }

    private async Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        if (batch.Any(e => e.Changes.Count == 0))
        {
            // A row with nothing to send is an invalid record put back by hand (a replay of a record still invalid at the
            // source): sending only its key would create an empty contact. It returns to quarantine with its reason.
            var empty = batch.Where(e => e.Changes.Count == 0).Select(e => new DeliveryOutcome(e, OutboxStatus.Quarantined, _time.GetUtcNow(),
                ErrorKind: FailureKind.Invalid, Message: e.LastError ?? "nothing to send: fix the record at the source, then replay it")).ToList();
            await _store.CompleteAsync(empty, cancellationToken);
            Count(empty);
            batch = batch.Where(e => e.Changes.Count > 0).ToList();
            if (batch.Count == 0)
            {
                return;
            }
        }

        var appendOnce = _destination.Connector.Semantics(_entity) == DeliverySemantics.AppendOnce;
        if (appendOnce)
        {
            var (send, decided) = await GuardFactsAsync(batch, cancellationToken);
            if (decided.Count > 0)
            {
                await _store.CompleteAsync(decided, cancellationToken);
                Count(decided);
            }

            if (send.Count == 0)
            {
                return;
            }

            batch = send;
        }

        // The batch's first call is paid here; a connector whose client draws from the same budget pays each further call
        // (one per event id, an upload after a write) in the batch's lane.
        using var budgetScope = Tributary.Core.Budgets.BudgetScope.Enter(_destination.Budget, LaneOf(batch));
        await budgetScope.AcquireAsync(cancellationToken);
        _counters.AddCall();
        using var call = Telemetry.StartCall(_options.Name, Name, _entity, batch.Count);
        var items = batch.Select(e => new DeliveryItem(e.Key, e.Changes, e.Fields)).ToList();
        List<DeliveryOutcome> outcomes;
        try
        {
            var result = await _destination.Connector.DeliverAsync(_entity, items, cancellationToken);
            outcomes = new List<DeliveryOutcome>(batch.Count);
            foreach (var entry in batch)
            {
                outcomes.Add(result.Failures.TryGetValue(entry.Key, out var failure)
                    ? ItemFailed(entry, failure)
                    : new DeliveryOutcome(entry, null, _time.GetUtcNow(), RequestSummary: Summary(entry, result.Notes)));
            }

            foreach (var (key, note) in result.Notes ?? new Dictionary<string, string>())
            {
                _logger.LogWarning("{Destination} {Entity} {Key}: {Note}", Name, _entity, key, note);
                // Counted in the pass summary by what happened, without the record's particulars (a date, a status) so that
                // like notes add up on one line; the trace and the log keep the whole note.
                foreach (var part in note.Split("; ", StringSplitOptions.RemoveEmptyEntries))
                {
                    var cut = part.IndexOf(" (", StringComparison.Ordinal);
                    _counters.AddNote($"{Name}: {(cut > 0 ? part[..cut] : part)}");
                }
            }

            await RecordConsentAsync(result, cancellationToken);
            _counters.AddItemFailures(result.Failures.Count);
            if (budgetScope.Calls > 1)
            {
                // *calls* counts requests: a batch the connector sent as several (one per event id) counts each.
                _counters.AddCalls(budgetScope.Calls - 1);
            }
        }
        catch (PlatformException ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (ex.Kind == FailureKind.Invalid && batch.Count > 1)
            {
                if (appendOnce)
                {
                    await ConfirmFactsAsync(batch.Select(e => new DeliveryOutcome(e, OutboxStatus.Pending, _time.GetUtcNow())).ToList(), cancellationToken);
                }

                // One bad record must not sink its neighbours: split the batch until the bad one stands alone.
                call.Split();
                var half = batch.Count / 2;
                await DeliverAsync(batch.Take(half).ToList(), cancellationToken);
                await DeliverAsync(batch.Skip(half).ToList(), cancellationToken);
                return;
            }

            call.Failed(ex.Kind, ex.StatusCode);
            outcomes = CallFailed(batch, ex.Kind, ex.StatusCode, ex.Message, ex.RetryAfter);
            if (ex.Kind is FailureKind.Auth or FailureKind.Config)
            {
                call.Decided(outcomes);
                if (appendOnce)
                {
                    await ConfirmFactsAsync(outcomes, cancellationToken);
                }

                await _store.CompleteAsync(outcomes, cancellationToken);
                foreach (var o in outcomes)
                {
                    _counters.RowHeld(Name, _entity, o.Entry.Key);
                }

                throw new PipelineHaltedException(
                    $"{Name} refused the call ({ex.StatusCode}): {ex.Message}. Fix the {Name} settings, then run `./tributary check --config <file>`.", ex);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            call.Failed(FailureKind.Transient, null);
            outcomes = CallFailed(batch, FailureKind.Transient, null, ex.Message, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not PipelineHaltedException && !cancellationToken.IsCancellationRequested)
        {
            // The connector could not even build or read the call (a value it cannot encode): that is about a record, not about
            // the destination. Split until the record stands alone, then quarantine it with the reason; the rest go on.
            if (batch.Count > 1)
            {
                if (appendOnce)
                {
                    await ConfirmFactsAsync(batch.Select(e => new DeliveryOutcome(e, OutboxStatus.Pending, _time.GetUtcNow())).ToList(), cancellationToken);
                }

                call.Split();
                var half = batch.Count / 2;
                await DeliverAsync(batch.Take(half).ToList(), cancellationToken);
                await DeliverAsync(batch.Skip(half).ToList(), cancellationToken);
                return;
            }

            _logger.LogWarning(ex, "{Destination} could not deliver {Entity} {Key}; it goes to quarantine", Name, _entity, batch[0].Key);
            call.Failed(FailureKind.Invalid, null);
            outcomes = CallFailed(batch, FailureKind.Invalid, null,
                $"{Name} could not deliver it: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}", null);
        }

        call.Decided(outcomes);

        if (appendOnce)
        {
            await ConfirmFactsAsync(outcomes, cancellationToken);
        }

        await _store.CompleteAsync(outcomes, cancellationToken);
        Count(outcomes);
    }

    /// <summary>
    /// A batch holding a change staged by the real-time lane spends from the whole budget; everything else (sweeps, backfills,
    /// heals, retries) leaves the real-time reserve alone.
    /// </summary>
    private static Tributary.Core.Budgets.BudgetLane LaneOf(IReadOnlyList<OutboxEntry> batch) =>
        batch.Any(e => e.Lane == OutboxLane.Realtime) ? Tributary.Core.Budgets.BudgetLane.Realtime : Tributary.Core.Budgets.BudgetLane.Bulk;

    private void Count(List<DeliveryOutcome> outcomes)
    {
        foreach (var o in outcomes)
        {
            _counters.RowDecided(Name, _entity, o.Entry.Key, o.Status);
        }
    }
}
