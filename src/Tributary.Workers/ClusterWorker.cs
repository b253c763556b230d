using Microsoft.Extensions.Logging;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Engine;

namespace Tributary.Workers;

/// <summary>
/// One worker of a cluster. Every worker consumes the partitions it owns; the one holding the <c>sweep</c> lease is the leader
/// and also reads the source, stages into the outbox and publishes hints for due rows. Membership and leadership are leases in
/// the state database (<see cref="ICoordinationStore"/>); per-partition exclusivity is the broker's single active consumer.
/// </summary>
public sealed partial class ClusterWorker
{
    /// <summary>Name of the leadership lease: its holder runs the scheduled sweeps for the whole cluster.</summary>
    public const string LeaderLease = "sweep";

    private readonly SyncPipeline _pipeline;
    private readonly ISyncStore _store;
    private readonly ICoordinationStore _coordination;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, KeyedDelivery> _deliveries;
    private readonly SemaphoreSlim _concurrency;
    private readonly Dictionary<int, PartitionConsumer> _consumers = [];
    private int? _slot;
    private volatile bool _leader;

    /// <summary>
    /// Creates a worker. <paramref name="pipeline"/> must have <see cref="PipelineOptions.InProcessDelivery"/> off (the leader
    /// only stages); its destination bindings should draw from the shared budget (see <see cref="ShareBudgets"/>).
    /// </summary>
    public ClusterWorker(SyncPipeline pipeline, ISyncStore store, ICoordinationStore coordination, ClusterOptions options, TimeProvider time,
        ILoggerFactory loggers, int maxConcurrentCalls = 4)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(loggers);
        _pipeline = pipeline;
        _store = store;
        _coordination = coordination;
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger("Tributary.Workers");
        var engineLogger = loggers.CreateLogger("Tributary.Engine");
        _deliveries = pipeline.Destinations.ToDictionary(d => d.Name, d => new KeyedDelivery(d, store, store, pipeline.Options, time, engineLogger, store),
            StringComparer.Ordinal);
        _concurrency = new SemaphoreSlim(Math.Max(1, maxConcurrentCalls));
    }

    /// <summary>What this worker delivered (sent, retried, quarantined, dead, calls) since start.</summary>
    public PassCounters Counters { get; } = new(trackKeys: false);

    /// <summary>True while this worker holds the sweep lease.</summary>
    public bool IsLeader => _leader;

    /// <summary>The partitions this worker consumes now.</summary>
    public IReadOnlyList<int> OwnedPartitions
    {
        get
        {
            lock (_consumers)
            {
                return [.. _consumers.Keys.Order()];
            }
        }
    }

    /// <summary>Passes the leader has completed since start.</summary>
    public int PassesRun { get; private set; }

    /// <summary>
    /// Rebinds destinations so each call draws from the cluster-wide budget in <paramref name="coordination"/> (the platform's
    /// limit is per account) instead of a per-process one; the local budget left in place is unlimited.
    /// </summary>
    public static IReadOnlyList<DestinationBinding> ShareBudgets(IReadOnlyList<DestinationBinding> destinations, ICoordinationStore coordination,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        return destinations.Select(d => new DestinationBinding(
            new SharedBudgetDestination(d.Connector, coordination, time, d.Budget.RequestsPerMinute ?? 0),
            new RateBudget(d.Name, null, time))).ToList();
    }

    /// <summary>Runs until cancelled, then leaves the cluster cleanly (leases released, hints in flight handed on).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var queues = await WorkQueues.OpenAsync(_options, cancellationToken);
        using var leaderStop = new CancellationTokenSource();
        Task? leading = null;
        CancellationTokenSource? leadership = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await RefreshMembershipAsync(queues, cancellationToken);
                var now = _time.GetUtcNow();
                var leader = await _coordination.TryAcquireLeaseAsync(LeaderLease, _options.WorkerId, _options.LeaderTtl, now, cancellationToken);
                if (leader && leading is null)
                {
                    _logger.LogInformation("Worker {Worker} leads the cluster: it sweeps and dispatches", _options.WorkerId);
                    leadership = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    leading = LeadAsync(queues, leadership.Token);
                }
                else if (!leader && leading is not null)
                {
                    _logger.LogWarning("Worker {Worker} lost the leadership", _options.WorkerId);
                    await StopLeadingAsync(leadership!, leading);
                    leadership!.Dispose();
                    (leading, leadership) = (null, null);
                }

                _leader = leader;
                var renew = _options.MemberTtl / 3 < _options.LeaderTtl / 3 ? _options.MemberTtl / 3 : _options.LeaderTtl / 3;
                await Task.Delay(renew, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            if (leading is not null)
            {
                await StopLeadingAsync(leadership!, leading);
                leadership!.Dispose();
            }

            await LeaveAsync();
        }
    }

    private static async Task StopLeadingAsync(CancellationTokenSource leadership, Task leading)
    {
        await leadership.CancelAsync();
        try
        {
            await leading;
        }
        catch (OperationCanceledException)
        {
            // Leadership ended mid-pass: the next leader resumes the read from the saved cursor.
        }
    }
}
