using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.Engine.Consent;

namespace Tributary.Engine.Hosting;

/// <summary>
/// Pulls consent back from the destinations on a schedule: once shortly after start, then every interval. A failed pull-back is
/// logged and tried again at the next one.
/// </summary>
public sealed class ConsentPullBackService : BackgroundService
{
    private readonly ConsentPullBack _pullBack;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public ConsentPullBackService(ConsentPullBack pullBack, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _pullBack = pullBack;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    /// <summary>Called with each round's results (the dashboard shows the latest).</summary>
    public Action<IReadOnlyList<ConsentPullBackResult>>? Observer { get; init; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pull-back waits a little: the first sweep after start has the budget first.
        var next = _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(30, _interval.TotalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Schedule.UntilAsync(next, _time, stoppingToken);
                next = _time.GetUtcNow() + _interval;
                Observer?.Invoke(await _pullBack.RunAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Consent pull-back failed; trying again after the interval");
            }
        }
    }
}
