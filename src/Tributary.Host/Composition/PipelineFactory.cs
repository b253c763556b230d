using Microsoft.Extensions.Logging;
using Tributary.Connectors.Centra;
using Tributary.Connectors.Cin7Core;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Dotdigital;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
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

    /// <summary>The commercetools Messages API pull feed, when <c>source.commercetools.messages</c> is on.</summary>
    public Tributary.Connectors.Commercetools.CommercetoolsMessageFeed? MessageFeed =>
        Config.Commercetools is { Messages: true } ct && Source is Tributary.Connectors.Commercetools.CommercetoolsSource source
            ? _feed ??= new Tributary.Connectors.Commercetools.CommercetoolsMessageFeed(source.Client, Store, TimeProvider.System,
                new Tributary.Connectors.Commercetools.CommercetoolsMessageFeedOptions { Overlap = ct.MessagesOverlap })
            : null;

    private Tributary.Connectors.Commercetools.CommercetoolsMessageFeed? _feed;

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
        return new PipelineRuntime { Config = config, Pipeline = pipeline, Store = store, Source = source, Destinations = destinations };
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
        DeliveryConcurrency = config.Sync.DeliveryConcurrency,
        Uncertain = config.Sync.ResendUncertain ? UncertainPolicy.Resend : UncertainPolicy.Skip,
        OrderScope = new Tributary.Core.Rules.OrderScopeOptions
        {
            Channels = config.Sync.OrderChannels,
            ExcludeStores = config.Sync.ExcludeStores,
            EventHorizon = config.Sync.EventHorizon,
        },
        StockThresholds = config.Sync.StockThresholds,
        Retry = new RetryOptions
        {
            MaxAttempts = config.Sync.MaxAttempts,
            BaseDelay = config.Sync.RetryBaseDelay,
            MaxDelay = config.Sync.RetryMaxDelay,
        },
    };

    public static ISourceConnector CreateSource(TributaryConfig config, TimeProvider time)
    {
        if (config.Centra is { } centra)
        {
            var centraOptions = new CentraSourceOptions { ConsentField = centra.ConsentField, ProductUrlTemplate = centra.ProductUrlTemplate };
            if (centra.StatusMap is not null)
            {
                centraOptions.StatusMap = new Dictionary<string, OrderStatus>(centra.StatusMap, StringComparer.OrdinalIgnoreCase);
            }

            if (centra.StockWarehouses is not null)
            {
                centraOptions.StockWarehouses = new HashSet<string>(centra.StockWarehouses, StringComparer.Ordinal);
            }

            return CentraSource.Create(
                new CentraClientOptions { BaseUrl = centra.Url, Token = centra.Token, RequestsPerWindow = centra.RequestsPerWindow, PageSize = Math.Min(200, config.Sync.PageSize) },
                centraOptions, time);
        }

        if (config.Cin7Core is { } cin7)
        {
            var cin7Options = new Cin7CoreSourceOptions
            {
                ConsentField = cin7.ConsentField,
                NonSellableLocations = new HashSet<string>(cin7.NonSellableLocations, StringComparer.OrdinalIgnoreCase),
                WholesaleLocations = new HashSet<string>(cin7.WholesaleLocations, StringComparer.OrdinalIgnoreCase),
                SafetyStock = cin7.SafetyStock,
            };
            return Cin7CoreSource.Create(new Cin7CoreClientOptions { BaseUrl = cin7.Url, AccountId = cin7.AccountId, ApplicationKey = cin7.ApplicationKey,
                    RequestsPerMinute = cin7.RequestsPerMinute },
                cin7Options, time);
        }

        var ct = config.Commercetools!;
        var sourceOptions = new CommercetoolsSourceOptions
        {
            ConsentField = ct.ConsentField,
            ConsentDateField = ct.ConsentDateField,
            Attributes = new Dictionary<string, string>(ct.Attributes),
            Locale = ct.Locale,
            StockChannels = new HashSet<string>(ct.StockChannels, StringComparer.OrdinalIgnoreCase),
            SafetyStock = ct.SafetyStock,
            SafetyStockBySku = new Dictionary<string, decimal>(ct.SafetyStockBySku, StringComparer.Ordinal),
            StockAlertsFromShoppingLists = ct.StockAlertsFromShoppingLists,
            StockAlertListWhere = ct.StockAlertListWhere,
        };
        if (ct.ProductUrlTemplate is not null)
        {
            sourceOptions.ProductUrlTemplate = ct.ProductUrlTemplate;
        }

        if (ct.OrderStatusMap is not null)
        {
            sourceOptions.OrderStatusMap = new Dictionary<string, OrderStatus>(ct.OrderStatusMap, StringComparer.OrdinalIgnoreCase);
        }

        if (ct.ChannelByStore is not null)
        {
            sourceOptions.ChannelByStore = new Dictionary<string, SalesChannelKind>(ct.ChannelByStore, StringComparer.OrdinalIgnoreCase);
        }

        if (ct.ChannelField is not null)
        {
            sourceOptions.ChannelField = ct.ChannelField;
        }

        return CommercetoolsSource.Create(
            new CommercetoolsClientOptions
            {
                ApiUrl = ct.ApiUrl,
                AuthUrl = ct.AuthUrl,
                ProjectKey = ct.ProjectKey,
                ClientId = ct.ClientId,
                ClientSecret = ct.ClientSecret,
                Scopes = ct.Scopes is null ? [] : ct.Scopes.Split(' ', ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(),
                PageSize = config.Sync.PageSize,
            },
            sourceOptions,
            time);
    }

    public static IReadOnlyList<DestinationBinding> CreateDestinations(TributaryConfig config, TimeProvider time, ISyncStore? store = null)
    {
        var bindings = new List<DestinationBinding>();
        if (config.Emarsys is { } e)
        {
            var destinationOptions = new EmarsysDestinationOptions
            {
                KeyFieldId = e.KeyFieldId,
                SendOptIn = e.SendOptIn,
                RequestsPerMinute = e.RequestsPerMinute,
                MaxBatchSize = e.BatchSize,
            };
            if (e.Fields is not null)
            {
                destinationOptions.Fields = new Dictionary<string, string>(e.Fields);
            }

            if (e.Attributes is not null)
            {
                destinationOptions.Attributes = new Dictionary<string, string>(e.Attributes);
            }

            if (e.EventIds is not null)
            {
                destinationOptions.EventIds = new Dictionary<CommerceEventType, string>(e.EventIds);
            }

            if (e.Catalogue is not null)
            {
                destinationOptions.Catalogue = e.Catalogue;
            }

            if (e.SummaryFields is not null)
            {
                destinationOptions.SummaryFields = new Dictionary<string, string>(e.SummaryFields, StringComparer.OrdinalIgnoreCase);
            }

            var destination = EmarsysDestination.Create(
                new EmarsysClientOptions
                {
                    ApiUrl = e.ApiUrl,
                    User = e.User,
                    Secret = e.Secret,
                    SalesDataUrl = e.SalesDataUrl ?? new Uri(EmarsysClientOptions.DefaultSalesDataUrl),
                    MerchantId = e.MerchantId ?? string.Empty,
                    SalesDataToken = e.SalesDataToken ?? string.Empty,
                },
                destinationOptions,
                time);
            bindings.Add(new DestinationBinding(destination, new RateBudget("emarsys", e.RequestsPerMinute, time, burst: null, realtimeReserve: config.Sync.RealtimeReserve)));
        }

        if (config.Dotdigital is { } d)
        {
            var options = new DotdigitalDestinationOptions
            {
                ListIds = [.. d.ListIds],
                UnknownConsent = d.UnknownAsUnsubscribed ? UnknownConsentHandling.Unsubscribed : UnknownConsentHandling.Omit,
                RequestsPerMinute = d.RequestsPerMinute,
                MediumTierPerMinute = d.MediumTierPerMinute,
                HighTierPerMinute = d.HighTierPerMinute,
                AdaptToRateLimitHeaders = d.AdaptToRateLimitHeaders,
                MaxBatchSize = d.MaxBatchSize,
                GuestOrders = d.GuestOrders,
                GuestListIds = [.. d.GuestListIds],
                DeliverStock = d.CatalogueStock,
            };
            if (d.Programs is not null)
            {
                options.Programs = new Dictionary<CommerceEventType, long>(d.Programs);
            }

            var destination = DotdigitalDestination.Create(
                new DotdigitalClientOptions { BootstrapUrl = d.ApiUrl, ApiUser = d.User, Password = d.Password, ImportPollInterval = d.ImportPollInterval }, options, time, ledger: store);
            // Every HTTP call is paced by the client's per-tier budget (destination.CallBudget); this one only carries 429 pauses.
            bindings.Add(new DestinationBinding(destination, new RateBudget("dotdigital", null, time)));
        }

        return bindings;
    }
}
