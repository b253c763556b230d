using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Modules;
using Tributary.Engine;
using Tributary.Host.Configuration;
using Tributary.Storage.Postgres;
using Tributary.Storage.Sqlite;

namespace Tributary.Host.Composition;

/// <summary>Everything one pipeline needs at run time, built from its config.</summary>
public sealed class PipelineRuntime : IAsyncDisposable
{
    public required TributaryConfig Config { get; init; }

    public required SyncPipeline Pipeline { get; init; }

    public required ISyncStore Store { get; init; }

    public required ISourceConnector Source { get; init; }

    public required IReadOnlyList<DestinationBinding> Destinations { get; init; }

    /// <summary>The source's change feed pulled into the inbox, when its module offers one and the config turns it on.</summary>
    public ChangeFeedPump? ChangeFeed { get; init; }

    public async ValueTask DisposeAsync() => await Store.DisposeAsync();
}

/// <summary>Builds connectors, budgets, the state store and the pipeline from a validated config.</summary>
public static class PipelineFactory
{
    public static async Task<PipelineRuntime> CreateAsync(TributaryConfig config, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var store = await OpenStoreAsync(config, cancellationToken);
        return Create(config, store, time, loggers);
    }

    /// <summary>Builds the pipeline over a store that is already open (the runtime disposes it).</summary>
    public static PipelineRuntime Create(TributaryConfig config, ISyncStore store, TimeProvider time, ILoggerFactory loggers)
    {
        var source = CreateSource(config, time);
        var destinations = CreateDestinations(config, time, store);
        var options = PipelineOptionsFrom(config);
        var pipeline = new SyncPipeline(source, destinations, store, options, time, loggers.CreateLogger("Tributary.Engine"));
        var feed = SourceModule(config).CreateChangeFeed(config.Source!, source, time);
        return new PipelineRuntime
        {
            Config = config,
            Pipeline = pipeline,
            Store = store,
            Source = source,
            Destinations = destinations,
            ChangeFeed = feed is null ? null : new ChangeFeedPump(feed, store, store),
        };
    }

    /// <summary>The state store the config names: PostgreSQL when it has a connection string, else the SQLite file.</summary>
    public static async Task<ISyncStore> OpenStoreAsync(TributaryConfig config, CancellationToken cancellationToken) =>
        config.StateConnectionString is { } connectionString
            ? await PostgresSyncStore.OpenAsync(connectionString, config.StateSchema, cancellationToken)
            : await SqliteSyncStore.OpenAsync(config.StatePath, cancellationToken);

    public static PipelineOptions PipelineOptionsFrom(TributaryConfig config) => new()
    {
        Name = config.PipelineName,
        Entities = config.Sync.Entities,
        PageSize = config.Sync.PageSize,
        Overlap = config.Sync.Overlap,
        SweepInterval = config.Sync.Interval,
        HealInterval = config.Sync.Heal,
        ClearOnNull = config.Sync.ClearOnNull,
        ErasureOnSourceDeletion = config.Consent.Erasure,
        DeliveryConcurrency = config.Sync.DeliveryConcurrency,
        Uncertain = config.Sync.ResendUncertain ? UncertainPolicy.Resend : UncertainPolicy.Skip,
        OrderScope = new Tributary.Core.Rules.OrderScopeOptions
        {
            Channels = config.Sync.OrderChannels,
            ExcludeStores = config.Sync.ExcludeStores,
            EventHorizon = config.Sync.EventHorizon,
        },
        StockThresholds = config.Sync.StockThresholds,
        NotifyMeNeedsMarketingConsent = config.Sync.NotifyMeNeedsMarketingConsent,
        Retry = new RetryOptions
        {
            MaxAttempts = config.Sync.MaxAttempts,
            BaseDelay = config.Sync.RetryBaseDelay,
            MaxDelay = config.Sync.RetryMaxDelay,
        },
    };

    /// <summary>The source connector, built by its module.</summary>
    public static ISourceConnector CreateSource(TributaryConfig config, TimeProvider time) =>
        SourceModule(config).CreateSource(config.Source!, new SourceContext(time, config.Sync.PageSize, config.Sync.Entities));

    /// <summary>The destination connectors with their budgets, built by their modules; <paramref name="store"/> backs their view of the delivered state.</summary>
    public static IReadOnlyList<DestinationBinding> CreateDestinations(TributaryConfig config, TimeProvider time, ISyncStore? store = null)
    {
        var context = new DestinationContext(time, config.Sync.RealtimeReserve, store is null ? null : new DeliveredStateView(store));
        return config.Destinations
            .Select(d => DestinationModule(d).CreateDestination(d, context))
            .Select(d => new DestinationBinding(d.Connector, d.Budget))
            .ToList();
    }

    /// <summary>The module of the configured source.</summary>
    public static ISourceModule SourceModule(TributaryConfig config) =>
        config.Source is null ? throw new InvalidOperationException("The config names no source platform.")
            : config.Source.Module as ISourceModule ?? throw new InvalidOperationException($"'{config.Source.Module.Platform}' is not a source platform.");

    /// <summary>The module of a configured destination.</summary>
    public static IDestinationModule DestinationModule(ConnectorConfig destination) =>
        destination.Module as IDestinationModule ?? throw new InvalidOperationException($"'{destination.Module.Platform}' is not a destination platform.");

    /// <summary>Each configured destination with its settings and its module, matched to the built connector by name.</summary>
    public static IEnumerable<(ConnectorConfig Config, IDestinationModule Module, IDestinationConnector Connector)> ConfiguredDestinations(PipelineRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        foreach (var config in runtime.Config.Destinations)
        {
            var module = DestinationModule(config);
            if (runtime.Destinations.FirstOrDefault(d => d.Name == module.Platform) is { } binding)
            {
                yield return (config, module, binding.Connector);
            }
        }
    }
}
