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

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? retryAt = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var latest = await ReconciliationReportFile.ReadAsync(_latestReport, stoppingToken);
                var due = latest is null ? _time.GetUtcNow() + _interval : latest.FinishedAt + _interval;
                if (retryAt > due)
                {
                    due = retryAt.Value;
                }

                await Schedule.UntilAsync(due, _time, stoppingToken);
                await _run(stoppingToken);
                retryAt = null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Scheduled reconciliation failed; trying again after the interval");
                retryAt = _time.GetUtcNow() + _interval;
            }
        }
    }
}
