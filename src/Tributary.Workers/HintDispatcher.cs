using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;

namespace Tributary.Workers;

/// <summary>
/// Runs on the leader: turns due outbox rows into hints on their keys' partition queues. A row is leased when its hint is
/// published, so it is published once; a row completed with a retry, a newer revision, or a parked row released later comes
/// due again and is published again. Publishing from the outbox (not from inside the stage step) means a crash between the
/// stage transaction and the publish cannot lose work: the row is simply still due.
/// </summary>
public sealed class HintDispatcher
{
    // Rows leased per destination and kind per round: bounded so one busy kind does not starve the others.
    private const int RoundSize = 2000;

    // Parked rows whose dependency arrived are re-driven this often.
    private static readonly TimeSpan ReleaseEvery = TimeSpan.FromSeconds(1);

    private readonly IOutboxStore _store;
    private readonly ILaneStore _lanesStore;
    private readonly WorkQueues _queues;
    private readonly IReadOnlyList<(string Destination, EntityKind Entity)> _lanes;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DateTimeOffset _lastRelease = DateTimeOffset.MinValue;
    private long _published;

    /// <summary>Creates the dispatcher for every destination and entity kind it supports.</summary>
    public HintDispatcher(IOutboxStore store, ILaneStore lanes, WorkQueues queues, IReadOnlyList<DestinationBinding> destinations, ClusterOptions options,
        TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        _store = store;
        _lanesStore = lanes;
        _queues = queues;
        _options = options;
        _time = time;
        _logger = logger;
        _lanes = destinations.SelectMany(d => Enum.GetValues<EntityKind>().Where(d.Connector.Supports).Select(k => (d.Name, k))).ToList();
    }

    /// <summary>Hints published since start.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>One round: publishes a hint for every row due now. Returns how many were published.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _lastRelease >= ReleaseEvery)
        {
            foreach (var destination in _lanes.Select(l => l.Destination).Distinct())
            {
                await _lanesStore.ReleaseDeliveredDependenciesAsync(destination, now, cancellationToken);
            }

            _lastRelease = now;
        }

        var total = 0;
        foreach (var (destination, entity) in _lanes)
        {
            var rows = await _store.LeaseDueAsync(destination, entity, now, RoundSize, _options.HintLease, cancellationToken);
            if (rows.Count == 0)
            {
                continue;
            }

            await _queues.PublishAsync(rows.Select(r => new WorkHint(r.Destination, r.Entity, r.Key, r.Revision)).ToList(), cancellationToken);
            total += rows.Count;
        }

        Interlocked.Add(ref _published, total);
        return total;
    }

    /// <summary>Dispatches until cancelled; a failed round is logged and tried again (leased rows come back after the hint lease).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var published = 0;
            try
            {
                published = await DispatchOnceAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Publishing work hints failed; trying again");
            }

            if (published == 0)
            {
                await Task.Delay(_options.DispatchInterval, _time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
