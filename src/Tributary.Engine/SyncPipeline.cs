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
        if (!pass.DryRun)
        {
            workers.AddRange(StartWorkers(deliveryKinds, counters, doorbell, halt, readDone.Token));
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

        if (ingestFailure is not null)
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

            await Task.WhenAll(StartWorkers(deliveryKinds, counters, doorbell, halt, readDone.Token));
        }

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

        return kinds;
    }

    private List<Task> StartWorkers(IReadOnlyList<EntityKind> kinds, PassCounters counters, Doorbell doorbell, CancellationTokenSource halt,
        CancellationToken readDone)
    {
        var workers = new List<Task>();
        if (!_options.InProcessDelivery)
        {
            // Cluster workers deliver: this process only stages.
            return workers;
        }

        foreach (var destination in _destinations)
        {
            foreach (var kind in kinds.Where(destination.Connector.Supports))
            {
                var worker = new DeliveryWorker(destination, kind, _store, _store, _options, _time, _logger, counters);
                workers.Add(RunWorkerAsync(worker, doorbell.Register(destination.Name, kind), halt, readDone));
            }
        }

        return workers;
    }

    private static async Task RunWorkerAsync(DeliveryWorker worker, Doorbell.Bell bell, CancellationTokenSource halt, CancellationToken readDone)
    {
        try
        {
            await worker.RunAsync(bell, readDone, halt.Token);
        }
        catch
        {
            // One destination that cannot go on (credentials, configuration) stops the pass; its error is reported.
            await halt.CancelAsync();
            throw;
        }
    }
}
