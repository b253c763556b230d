using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Engine;
using Tributary.Host.Configuration;
using Tributary.Storage.Sqlite;
using Tributary.Workers;

namespace Tributary.Host.Composition;

/// <summary>One cluster worker built from a config with a <c>cluster:</c> section.</summary>
public sealed class WorkerRuntime : IAsyncDisposable
{
    public required ClusterWorker Worker { get; init; }

    public required ClusterOptions Options { get; init; }

    public required ISyncStore Store { get; init; }

    /// <summary>Leases and shared budgets: the PostgreSQL store itself, or a SQLite coordination file beside the state file.</summary>
    public required ICoordinationStore Coordination { get; init; }

    public async ValueTask DisposeAsync()
    {
        if (!ReferenceEquals(Coordination, Store) && Coordination is IAsyncDisposable coordination)
        {
            await coordination.DisposeAsync();
        }

        if (Store is IAsyncDisposable store)
        {
            await store.DisposeAsync();
        }
    }
}

/// <summary>Builds a cluster worker: the same connectors and store as a pipeline, budgets shared, delivery left to the partitions.</summary>
public static class ClusterComposition
{
    public static ClusterOptions OptionsFrom(ClusterConfig cluster) => new()
    {
        Amqp = cluster.Amqp,
        Partitions = cluster.Partitions,
        WorkerId = cluster.WorkerId ?? ClusterOptions.DefaultWorkerId(),
        MemberTtl = cluster.MemberTtl,
        QueuePrefix = cluster.QueuePrefix,
    };

    /// <summary>The coordination file: as configured (relative to the config file), or next to the state file.</summary>
    public static string CoordinationPath(TributaryConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var configured = config.Cluster?.Coordination;
        if (configured is null)
        {
            return config.StatePath + ".coordination";
        }

        var baseDir = Path.GetDirectoryName(Path.GetFullPath(config.FilePath)) ?? ".";
        return Path.IsPathRooted(configured) ? configured : Path.Combine(baseDir, configured);
    }

    public static async Task<WorkerRuntime> CreateAsync(TributaryConfig config, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var cluster = config.Cluster ?? throw new InvalidOperationException("the config has no 'cluster:' section");
        var options = OptionsFrom(cluster);
        var store = await PipelineFactory.OpenStoreAsync(config, cancellationToken);
        ICoordinationStore? coordination = null;
        try
        {
            // PostgreSQL holds leases and budgets itself; SQLite workers share a coordination file on the same machine.
            coordination = store as ICoordinationStore ?? new SqliteCoordinationStore(CoordinationPath(config));
            var source = PipelineFactory.CreateSource(config, time);
            var destinations = ClusterWorker.ShareBudgets(PipelineFactory.CreateDestinations(config, time, store), coordination, time);
            var pipelineOptions = PipelineFactory.PipelineOptionsFrom(config);
            pipelineOptions.InProcessDelivery = false;
            var pipeline = new SyncPipeline(source, destinations, store, pipelineOptions, time, loggers.CreateLogger("Tributary.Engine"));
            var worker = new ClusterWorker(pipeline, store, coordination, options, time, loggers, Math.Max(1, config.Sync.DeliveryConcurrency) * 2);
            return new WorkerRuntime { Worker = worker, Options = options, Store = store, Coordination = coordination };
        }
        catch
        {
            if (coordination is IAsyncDisposable ownCoordination && !ReferenceEquals(coordination, store))
            {
                await ownCoordination.DisposeAsync();
            }

            if (store is IAsyncDisposable ownStore)
            {
                await ownStore.DisposeAsync();
            }

            throw;
        }
    }
}
