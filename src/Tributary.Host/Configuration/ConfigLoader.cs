using Tributary.Core.Model;
using Tributary.Core.Rules;
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
        var (stateConnection, stateSchema) = ReadPostgresState(state);
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
        var alerts = root.Section("alerts") is { } als ? OpsConfigReader.ReadAlerts(als) : null;
        var reconcile = root.Section("reconcile") is { } rs ? OpsConfigReader.ReadReconcile(rs) : new ReconcileConfig();

        var cluster = root.Section("cluster") is { } cl ? ReadCluster(cl) : null;
        var dashboard = root.Section("dashboard") is { } dbs ? ReadDashboard(dbs) : new DashboardConfig();
        var logFormat = root.Section("logging") is { } ls ? ReadLogFormat(ls) : "text";
        var telemetry = root.Section("telemetry") is { } ts ? OpsConfigReader.ReadTelemetry(ts) : new TelemetryConfig();

        var baseDir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        return new TributaryConfig
        {
            Cluster = cluster,
            FilePath = path,
            PipelineName = name,
            StatePath = System.IO.Path.IsPathRooted(statePath) ? statePath : System.IO.Path.Combine(baseDir, statePath),
            StateConnectionString = stateConnection,
            StateSchema = stateSchema,
            Commercetools = ct,
            Centra = centra,
            Cin7Core = cin7,
            Emarsys = emarsys,
            Dotdigital = dotdigital,
            Sync = sync,
            ServerUrl = serverUrl,
            Alerts = alerts,
            Reconcile = reconcile,
            Dashboard = dashboard,
            LogFormat = logFormat,
            Telemetry = telemetry,
        };
    }

    private static ClusterConfig ReadCluster(YamlSection s)
    {
        // The broker address carries its password: it must come from the environment.
        var amqp = s.RequiredString("amqp", "write 'amqp: ${AMQP_URL}' and set AMQP_URL to amqp://user:password@host:5672/vhost", secret: true);
        if (!Uri.TryCreate(amqp, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            // The value is a secret: name the key, not the value.
            throw s.Error("'cluster.amqp' is not an amqp:// or amqps:// address", "set it to amqp://user:password@host:5672/vhost");
        }

        var config = new ClusterConfig
        {
            Amqp = uri,
            Partitions = s.Int("partitions", 1, 1024) ?? ClusterConfig.DefaultPartitions,
            WorkerId = s.String("workerId"),
            Coordination = s.String("coordination"),
            MemberTtl = s.Duration("memberTtl") ?? ClusterConfig.DefaultMemberTtl,
            QueuePrefix = s.String("queuePrefix") ?? "tributary.work",
        };

        s.RejectUnknownKeys();
        return config;
    }

    private static DashboardConfig ReadDashboard(YamlSection s)
    {
        var config = new DashboardConfig
        {
            Enabled = s.Bool("enabled") ?? true,
            Token = s.Has("token") ? s.String("token", secret: true) : null,
            User = s.String("user"),
            Password = s.Has("password") ? s.String("password", secret: true) : null,
        };
        if ((config.User is null) != (config.Password is null))
        {
            throw s.Error("'dashboard.user' and 'dashboard.password' go together",
                "set both 'user:' and 'password: ${DASHBOARD_PASSWORD}', or use 'token: ${DASHBOARD_TOKEN}' instead");
        }

        s.RejectUnknownKeys();
        return config;
    }

    private static string ReadLogFormat(YamlSection s)
    {
        var format = s.String("format") ?? "text";
        if (format is not ("text" or "json"))
        {
            throw s.Error($"'logging.format' must be text or json, not '{format}'", "write 'format: json' for one JSON object per line, or 'format: text'");
        }

        s.RejectUnknownKeys();
        return format;
    }

    /// <summary>
    /// A PostgreSQL state store: <c>postgres</c> (or <c>connectionString</c>) holds the connection string, from the environment
    /// since it may hold a password; <c>schema</c> names the installation's schema. None: the SQLite file.
    /// </summary>
    private static (string? ConnectionString, string Schema) ReadPostgresState(YamlSection? state)
    {
        if (state is null)
        {
            return (null, "tributary");
        }

        if (state.Has("postgres") && state.Has("connectionString"))
        {
            throw state.Error("'state' has both 'postgres' and 'connectionString'", "keep one of them: they are the same setting");
        }

        var connection = state.String("postgres", secret: true) ?? state.String("connectionString", secret: true);
        if (connection is not null && state.Has("sqlite"))
        {
            throw state.Error("'state' names both a SQLite file and a PostgreSQL database",
                "keep 'sqlite:' for a single process on one host, or 'postgres:' for workers sharing one database, not both");
        }

        if (connection is { Length: 0 })
        {
            throw state.Error("'state.postgres' is empty", "set the environment variable it names to a PostgreSQL connection string");
        }

        var schema = state.String("schema") ?? "tributary";
        if (!System.Text.RegularExpressions.Regex.IsMatch(schema, "^[a-z_][a-z0-9_]{0,62}$"))
        {
            throw state.Error($"'state.schema' '{schema}' is not a usable schema name", "use lower-case letters, digits and underscores, e.g. 'tributary'");
        }

        return (connection, schema);
    }

    private static CommercetoolsConfig ReadCommercetools(YamlSection s)
    {
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

    private static Dictionary<string, decimal> SafetyStockBySku(YamlSection s)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (sku, value) in s.Map("safetyStockBySku") ?? new Dictionary<string, string>())
        {
            if (!decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var units) || units < 0)
            {
                throw s.Error($"'safetyStockBySku.{sku}' must be a number of units (0 or more), not '{value}'", $"write '{sku}: 5'");
            }

            result[sku] = units;
        }

        return result;
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
            ProductUrlTemplate = s.String("productUrlTemplate"),
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
            RequestsPerMinute = s.Int("requestsPerMinute", 1, 10_000) ?? 60,
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
            MediumTierPerMinute = s.Int("mediumTierPerMinute", 0, 100_000),
            HighTierPerMinute = s.Int("highTierPerMinute", 0, 100_000),
            AdaptToRateLimitHeaders = s.Bool("adaptToRateLimitHeaders") ?? true,
            MaxBatchSize = s.Int("maxBatchSize", 1, 100_000) ?? 500,
            GuestOrders = s.String("guestOrders") is { } guests
                ? ParseEnum<Tributary.Connectors.Dotdigital.GuestOrderHandling>(s, "guestOrders", guests)
                : Tributary.Connectors.Dotdigital.GuestOrderHandling.ExistingContact,
            GuestListIds = s.List("guestListIds")?.Select(v => long.TryParse(v, out var id) ? id
                : throw s.Error($"'{v}' in 'destinations.dotdigital.guestListIds' is not a list id", "write the numeric address book ids, e.g. [12345]")).ToList() ?? [],
            CatalogueStock = s.Bool("catalogueStock") ?? true,
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
        var stock = s.Section("stock");
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
            StockThresholds = stock is null ? StockThresholds.Default : new StockThresholds
            {
                BackInStockAt = stock.Int("backInStockAt", 1, 1_000_000) ?? (int)StockThresholds.DefaultBackInStockAt,
                LowStockBelow = stock.Int("lowStockBelow", 0, 1_000_000) ?? (int)StockThresholds.DefaultLowStockBelow,
                Hysteresis = stock.Int("hysteresis", 0, 1_000_000) ?? (int)StockThresholds.Default.Hysteresis,
            },
            RealtimeReserve = (s.Int("realtimeReserve", 0, 90) ?? 20) / 100.0,
        };
        stock?.RejectUnknownKeys();
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
