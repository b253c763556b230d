using System.Globalization;
using Tributary.Connectors.Commercetools;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;

[assembly: ConnectorModule(typeof(CommercetoolsModule))]

namespace Tributary.Connectors.Commercetools;

/// <summary>commercetools as a source: the <c>source.commercetools</c> section, the source, Subscription pushes and the Messages API feed.</summary>
public sealed class CommercetoolsModule : ISourceModule
{
    /// <summary>The one instance (the module holds no state).</summary>
    public static readonly CommercetoolsModule Instance = new();

    /// <inheritdoc />
    public string Platform => CommercetoolsSource.SourceName;

    /// <inheritdoc />
    public string DisplayName => "commercetools";

    /// <inheritdoc />
    public ConnectorRole Role => ConnectorRole.Source;

    /// <inheritdoc />
    public ConnectorConfig ReadConfig(IConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var s = section;
        var region = s.String("region");
        var stockAlerts = s.Section("stockAlerts");
        var apiUrl = s.Url("apiUrl") ?? (region is null ? null : new Uri($"https://api.{region}.commercetools.com"));
        var authUrl = s.Url("authUrl") ?? (region is null ? null : new Uri($"https://auth.{region}.commercetools.com"));
        if (apiUrl is null || authUrl is null)
        {
            throw s.Error("commercetools needs a region or both apiUrl and authUrl",
                "add 'region: europe-west1.gcp' (see your API client's details in the Merchant Center), or apiUrl and authUrl");
        }

        var config = new CommercetoolsConfig
        {
            ApiUrl = apiUrl,
            AuthUrl = authUrl,
            ProjectKey = s.RequiredString("projectKey", "add 'projectKey:' with the key of your commercetools project"),
            ClientId = s.RequiredString("clientId", "add 'clientId: ${CTP_CLIENT_ID}' and set CTP_CLIENT_ID in the environment"),
            ClientSecret = s.RequiredString("clientSecret", "add 'clientSecret: ${CTP_CLIENT_SECRET}' and set CTP_CLIENT_SECRET in the environment", secret: true),
            Scopes = s.String("scopes"),
            ConsentField = s.String("consentField") ?? "marketingOptIn",
            ConsentDateField = s.String("consentDateField"),
            MobileField = s.String("mobileField") ?? CommercetoolsSourceOptions.MobileFromAddress,
            SmsConsentField = s.String("smsConsentField") ?? CommercetoolsSourceOptions.DefaultSmsConsentField,
            SmsConsentDateField = s.String("smsConsentDateField"),
            Attributes = s.Map("attributes") ?? new Dictionary<string, string> { ["loyaltyTier"] = "loyaltyTier" },
            OrderStatusMap = s.Map("orderStatusMap") is { } statuses
                ? statuses.ToDictionary(kv => kv.Key, kv => s.Enum<OrderStatus>("orderStatusMap", kv.Value))
                : null,
            ChannelByStore = s.Map("channelByStore") is { } channels
                ? channels.ToDictionary(kv => kv.Key, kv => s.Enum<SalesChannelKind>("channelByStore", kv.Value), StringComparer.OrdinalIgnoreCase)
                : null,
            CurrencyByStore = s.Map("currencyByStore") is { } currencies
                ? currencies.ToDictionary(kv => kv.Key, kv => kv.Value.Trim().Length == 3 && kv.Value.Trim().All(char.IsAsciiLetter)
                    ? kv.Value.Trim().ToUpperInvariant()
                    : throw s.Error($"'{kv.Value}' in '{s.Path}.currencyByStore' is not a currency code", "write the three-letter ISO 4217 code, e.g. 'uk: GBP'"))
                : new Dictionary<string, string>(),
            ChannelField = s.String("channelField"),
            Locale = s.String("locale"),
            ProductUrlTemplate = s.String("productUrlTemplate"),
            PushToken = s.Has("pushToken") ? s.String("pushToken", secret: true) : null,
            StockChannels = s.List("stockChannels") ?? [],
            SafetyStock = s.Int("safetyStock", 0, 1_000_000, 0),
            SafetyStockBySku = SafetyStockBySku(s),
            StockAlertsFromShoppingLists = stockAlerts?.Bool("shoppingLists") ?? true,
            StockAlertListWhere = stockAlerts?.String("where"),
            Messages = s.Bool("messages") ?? false,
            MessagesOverlap = s.Duration("messagesOverlap") ?? TimeSpan.FromSeconds(2),
        };
        stockAlerts?.RejectUnknownKeys();
        s.RejectUnknownKeys();
        return config;
    }

    /// <inheritdoc />
    public ISourceConnector CreateSource(ConnectorConfig config, SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ct = (CommercetoolsConfig)config;
        var sourceOptions = new CommercetoolsSourceOptions
        {
            ConsentField = ct.ConsentField,
            ConsentDateField = ct.ConsentDateField,
            MobileField = ct.MobileField,
            SmsConsentField = ct.SmsConsentField,
            SmsConsentDateField = ct.SmsConsentDateField,
            Attributes = new Dictionary<string, string>(ct.Attributes),
            Locale = ct.Locale,
            StockChannels = new HashSet<string>(ct.StockChannels, StringComparer.OrdinalIgnoreCase),
            SafetyStock = ct.SafetyStock,
            SafetyStockBySku = new Dictionary<string, decimal>(ct.SafetyStockBySku, StringComparer.Ordinal),
            StockAlertsFromShoppingLists = ct.StockAlertsFromShoppingLists,
            StockAlertListWhere = ct.StockAlertListWhere,
            CheckedEntities = context.Entities is { Count: > 0 } entities ? [.. entities] : [EntityKind.Customer],
        };
        if (ct.ProductUrlTemplate is not null)
        {
            sourceOptions.ProductUrlTemplate = ct.ProductUrlTemplate;
        }

        if (ct.OrderStatusMap is not null)
        {
            sourceOptions.OrderStatusMap = new Dictionary<string, OrderStatus>(ct.OrderStatusMap, StringComparer.OrdinalIgnoreCase);
        }

        sourceOptions.CurrencyByStore = new Dictionary<string, string>(ct.CurrencyByStore, StringComparer.OrdinalIgnoreCase);
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
                PageSize = context.PageSize,
            },
            sourceOptions,
            context.Time);
    }

    /// <inheritdoc />
    public IWebhookReceiver? CreateWebhookReceiver(ConnectorConfig config, TimeProvider time) =>
        ((CommercetoolsConfig)config).PushToken is { Length: > 0 } token ? new CommercetoolsPushReceiver(token) : null;

    /// <inheritdoc />
    public IChangeFeed? CreateChangeFeed(ConnectorConfig config, ISourceConnector source, TimeProvider time) =>
        config is CommercetoolsConfig { Messages: true } ct && source is CommercetoolsSource commercetools
            ? new CommercetoolsMessageFeed(commercetools.Client, time, new CommercetoolsMessageFeedOptions { Overlap = ct.MessagesOverlap })
            : null;

    private static Dictionary<string, decimal> SafetyStockBySku(IConfigSection s)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (sku, value) in s.Map("safetyStockBySku") ?? new Dictionary<string, string>())
        {
            if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var units) || units < 0)
            {
                throw s.Error($"'safetyStockBySku.{sku}' must be a number of units (0 or more), not '{value}'", $"write '{sku}: 5'");
            }

            result[sku] = units;
        }

        return result;
    }
}
