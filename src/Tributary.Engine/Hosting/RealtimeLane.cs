using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tributary.Engine.Hosting;

/// <summary>Settings of the real-time lane.</summary>
public sealed class RealtimeLaneOptions
{
    /// <summary>Notifications taken per round.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How often an idle lane looks at the inbox: 200 ms keeps a notification's wait well under a second while costing one
    /// indexed query per look. A <see cref="RealtimeLane.Wake"/> looks at once.
    /// </summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the change feed (when there is one) is pulled into the inbox.</summary>
    public TimeSpan FeedInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Pause after a failed round; the notifications stay in the inbox and are taken again.</summary>
    public TimeSpan FailurePause { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// The real-time lane, the inbox's one owner: a single loop takes waiting notifications, has the pipeline re-read, stage and
/// deliver them (<see cref="SyncPipeline.ProcessInboxAsync"/>), and pulls the change feed into the inbox on its interval.
/// It looks when woken (a webhook stored a hint) or every <see cref="RealtimeLaneOptions.IdlePoll"/>, on the injected clock.
/// </summary>
public sealed class RealtimeLane : BackgroundService
{
    private readonly SyncPipeline _pipeline;
    private readonly RealtimeLaneOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true,
    });

    /// <summary>Creates the lane.</summary>
    public RealtimeLane(SyncPipeline pipeline, RealtimeLaneOptions options, TimeProvider time, ILogger logger)
    {
        _pipeline = pipeline;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Pulls a change feed into the inbox (the commercetools Messages API); null when there is none.</summary>
    public Func<CancellationToken, Task>? PullFeed { get; init; }

    /// <summary>Told of every round that took notifications, and of failed rounds.</summary>
    public Action<LaneEvent>? Observer { get; init; }

    /// <summary>Asks the lane to look at the inbox now rather than at its next poll.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var nextPull = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = _time.GetUtcNow();
            try
            {
                if (PullFeed is not null && started >= nextPull)
                {
                    nextPull = started + _options.FeedInterval;
                    await PullFeed(stoppingToken);
                }

                var report = await _pipeline.ProcessInboxAsync(_options.BatchSize, null, stoppingToken);
                if (report.Messages > 0)
                {
                    Observer?.Invoke(new LaneEvent("realtime", started, report.Pass, report));
                    // More may be waiting: look again straight away.
                    continue;
                }

                await IdleAsync(started, PullFeed is null ? null : nextPull, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The notifications stay in the inbox and are taken again.
                _logger.LogError(ex, "Processing notifications failed; retrying");
                Observer?.Invoke(new LaneEvent("realtime", started, null, Failure: ex));
                await Schedule.QuietlyUntilAsync(_time.GetUtcNow() + _options.FailurePause, _time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Waits for a wake-up, the next poll (one poll after the empty look that began at <paramref name="looked"/>), or the next
    /// feed pull, whichever comes first.
    /// </summary>
    private async Task IdleAsync(DateTimeOffset looked, DateTimeOffset? nextPull, CancellationToken cancellationToken)
    {
        var due = looked + _options.IdlePoll;
        if (nextPull < due)
        {
            due = nextPull.Value;
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poll = Schedule.QuietlyUntilAsync(due, _time, idle.Token);
        var woken = _wake.Reader.WaitToReadAsync(idle.Token).AsTask();
        await Task.WhenAny(poll, woken);
        await idle.CancelAsync();
        try
        {
            await woken;
        }
        catch (OperationCanceledException)
        {
            // The poll came first.
        }

        await poll;
        _wake.Reader.TryRead(out _);
    }
}
