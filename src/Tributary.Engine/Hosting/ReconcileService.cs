using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Engine.Reconciliation;

namespace Tributary.Engine.Hosting;

/// <summary>
/// Scheduled reconciliation: runs one interval after the latest report was finished, whoever made it (a scheduled run, or
/// someone's <c>reconcile</c>), so the schedule survives restarts. The run itself writes the report it produces.
/// </summary>
public sealed class ReconcileService : BackgroundService
{
    private readonly Func<CancellationToken, Task> _run;
    private readonly string _latestReport;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service; <paramref name="run"/> reconciles and writes the report to <paramref name="latestReport"/>.</summary>
    public ReconcileService(Func<CancellationToken, Task> run, string latestReport, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _run = run;
        _latestReport = latestReport;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    private DateTimeOffset _startedAt;

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Taken here, not in the background loop: "an interval after the start" must not depend on when the loop first runs.
        _startedAt = _time.GetUtcNow();
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // When the last attempt here started, finished or failed: a run that wrote no report (or failed) is not repeated before an interval.
        DateTimeOffset? attempted = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var latest = await ReconciliationReportFile.ReadAsync(_latestReport, stoppingToken);
                var basis = latest?.FinishedAt ?? _startedAt;
                if (attempted > basis)
                {
                    basis = attempted.Value;
                }

                await Schedule.UntilAsync(basis + _interval, _time, stoppingToken);
                // Taken when the run starts: read after it, the clock may already stand at the next due time (a test clock
                // moved on as soon as the report appeared, a run that took long), which would push the schedule a whole
                // interval late.
                attempted = _time.GetUtcNow();
                await _run(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Scheduled reconciliation failed; trying again after the interval");
            }
        }
    }
}
