using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Engine.Alerts;

namespace Tributary.Engine.Hosting;

/// <summary>Evaluates the alert rules on their interval against a fresh snapshot, and sends what fires or recovers.</summary>
public sealed class AlertService : BackgroundService
{
    private readonly AlertDispatcher _dispatcher;
    private readonly Func<CancellationToken, Task<AlertSnapshot>> _snapshot;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public AlertService(AlertDispatcher dispatcher, Func<CancellationToken, Task<AlertSnapshot>> snapshot, TimeSpan interval, TimeProvider time,
        ILogger logger)
    {
        _dispatcher = dispatcher;
        _snapshot = snapshot;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var next = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            await Schedule.QuietlyUntilAsync(next, _time, stoppingToken);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            next = _time.GetUtcNow() + _interval;
            try
            {
                await _dispatcher.EvaluateAsync(await _snapshot(stoppingToken), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Evaluating alerts failed; trying again at the next interval");
            }
        }
    }
}
