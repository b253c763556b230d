using Microsoft.Extensions.Logging;
using Tributary.Engine;

namespace Tributary.Workers;

public sealed partial class ClusterWorker
{
    /// <summary>While leading: sweeps on the pipeline's schedule (a heal on its own), and publishes hints for due rows.</summary>
    private async Task LeadAsync(WorkQueues queues, CancellationToken cancellationToken)
    {
        var dispatcher = new HintDispatcher(_store, _store, queues, _pipeline.Destinations, _options, _time, _logger);
        var dispatching = dispatcher.RunAsync(cancellationToken);
        var options = _pipeline.Options;
        var lastHeal = DateTimeOffset.MinValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                var heal = now - lastHeal >= options.HealInterval;
                try
                {
                    var report = await _pipeline.RunPassAsync(new PassOptions(Full: heal), null, cancellationToken);
                    PassesRun++;
                    if (heal)
                    {
                        lastHeal = now;
                    }

                    var c = report.Counters;
                    _logger.LogInformation("{Kind} staged: read {Read}, changed {Changed}, quarantined {Quarantined} in {Seconds:0.0}s",
                        heal ? "heal" : "sweep", c.Read, c.Changed, c.Quarantined, report.Duration.TotalSeconds);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // The next sweep resumes from the saved cursor; nothing staged is lost.
                    _logger.LogError(ex, "Sweep failed; retrying at the next interval");
                }

                await Task.Delay(options.SweepInterval, _time, cancellationToken);
            }
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
