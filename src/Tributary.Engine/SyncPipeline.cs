using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>
/// One source into its destinations: read → project → diff against the delivered state → durable outbox → batched delivery.
/// A pass reads the incremental window (or everything) and delivers until the outbox holds nothing due but parked,
/// quarantined or dead rows.
/// </summary>
public sealed partial class SyncPipeline
{
    private readonly ISourceConnector _source;
    private readonly IReadOnlyList<DestinationBinding> _destinations;
    private readonly ISyncStore _store;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // One pass at a time per pipeline: sweeps, heals, replays and the real-time lane take turns over the same outbox.
    private readonly PassTurns _turns = new();
    private bool _leasesReleased;

    /// <summary>Creates a pipeline.</summary>
    public SyncPipeline(ISourceConnector source, IReadOnlyList<DestinationBinding> destinations, ISyncStore store,
        PipelineOptions options, TimeProvider time, ILogger logger)
    {
        _source = source;
        _destinations = destinations;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _rereadJitter = new Jitter(options.Retry.JitterSeed);
    }

    /// <summary>The pipeline's options.</summary>
    public PipelineOptions Options => _options;

    /// <summary>The name of the source this pipeline reads (its cursors are stored under it).</summary>
    public string Source => _source.Name;

    /// <summary>The entities this pipeline syncs that its source reads.</summary>
    public IReadOnlyList<EntityKind> Entities => PassEntities(new PassOptions());

    /// <summary>The destinations.</summary>
    public IReadOnlyList<DestinationBinding> Destinations => _destinations;

    /// <summary>Runs one pass; <paramref name="counters"/> (optional) are updated live for progress displays.</summary>
    public async Task<PassReport> RunPassAsync(PassOptions pass, PassCounters? counters, CancellationToken cancellationToken)
    {
        using var doorbell = new Doorbell();
        var turn = new RunningPass(WorkerKinds(pass), doorbell);
        await _turns.EnterAsync(turn, cancellationToken);
        return await RunInTurnAsync(turn, pass, counters ?? new PassCounters(), cancellationToken);
    }

    /// <summary>The kinds a pass's own delivery workers deliver (none in a dry run, or when cluster workers deliver).</summary>
    private List<EntityKind> WorkerKinds(PassOptions pass) => pass.DryRun || !_options.InProcessDelivery
        ? []
        : DeliveryKinds(PassEntities(pass));

    private List<EntityKind> PassEntities(PassOptions pass) => (pass.Entities ?? _options.Entities).Where(e => _source.Entities.Contains(e)).ToList();

    /// <summary>Runs a pass that holds the turn, then leaves it, first delivering whatever the real-time lane handed over.</summary>
    private async Task<PassReport> RunInTurnAsync(RunningPass turn, PassOptions pass, PassCounters counters, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var planned = new DryRunPlan();
        using var activity = Telemetry.StartPass(_options.Name, pass);
        var left = false;
        try
        {
            var report = await RunPassCoreAsync(turn, pass, counters, started, planned, cancellationToken);
            for (var owed = _turns.TryLeave(turn); owed.Count > 0; owed = _turns.TryLeave(turn))
            {
                await DeliverNowAsync(owed, counters, cancellationToken);
            }

            left = true;
            report = report with { Duration = started.Elapsed };
            Telemetry.PassCompleted(activity, report);
            return report;
        }
        catch (Exception ex)
        {
            Telemetry.PassFailed(activity, _options.Name, ex, started.Elapsed);
            // What the pass did before it stopped still happened: the metrics keep balancing with the summary and the store.
            Telemetry.CountBalance(_options.Name, counters);
            throw;
        }
        finally
        {
            if (!left)
            {
                _turns.TryLeave(turn, force: true);
            }
        }
    }

    private async Task<PassReport> RunPassCoreAsync(RunningPass turn, PassOptions pass, PassCounters counters, Stopwatch started,
        DryRunPlan planned, CancellationToken cancellationToken)
    {
        DateTimeOffset? windowFrom = null;
        DateTimeOffset? windowUntil = null;
        if (!pass.DryRun && !_leasesReleased && _options.InProcessDelivery)
        {
            // A single process owns every row after a restart: leases of a killed process must not hold rows back.
            await _store.ReleaseLeasesAsync(cancellationToken);
            _leasesReleased = true;
        }

        using var readDone = new CancellationTokenSource();
        using var halt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var doorbell = turn.Doorbell;
        var entities = PassEntities(pass);
        var deliveryKinds = DeliveryKinds(entities);
        var workers = new List<Task>();
        var halts = new WorkerHalts(halt);
        if (!pass.DryRun)
        {
            workers.AddRange(StartWorkers(deliveryKinds, counters, doorbell, halts, readDone.Token));
        }

        Exception? ingestFailure = null;
        try
        {
            foreach (var entity in pass.ReadSource ? entities : [])
            {
                var (from, until) = await IngestAsync(entity, pass, counters, planned, doorbell, halt.Token);
                windowFrom = from;
                windowUntil = until;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ingestFailure = ex;
            await halt.CancelAsync();
        }
        finally
        {
            await readDone.CancelAsync();
            doorbell.RingAll();
        }

        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (ingestFailure is not null && !cancellationToken.IsCancellationRequested)
        {
            // The workers stopped because the read failed; the read's error is the one to report.
        }

        if (ingestFailure is not null && !(ingestFailure is OperationCanceledException && halts.Any))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ingestFailure).Throw();
        }

        // Records parked behind a dependency that was delivered after their worker finished go out now.
        for (var round = 0; !pass.DryRun && round < 5; round++)
        {
            var released = 0;
            foreach (var destination in _destinations)
            {
                released += await _store.ReleaseDeliveredDependenciesAsync(destination.Name, _time.GetUtcNow(), cancellationToken);
            }

            if (released == 0)
            {
                break;
            }

            await Task.WhenAll(StartWorkers(deliveryKinds, counters, doorbell, halts, readDone.Token));
        }

        if (!pass.DryRun && deliveryKinds.Contains(EntityKind.Erasure))
        {
            await SettleErasuresAsync(cancellationToken);
        }

        halts.ThrowIfAny();
        return new PassReport(_options.Name, pass.AnyFull, pass.DryRun, counters, started.Elapsed, planned.Changes, windowFrom, windowUntil)
        {
            DryRunSkipped = planned.Skipped,
        };
    }

    private static List<EntityKind> DeliveryKinds(IReadOnlyList<EntityKind> entities)
    {
        var kinds = new List<EntityKind>(entities);
        if (entities.Contains(EntityKind.Order))
        {
            kinds.AddRange(OrderDerivedKinds.Where(k => !kinds.Contains(k)));
        }

        if (entities.Contains(EntityKind.Stock) && !kinds.Contains(EntityKind.Event))
        {
            kinds.Add(EntityKind.Event);
        }

        if (entities.Contains(EntityKind.Customer))
        {
            // New customers bring their welcome event.
            if (!kinds.Contains(EntityKind.Event))
            {
                kinds.Add(EntityKind.Event);
            }

            // Erasures of customers wait in the outbox like any record: a pass that takes customers finishes them too.
            kinds.Add(EntityKind.Erasure);
        }

        return kinds;
    }

    private List<Task> StartWorkers(IReadOnlyList<EntityKind> kinds, PassCounters counters, Doorbell doorbell, WorkerHalts halts,
        CancellationToken readDone)
    {
        var workers = new List<Task>();
        if (!_options.InProcessDelivery)
        {
            // Cluster workers deliver: this process only stages.
            return workers;
        }

        var started = new List<(DestinationBinding Destination, EntityKind Kind)>();
        foreach (var destination in _destinations)
        {
            // A kind whose destination refused its configuration in this pass stays stopped until the next pass.
            started.AddRange(kinds.Where(destination.Connector.Supports).Where(k => !halts.Stopped(destination.Name, k)).Select(k => (destination, k)));
        }

        halts.Starting(started.Count);
        foreach (var (destination, kind) in started)
        {
            var worker = new DeliveryWorker(destination, kind, _store, _store, _options, _time, _logger, counters, _store);
            workers.Add(RunWorkerAsync(worker, destination.Name, kind, doorbell.Register(destination.Name, kind), halts, readDone));
        }

        return workers;
    }

    private async Task RunWorkerAsync(DeliveryWorker worker, string destination, EntityKind kind, Doorbell.Bell bell, WorkerHalts halts,
        CancellationToken readDone)
    {
        try
        {
            await worker.RunAsync(bell, readDone, halts.Token);
        }
        catch (PipelineHaltedException ex)
        {
            // One kind a destination refuses (a sales-data host that answers 404) stops that kind only: its rows stay pending and
            // the pass ends halted with the fix, while the other kinds and destinations deliver what this pass read.
            _logger.LogError("{Destination} {Entity} delivery stopped: {Message}", destination, kind, ex.Message);
            await halts.AddAsync(destination, kind, ex);
        }
        catch
        {
            // Anything else (the store failing) stops the pass; its error is reported.
            await halts.CancelAsync();
            throw;
        }
    }

    /// <summary>
    /// The delivery workers of one pass that stopped because their destination refused the credentials or the configuration. When
    /// every worker has stopped, the read stops too: nothing it stages could go out in this pass.
    /// </summary>
    private sealed class WorkerHalts(CancellationTokenSource halt)
    {
        private readonly Lock _gate = new();
        private readonly List<PipelineHaltedException> _halts = [];
        private readonly HashSet<(string, EntityKind)> _stopped = [];
        private int _running;

        public CancellationToken Token => halt.Token;

        public bool Any
        {
            get
            {
                lock (_gate)
                {
                    return _halts.Count > 0;
                }
            }
        }

        public bool Stopped(string destination, EntityKind kind)
        {
            lock (_gate)
            {
                return _stopped.Contains((destination, kind));
            }
        }

        public void Starting(int workers) => Interlocked.Add(ref _running, workers);

        public async Task AddAsync(string destination, EntityKind kind, PipelineHaltedException ex)
        {
            lock (_gate)
            {
                _stopped.Add((destination, kind));
                _halts.Add(ex);
            }

            if (Interlocked.Decrement(ref _running) == 0)
            {
                await halt.CancelAsync();
            }
        }

        public Task CancelAsync() => halt.CancelAsync();

        public void ThrowIfAny()
        {
            lock (_gate)
            {
                if (_halts.Count == 1)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_halts[0]).Throw();
                }

                if (_halts.Count > 1)
                {
                    var messages = _halts.Select(h => h.Message).Distinct(StringComparer.Ordinal);
                    throw new PipelineHaltedException(string.Join(Environment.NewLine, messages), _halts[0]);
                }
            }
        }
    }
}
