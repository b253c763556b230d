using Tributary.Connectors.Centra;
using Tributary.Connectors.Cin7Core;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Dotdigital;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Host.Configuration;
using Tributary.Sandbox;
using Tributary.Sandbox.Generator;

namespace Tributary.Demo;

/// <summary>A pipeline config pointing at a running sandbox, with the sandbox's (non-secret) credentials.</summary>
public static class SandboxConfig
{
    /// <param name="sandbox">The running emulators.</param>
    /// <param name="options">Their credentials.</param>
    /// <param name="statePath">The SQLite state file.</param>
    /// <param name="sync">Sync settings; default customers and orders every 5 seconds.</param>
    /// <param name="dashboard">Dashboard credentials.</param>
    /// <param name="feedPassword">When set, the Emarsys catalogue feed is on (storefront channels only) behind this password.</param>
    /// <param name="pushToken">When set, <c>/webhooks/commercetools</c> takes the emulator's pushes with this token.</param>
    public static TributaryConfig For(SandboxServer sandbox, SandboxOptions options, string statePath, SyncConfig? sync = null,
        DashboardConfig? dashboard = null, string? feedPassword = null, string? pushToken = null) => new()
    {
        FilePath = "(sandbox)",
        PipelineName = "sandbox",
        StatePath = statePath,
        Source = new CommercetoolsConfig
        {
            ApiUrl = sandbox.CommercetoolsUrl,
            AuthUrl = sandbox.CommercetoolsUrl,
            ProjectKey = options.Commercetools.ProjectKey,
            ClientId = options.Commercetools.ClientId,
            ClientSecret = options.Commercetools.ClientSecret,
            StockChannels = feedPassword is null ? [] : [ShopGenerator.WebChannelKey, ShopGenerator.StoreChannelKey],
            PushToken = pushToken,
        },
        Destinations =
        [
            new EmarsysConfig
            {
                Catalogue = feedPassword is null ? null : new EmarsysCatalogueOptions { Enabled = true },
                FeedPassword = feedPassword,
                ApiUrl = sandbox.EmarsysUrl,
                User = options.Emarsys.User,
                Secret = options.Emarsys.Secret,
                RequestsPerMinute = options.Emarsys.RequestsPerMinute,
                SalesDataUrl = sandbox.EmarsysUrl,
                MerchantId = options.Emarsys.MerchantId,
                SalesDataToken = options.Emarsys.SalesDataToken,
                // The sandbox account's SMS opt-in field (a single-choice custom field, as accounts set it up).
                SmsOptInFieldId = "9008",
                EventIds = new Dictionary<CommerceEventType, string>
                {
                    [CommerceEventType.OrderPlaced] = "1001",
                    [CommerceEventType.OrderPaid] = "1002",
                    [CommerceEventType.ShipmentDispatched] = "1003",
                    [CommerceEventType.OrderDelivered] = "1004",
                    [CommerceEventType.OrderCancelled] = "1005",
                    [CommerceEventType.RefundIssued] = "1006",
                    [CommerceEventType.FirstPurchase] = "1007",
                    [CommerceEventType.RepeatPurchase] = "1008",
                    [CommerceEventType.CustomerCreated] = "1009",
                    [CommerceEventType.BackInStock] = "1010",
                    [CommerceEventType.LowStock] = "1011",
                },
                SummaryFields = new Dictionary<string, string>
                {
                    ["orderCount"] = "9003",
                    ["lifetimeValue"] = "9004",
                    ["averageOrderValue"] = "9005",
                    ["firstOrderDate"] = "9006",
                    ["lastOrderDate"] = "9007",
                },
            },
        ],
        Sync = sync ?? new SyncConfig { Interval = TimeSpan.FromSeconds(5), Entities = [EntityKind.Customer, EntityKind.Order] },
        Dashboard = dashboard ?? new DashboardConfig(),
    };

    /// <summary>Centra as the source, Emarsys as the destination.</summary>
    public static TributaryConfig ForCentra(SandboxServer sandbox, SandboxOptions options, string statePath, SyncConfig? sync = null) =>
        WithSource(For(sandbox, options, statePath, sync), "sandbox-centra", Centra(sandbox, options));

    /// <summary>commercetools as the source, Dotdigital as the destination.</summary>
    public static TributaryConfig ForDotdigital(SandboxServer sandbox, SandboxOptions options, string statePath, SyncConfig? sync = null)
    {
        var baseline = For(sandbox, options, statePath, sync);
        return new TributaryConfig
        {
            FilePath = baseline.FilePath,
            PipelineName = "sandbox-dotdigital",
            StatePath = statePath,
            Source = baseline.Source,
            Destinations =
            [
                new DotdigitalConfig
                {
                    ApiUrl = sandbox.DotdigitalUrl,
                    User = options.Dotdigital.ApiUser,
                    Password = options.Dotdigital.Password,
                    RequestsPerMinute = 0,
                    ImportPollInterval = TimeSpan.FromMilliseconds(20),
                },
            ],
            Sync = baseline.Sync,
        };
    }

    /// <summary>Centra as the source, Dotdigital as the destination.</summary>
    public static TributaryConfig ForCentraDotdigital(SandboxServer sandbox, SandboxOptions options, string statePath, SyncConfig? sync = null) =>
        WithSource(ForDotdigital(sandbox, options, statePath, sync), "sandbox-centra-dotdigital", Centra(sandbox, options));

    /// <summary>Cin7 Core as the source, Emarsys as the destination; the wholesale and quarantine locations are kept out of stock.</summary>
    public static TributaryConfig ForCin7Core(SandboxServer sandbox, SandboxOptions options, string statePath, SyncConfig? sync = null) =>
        WithSource(For(sandbox, options, statePath, sync), "sandbox-cin7core", Cin7Core(sandbox, options));

    /// <summary>Cin7 Core as the source, Dotdigital as the destination.</summary>
    public static TributaryConfig ForCin7CoreDotdigital(SandboxServer sandbox, SandboxOptions options, string statePath, SyncConfig? sync = null) =>
        WithSource(ForDotdigital(sandbox, options, statePath, sync), "sandbox-cin7core-dotdigital", Cin7Core(sandbox, options));

    /// <summary>The destinations and sync settings of <paramref name="destinations"/> with another source in place of commercetools.</summary>
    private static TributaryConfig WithSource(TributaryConfig destinations, string pipeline, ConnectorConfig source) => new()
    {
        FilePath = destinations.FilePath,
        PipelineName = pipeline,
        StatePath = destinations.StatePath,
        Source = source,
        Destinations = destinations.Destinations,
        Sync = destinations.Sync,
    };

    private static CentraConfig Centra(SandboxServer sandbox, SandboxOptions options) => new() { Url = sandbox.CentraUrl, Token = options.Centra.Token };

    private static Cin7CoreConfig Cin7Core(SandboxServer sandbox, SandboxOptions options) => new()
    {
        Url = sandbox.Cin7CoreUrl,
        AccountId = options.Cin7Core.AccountId,
        ApplicationKey = options.Cin7Core.ApplicationKey,
        NonSellableLocations = ["Quarantine"],
        WholesaleLocations = ["Wholesale Warehouse"],
        // An emulator without a limit (0) is paced only lightly, so tests do not wait a second per call.
        RequestsPerMinute = options.Cin7Core.RequestsPerMinute > 0 ? options.Cin7Core.RequestsPerMinute : 6000,
    };
}
