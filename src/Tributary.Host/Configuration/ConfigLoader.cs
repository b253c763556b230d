using Tributary.Core.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tributary.Host.Configuration;

/// <summary>Reads and validates the YAML config file. Every problem names the file, the line and the fix.</summary>
public static class ConfigLoader
{
    public static TributaryConfig Load(string path, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var file = System.IO.Path.GetFileName(path);
        if (!System.IO.File.Exists(path))
        {
            throw new ConfigException(file, 0, $"the config file '{path}' does not exist",
                "pass the path of your config file with --config; `./tributary demo` shows a working setup without one");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigException(file, 0, $"the file is not valid YAML ({ex.Message})",
                "check the brackets, quotes and indentation (spaces, not tabs)");
        }
        catch (YamlException ex)
        {
            throw new ConfigException(file, (int)ex.Start.Line, $"the file is not valid YAML ({ex.InnerException?.Message ?? ex.Message})",
                "check the indentation (spaces, not tabs) and the ':' after each key on that line");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode rootNode)
        {
            throw new ConfigException(file, 1, "the file holds no settings", "start from the example in docs/configuration.md");
        }

        var root = new YamlSection(file, string.Empty, rootNode, environment);
        var config = Read(path, root);
        root.RejectUnknownKeys();
        return config;
    }

    private static TributaryConfig Read(string path, YamlSection root)
    {
        var pipeline = root.Section("pipeline");
        var name = pipeline?.String("name") ?? "default";
        pipeline?.RejectUnknownKeys();

        var state = root.Section("state");
        var statePath = state?.String("sqlite") ?? ".tributary/state.db";
        state?.RejectUnknownKeys();

        var source = root.Section("source") ?? throw root.Error("the 'source' section is missing",
            "add a 'source:' section with the platform to read from, for example 'commercetools:'");
        var ct = source.Section("commercetools") is { } cts ? ReadCommercetools(cts) : null;
        var centra = source.Section("centra") is { } cs ? ReadCentra(cs) : null;
        var cin7 = source.Section("cin7core") is { } c7 ? ReadCin7Core(c7) : null;
        source.RejectUnknownKeys();
        var sources = new object?[] { ct, centra, cin7 }.Count(x => x is not null);
        if (sources != 1)
        {
            throw source.Error(sources == 0 ? "no source platform is configured" : "more than one source platform is configured",
                "put exactly one of 'commercetools:', 'centra:' or 'cin7core:' under 'source:' (one pipeline reads one source; use a config per source)");
        }

        var destinations = root.Section("destinations") ?? throw root.Error("the 'destinations' section is missing",
            "add a 'destinations:' section with at least one platform to write to, for example 'emarsys:'");
        var emarsys = destinations.Section("emarsys") is { } es ? ReadEmarsys(es) : null;
        var dotdigital = destinations.Section("dotdigital") is { } ds ? ReadDotdigital(ds) : null;
        destinations.RejectUnknownKeys();
        if (emarsys is null && dotdigital is null)
        {
            throw destinations.Error("no destination platform is configured",
                "add 'emarsys:' and/or 'dotdigital:' with their settings under 'destinations:'");
        }

        var sync = root.Section("sync") is { } ss ? ReadSync(ss) : new SyncConfig();
        var server = root.Section("server");
        var serverUrl = server?.Url("url")?.ToString();
        server?.RejectUnknownKeys();

        var baseDir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        return new TributaryConfig
        {
            FilePath = path,
            PipelineName = name,
            StatePath = System.IO.Path.IsPathRooted(statePath) ? statePath : System.IO.Path.Combine(baseDir, statePath),
            Commercetools = ct,
            Centra = centra,
            Cin7Core = cin7,
            Emarsys = emarsys,
            Dotdigital = dotdigital,
            Sync = sync,
            ServerUrl = serverUrl,
        };
    }

    private static CommercetoolsConfig ReadCommercetools(YamlSection s)
    {
        var region = s.String("region");
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
            Attributes = s.Map("attributes") ?? new Dictionary<string, string> { ["loyaltyTier"] = "loyaltyTier" },
            OrderStatusMap = s.Map("orderStatusMap") is { } statuses
                ? statuses.ToDictionary(kv => kv.Key, kv => ParseEnum<OrderStatus>(s, "orderStatusMap", kv.Value))
                : null,
            ChannelByStore = s.Map("channelByStore") is { } channels
                ? channels.ToDictionary(kv => kv.Key, kv => ParseEnum<SalesChannelKind>(s, "channelByStore", kv.Value), StringComparer.OrdinalIgnoreCase)
                : null,
            ChannelField = s.String("channelField"),
            Locale = s.String("locale"),
            ProductUrlTemplate = s.String("productUrlTemplate"),
            PushToken = s.Has("pushToken") ? s.String("pushToken", secret: true) : null,
            StockChannels = s.List("stockChannels") ?? [],
            SafetyStock = s.Int("safetyStock", 0, 1_000_000) ?? 0,
            Messages = s.Bool("messages") ?? false,
            MessagesOverlap = s.Duration("messagesOverlap") ?? TimeSpan.FromSeconds(2),
        };
        s.RejectUnknownKeys();
        return config;
    }

    private static CentraConfig ReadCentra(YamlSection s)
    {
        var config = new CentraConfig
        {
            Url = s.Url("url") ?? throw s.Error("'source.centra.url' is missing", "add 'url:' with your Centra environment's address, e.g. https://shop.centra.com"),
            Token = s.RequiredString("token", "add 'token: ${CENTRA_TOKEN}' (an Integration API token) and set CENTRA_TOKEN in the environment", secret: true),
            ConsentField = s.String("consentField") ?? "newsletter",
            StatusMap = s.Map("statusMap") is { } statuses
                ? statuses.ToDictionary(kv => kv.Key, kv => ParseEnum<OrderStatus>(s, "statusMap", kv.Value), StringComparer.OrdinalIgnoreCase)
                : null,
            StockWarehouses = s.List("stockWarehouses"),
            RequestsPerWindow = s.Int("requestsPer10Seconds", 1, 10_000) ?? 60,
            WebhookSecret = s.Has("webhookSecret") ? s.String("webhookSecret", secret: true) : null,
        };
        s.RejectUnknownKeys();
        return config;
    }

    private static Cin7CoreConfig ReadCin7Core(YamlSection s)
    {
        var config = new Cin7CoreConfig
        {
            Url = s.Url("url") ?? new Uri("https://inventory.dearsystems.com/ExternalApi/v2/"),
            AccountId = s.RequiredString("accountId", "add 'accountId: ${CIN7_ACCOUNT_ID}' (Integrations > API in Cin7 Core) and set it in the environment"),
            ApplicationKey = s.RequiredString("applicationKey", "add 'applicationKey: ${CIN7_APPLICATION_KEY}' and set it in the environment", secret: true),
            ConsentField = s.String("consentField"),
            NonSellableLocations = s.List("nonSellableLocations") ?? [],
            WholesaleLocations = s.List("wholesaleLocations") ?? [],
            SafetyStock = s.Int("safetyStock", 0, 1_000_000) ?? 0,
            WebhookKey = s.Has("webhookKey") ? s.String("webhookKey", secret: true) : null,
        };
        s.RejectUnknownKeys();
        return config;
    }

    private static DotdigitalConfig ReadDotdigital(YamlSection s)
    {
        var config = new DotdigitalConfig
        {
            ApiUrl = s.Url("apiUrl") ?? new Uri("https://r1-api.dotdigital.com"),
            User = s.RequiredString("user", "add 'user: ${DOTDIGITAL_USER}' (the API user's email) and set DOTDIGITAL_USER in the environment"),
            Password = s.RequiredString("password", "add 'password: ${DOTDIGITAL_PASSWORD}' and set DOTDIGITAL_PASSWORD in the environment", secret: true),
            ListIds = s.List("listIds")?.Select(v => long.TryParse(v, out var id) ? id
                : throw s.Error($"'{v}' in 'destinations.dotdigital.listIds' is not a list id", "write the numeric address book ids, e.g. [12345]")).ToList() ?? [],
            UnknownAsUnsubscribed = (s.String("unknownConsent") ?? "unsubscribed") switch
            {
                "unsubscribed" => true,
                "omit" => false,
                var other => throw s.Error($"'destinations.dotdigital.unknownConsent' must be unsubscribed or omit, not '{other}'",
                    "write 'unknownConsent: unsubscribed' (never marketable without an explicit opt-in)"),
            },
            Programs = s.Map("programs") is { } programs
                ? programs.ToDictionary(kv => ParseEnum<CommerceEventType>(s, "programs", kv.Key),
                    kv => long.TryParse(kv.Value, out var id) ? id : throw s.Error($"'{kv.Value}' is not a program id", "write the numeric program id"))
                : null,
            RequestsPerMinute = s.Int("requestsPerMinute", 0, 100_000) ?? 35,
            ImportPollInterval = s.Duration("importPollInterval") ?? TimeSpan.FromSeconds(5),
        };
        s.RejectUnknownKeys();
        return config;
    }

    private static Tributary.Connectors.Emarsys.EmarsysCatalogueOptions ReadCatalogue(YamlSection s)
    {
        var options = new Tributary.Connectors.Emarsys.EmarsysCatalogueOptions
        {
            Enabled = s.Bool("enabled") ?? true,
            DefaultLocale = s.String("defaultLocale") ?? "en",
            DefaultCurrency = s.String("defaultCurrency") ?? "EUR",
            Currencies = s.List("currencies")?.ToList() ?? [],
            PriceCountry = s.String("priceCountry"),
            PriceChannel = s.String("priceChannel"),
            AvailableWithoutStock = s.Bool("availableWithoutStock") ?? false,
            MaxDropShare = (s.Int("maxDropPercent", 0, 100) ?? 5) / 100.0,
        };
        if (s.Map("locales") is { } locales)
        {
            options.Locales = new Dictionary<string, string>(locales, StringComparer.OrdinalIgnoreCase);
        }

        s.Has("feedUser");
        s.Has("feedPassword");
        s.RejectUnknownKeys();
        return options;
    }

    private static EmarsysConfig ReadEmarsys(YamlSection s)
    {
        var config = new EmarsysConfig
        {
            ApiUrl = s.Url("apiUrl") ?? new Uri("https://api.emarsys.net"),
            User = s.RequiredString("user", "add 'user: ${EMARSYS_USER}' (the API user name) and set EMARSYS_USER in the environment"),
            Secret = s.RequiredString("secret", "add 'secret: ${EMARSYS_SECRET}' and set EMARSYS_SECRET in the environment", secret: true),
            KeyFieldId = s.String("keyFieldId") ?? "9001",
            Fields = s.Map("fields"),
            Attributes = s.Map("attributes"),
            SendOptIn = s.Bool("sendOptIn") ?? true,
            RequestsPerMinute = s.Int("requestsPerMinute", 0, 100_000) ?? 1000,
            BatchSize = s.Int("batchSize", 1, 1000) ?? 1000,
            SalesDataUrl = s.Url("salesDataUrl"),
            MerchantId = s.String("merchantId"),
            SalesDataToken = s.Has("salesDataToken") ? s.String("salesDataToken", secret: true) : null,
            EventIds = s.Map("eventIds") is { } events
                ? events.ToDictionary(kv => ParseEnum<CommerceEventType>(s, "eventIds", kv.Key), kv => kv.Value)
                : null,
            SummaryFields = s.Map("summaryFields"),
            Catalogue = s.Section("catalogue") is { } cat ? ReadCatalogue(cat) : null,
            FeedUser = s.Section("catalogue") is { } c1 ? c1.String("feedUser") ?? "emarsys" : "emarsys",
            FeedPassword = s.Section("catalogue") is { } c2 && c2.Has("feedPassword") ? c2.String("feedPassword", secret: true) : null,
        };
        s.RejectUnknownKeys();
        return config;
    }

    private static SyncConfig ReadSync(YamlSection s)
    {
        var entities = s.List("entities")?.Select(e => ParseEntity(s, e)).ToList();
        var retry = s.Section("retry");
        var orders = s.Section("orders");
        var config = new SyncConfig
        {
            Entities = entities ?? [EntityKind.Customer],
            Interval = s.Duration("interval") ?? TimeSpan.FromMinutes(5),
            Overlap = s.Duration("overlap") ?? TimeSpan.FromMinutes(2),
            Heal = s.Duration("heal") ?? TimeSpan.FromHours(24),
            PageSize = s.Int("pageSize", 1, 500) ?? 500,
            ClearOnNull = s.Bool("clearOnNull") ?? false,
            DeliveryConcurrency = s.Int("deliveryConcurrency", 1, 16) ?? 2,
            MaxAttempts = retry?.Int("maxAttempts", 1, 100) ?? 8,
            RetryBaseDelay = retry?.Duration("baseDelay") ?? TimeSpan.FromSeconds(2),
            RetryMaxDelay = retry?.Duration("maxDelay") ?? TimeSpan.FromMinutes(5),
            ResendUncertain = (s.String("uncertain") ?? "skip") switch
            {
                "skip" => false,
                "resend" => true,
                var other => throw s.Error($"'sync.uncertain' must be skip or resend, not '{other}'",
                    "write 'uncertain: skip' (never risk a duplicate) or 'uncertain: resend'"),
            },
            OrderChannels = orders?.List("channels") is { } kinds
                ? kinds.Select(k => ParseEnum<SalesChannelKind>(orders, "channels", k)).ToHashSet()
                : new HashSet<SalesChannelKind> { SalesChannelKind.Dtc },
            ExcludeStores = orders?.List("excludeStores")?.ToHashSet(StringComparer.OrdinalIgnoreCase)
                ?? new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            EventHorizon = orders?.Duration("eventHorizon") ?? TimeSpan.FromHours(24),
            RealtimeReserve = (s.Int("realtimeReserve", 0, 90) ?? 20) / 100.0,
        };
        orders?.RejectUnknownKeys();
        retry?.RejectUnknownKeys();
        s.RejectUnknownKeys();
        return config;
    }

    private static EntityKind ParseEntity(YamlSection s, string value) => value.ToLowerInvariant() switch
    {
        "customers" or "customer" => EntityKind.Customer,
        "orders" or "order" => EntityKind.Order,
        "products" or "product" => EntityKind.Product,
        "stock" => EntityKind.Stock,
        _ => throw s.Error($"'{value}' is not an entity this version syncs", "use any of 'entities: [customers, orders, products, stock]'"),
    };

    private static T ParseEnum<T>(YamlSection s, string key, string value)
        where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw s.Error($"'{value}' is not a valid value in '{s.Path}.{key}'",
                $"use one of: {string.Join(", ", Enum.GetNames<T>())}");
}
