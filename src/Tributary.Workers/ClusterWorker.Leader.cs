using Microsoft.Extensions.Logging;
using Tributary.Engine;

namespace Tributary.Workers;

public sealed partial class ClusterWorker
{
    /// <summary>While leading: sweeps on the pipeline's schedule (with each entity's heal as it falls due), and publishes hints for due rows.</summary>
    private async Task LeadAsync(WorkQueues queues, CancellationToken cancellationToken)
    {
        var dispatcher = new HintDispatcher(_store, _store, queues, _pipeline.Destinations, _options, _time, _logger);
        var dispatching = dispatcher.RunAsync(cancellationToken);
        // The same schedule as a single process: sweeps on the interval, each entity's heal when it falls due (kept in the
        // state store, so a new leader neither heals again nor forgets one).
        var scheduler = new Tributary.Engine.Hosting.SweepScheduler(_pipeline,
            new Tributary.Engine.Hosting.HealSchedule(_store, _pipeline.Source, _pipeline.Options.HealInterval), _time, _logger)
        {
            Observer = sweep =>
            {
                if (sweep.Pass is { } report)
                {
                    PassesRun++;
                    var c = report.Counters;
                    _logger.LogInformation("{Kind} staged: read {Read}, changed {Changed}, quarantined {Quarantined} in {Seconds:0.0}s",
                        sweep.Lane, c.Read, c.Changed, c.Quarantined, report.Duration.TotalSeconds);
                }
                else if (sweep.Failure is PipelineHaltedException halted)
                {
                    _logger.LogError("Paused: {Reason}", halted.Message);
                }
            },
        };
        try
        {
            await scheduler.RunAsync(cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            try
            {
                await dispatching;
            }
            catch (OperationCanceledException)
            {
                // Leadership ended.
            }
        }
    }
}
