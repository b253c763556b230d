using Microsoft.Extensions.Logging;

namespace Tributary.Engine.Hosting;

/// <summary>
/// Runs the pipeline's sweeps on its interval (each one <see cref="PipelineOptions.SweepInterval"/> after the previous one
/// started) and folds the heals into them: an entity whose heal is due (<see cref="HealSchedule"/>) is read in full in that
/// sweep while the others read their window, and its heal is recorded once the pass has finished.
/// </summary>
public sealed class SweepScheduler
{
    private readonly SyncPipeline _pipeline;
    private readonly HealSchedule _heals;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the scheduler.</summary>
    public SweepScheduler(SyncPipeline pipeline, HealSchedule heals, TimeProvider time, ILogger logger)
    {
        _pipeline = pipeline;
        _heals = heals;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs before each sweep (the demo lets its shop trade here).</summary>
    public Func<CancellationToken, Task>? BeforeSweep { get; init; }

    /// <summary>Told of every sweep, finished or failed.</summary>
    public Action<LaneEvent>? Observer { get; init; }

    /// <summary>Sweeps until cancelled; the first sweep starts at once.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var next = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            await Schedule.QuietlyUntilAsync(next, _time, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var started = _time.GetUtcNow();
            next = started + _pipeline.Options.SweepInterval;
            try
            {
                await SweepOnceAsync(started, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One sweep, with the heals that are due at <paramref name="now"/>; failures are reported, never thrown.</summary>
    public async Task<LaneEvent> SweepOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        LaneEvent result;
        IReadOnlyList<Tributary.Core.Model.EntityKind> heal = [];
        try
        {
            if (BeforeSweep is not null)
            {
                await BeforeSweep(cancellationToken);
            }

            heal = await _heals.DueAsync(_pipeline.Entities, now, cancellationToken);
            var report = await _pipeline.RunPassAsync(new PassOptions(Heal: heal), null, cancellationToken);
            await _heals.RecordAsync(heal, now, cancellationToken);
            result = new LaneEvent(heal.Count > 0 ? "heal" : "sweep", now, report, Healed: heal);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (PipelineHaltedException ex)
        {
            // A destination refused its credentials or configuration: nothing more goes out until someone fixes it. The
            // observer says so where the operator looks; the next sweep tries again.
            result = new LaneEvent(heal.Count > 0 ? "heal" : "sweep", now, null, Healed: heal, Failure: ex);
        }
        catch (Exception ex)
        {
            // The next sweep resumes from the saved cursor (a heal that did not finish is still due); nothing staged is lost.
            _logger.LogError(ex, "Sweep failed; retrying at the next interval");
            result = new LaneEvent(heal.Count > 0 ? "heal" : "sweep", now, null, Healed: heal, Failure: ex);
        }

        Observer?.Invoke(result);
        return result;
    }
}
