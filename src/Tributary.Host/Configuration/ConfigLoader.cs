using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Core.Rules;
using Tributary.Host.Composition;
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
        if (!config.Sandbox && root.ProductionOnly.Count > 0)
        {
            throw root.ProductionOnly[0];
        }

        return config;
    }

    /// <summary>
    /// The sandbox is the file whose every platform address is on this machine (127.0.0.1, localhost, ::1): where
    /// `./tributary sandbox` and the tests serve the emulated platforms. Values that would hurt a real platform (a budget turned
    /// off, a sweep every second) are allowed there and refused anywhere else. A platform on its default address is not local.
    /// </summary>
    internal static bool IsSandbox(IEnumerable<ConnectorConfig> connectors)
    {
        var addresses = connectors.SelectMany(c => c.GetType().GetProperties()
                .Where(p => p.PropertyType == typeof(Uri) && p.GetIndexParameters().Length == 0)
                .Select(p => p.GetValue(c) as Uri))
            .OfType<Uri>()
            .ToList();
        return addresses.Count > 0 && addresses.All(a => a.IsLoopback);
    }

    private static TributaryConfig Read(string path, YamlSection root)
    {
        var pipeline = root.Section("pipeline");
        var name = pipeline?.String("name") ?? "default";
        pipeline?.RejectUnknownKeys();

        var state = root.Section("state");
        var statePath = state?.String("sqlite") ?? ".tributary/state.db";
        var (stateConnection, stateSchema) = ReadPostgresState(state);
        var allowFresh = state?.Bool("allowFresh") ?? false;
        state?.RejectUnknownKeys();

        var sources = ConnectorCatalog.Sources.ToList();
        var source = root.Section("source") ?? throw root.Error("the 'source' section is missing",
            $"add a 'source:' section with the platform to read from, for example '{sources[0].Platform}:'");
        var readSources = sources.Select(m => source.Section(m.Platform) is { } section ? m.ReadConfig(section) : null).OfType<ConnectorConfig>().ToList();
        source.RejectUnknownKeys();
        if (readSources.Count != 1)
        {
            throw source.Error(readSources.Count == 0 ? "no source platform is configured" : "more than one source platform is configured",
                $"put exactly one of {OneOf(sources.Select(m => $"'{m.Platform}:'").ToList())} under 'source:' (one pipeline reads one source; use a config per source)");
        }

        var destinationModules = ConnectorCatalog.Destinations.ToList();
        var destinations = root.Section("destinations") ?? throw root.Error("the 'destinations' section is missing",
            $"add a 'destinations:' section with at least one platform to write to, for example '{destinationModules[0].Platform}:'");
        var readDestinations = destinationModules.Select(m => destinations.Section(m.Platform) is { } section ? m.ReadConfig(section) : null)
            .OfType<ConnectorConfig>().ToList();
        destinations.RejectUnknownKeys();
        if (readDestinations.Count == 0)
        {
            throw destinations.Error("no destination platform is configured",
                $"add {string.Join(" and/or ", destinationModules.Select(m => $"'{m.Platform}:'"))} with their settings under 'destinations:'");
        }

        var sync = root.Section("sync") is { } ss ? ReadSync(ss) : new SyncConfig();
        var server = root.Section("server");
        var serverUrl = server?.Url("url")?.ToString();
        var metricsAuth = server?.Bool("metricsAuth") ?? false;
        server?.RejectUnknownKeys();
        var alerts = root.Section("alerts") is { } als ? OpsConfigReader.ReadAlerts(als) : null;
        var reconcile = root.Section("reconcile") is { } rs ? OpsConfigReader.ReadReconcile(rs) : new ReconcileConfig();
        var consent = root.Section("consent") is { } cs ? OpsConfigReader.ReadConsent(cs) : new ConsentConfig();

        var cluster = root.Section("cluster") is { } cl ? ReadCluster(cl) : null;
        var dashboard = root.Section("dashboard") is { } dbs ? ReadDashboard(dbs) : new DashboardConfig();
        if (metricsAuth && !dashboard.HasCredentials)
        {
            throw server!.Error("'server.metricsAuth' asks for the dashboard's credentials, but none are configured",
                "add 'dashboard: { token: ${DASHBOARD_TOKEN} }' (or 'user:' and 'password:'), or remove 'metricsAuth'");
        }

        var storefront = root.Section("storefront") is { } sf ? ReadStorefront(sf) : null;
        var logFormat = root.Section("logging") is { } ls ? ReadLogFormat(ls) : "text";
        var telemetry = root.Section("telemetry") is { } ts ? OpsConfigReader.ReadTelemetry(ts) : new TelemetryConfig();

        var baseDir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        var sandbox = IsSandbox(readDestinations.Prepend(readSources[0]));
        return new TributaryConfig
        {
            Cluster = cluster,
            FilePath = path,
            PipelineName = name,
            StatePath = System.IO.Path.IsPathRooted(statePath) ? statePath : System.IO.Path.Combine(baseDir, statePath),
            StateConnectionString = stateConnection,
            StateSchema = stateSchema,
            AllowFresh = allowFresh,
            Source = readSources[0],
            Destinations = readDestinations,
            Sync = sync,
            ServerUrl = serverUrl,
            MetricsAuth = metricsAuth,
            Alerts = alerts,
            Reconcile = reconcile,
            Consent = consent,
            Dashboard = dashboard,
            Storefront = storefront,
            LogFormat = logFormat,
            Telemetry = telemetry,
            Sandbox = sandbox,
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

    private static StorefrontConfig ReadStorefront(YamlSection s)
    {
        var keys = s.List("keys") ?? [];
        if (keys.Count == 0 || keys.Any(k => k.Length < 16))
        {
            throw s.Error("'storefront.keys' needs at least one publishable key of 16 characters or more",
                "add 'keys: [pk_…]' with a long random value per storefront, for example the output of 'openssl rand -hex 16'");
        }

        var origins = s.List("origins") ?? [];
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                throw s.Error($"'storefront.origins' has '{origin}', which is not an origin", "write scheme and host only, for example 'https://shop.example.com'");
            }
        }

        var config = new StorefrontConfig
        {
            Keys = keys,
            Origins = origins.Select(o => o.TrimEnd('/')).ToList(),
            RequestsPerMinute = s.Int("requestsPerMinute", 1, 100_000, StorefrontConfig.DefaultRequestsPerMinute),
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
        if (config.Token is { } token && token.Length < DashboardConfig.MinTokenLength)
        {
            throw s.Error($"'dashboard.token' is {token.Length} characters long; a token needs at least {DashboardConfig.MinTokenLength}",
                "set the variable to a long random value, for example the output of 'openssl rand -hex 16' (32 characters)");
        }

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

    /// <summary>"'a:', 'b:' or 'c:'", as a sentence lists choices.</summary>
    private static string OneOf(IReadOnlyList<string> choices) =>
        choices.Count <= 1 ? string.Join(string.Empty, choices) : $"{string.Join(", ", choices.Take(choices.Count - 1))} or {choices[^1]}";

    private static SyncConfig ReadSync(YamlSection s)
    {
        var entities = s.List("entities")?.Select(e => ParseEntity(s, e)).ToList();
        var retry = s.Section("retry");
        var orders = s.Section("orders");
        var stock = s.Section("stock");
        var config = new SyncConfig
        {
            Entities = entities ?? [EntityKind.Customer],
            Interval = s.Duration("interval", SyncConfig.DefaultInterval),
            Overlap = s.Duration("overlap", SyncConfig.DefaultOverlap),
            Heal = s.Duration("heal", SyncConfig.DefaultHeal),
            PageSize = s.Int("pageSize", 1, 500, 500),
            ClearOnNull = s.Bool("clearOnNull") ?? false,
            DeliveryConcurrency = s.Int("deliveryConcurrency", 1, 16, 2),
            MaxAttempts = retry?.Int("maxAttempts", 1, 100, 8) ?? 8,
            RetryBaseDelay = retry?.Duration("baseDelay", TimeSpan.FromSeconds(2)) ?? TimeSpan.FromSeconds(2),
            RetryMaxDelay = retry?.Duration("maxDelay", TimeSpan.FromMinutes(5)) ?? TimeSpan.FromMinutes(5),
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
                BackInStockAt = stock.Int("backInStockAt", 1, 1_000_000, (int)StockThresholds.DefaultBackInStockAt),
                LowStockBelow = stock.Int("lowStockBelow", 0, 1_000_000, (int)StockThresholds.DefaultLowStockBelow),
                Hysteresis = stock.Int("hysteresis", 0, 1_000_000, (int)StockThresholds.Default.Hysteresis),
            },
            RealtimeReserve = s.Int("realtimeReserve", 0, 90, 20) / 100.0,
            NotifyMeNeedsMarketingConsent = stock?.String("notifyMeConsent") switch
            {
                null or "request" => false,
                "marketing" => true,
                var other => throw stock.Error($"'sync.stock.notifyMeConsent' must be request or marketing, not '{other}'",
                    "write 'notifyMeConsent: request' (the request is the permission for that one message) or 'notifyMeConsent: marketing'"),
            },
        };
        // A sweep reads the source every interval and a heal re-reads everything: in production, too short an interval is a
        // load on the source (interval: 0s made 5 754 sweeps in 10 s) and too short a heal re-reads the shop all day.
        if (config.Interval < SyncConfig.MinimumInterval)
        {
            s.SandboxOnly("interval", $"'sync.interval' is {YamlSection.Show(config.Interval)}: a sweep would read the source that often",
                $"write 'interval: {YamlSection.Show(SyncConfig.DefaultInterval)}' (the default), or at least {YamlSection.Show(SyncConfig.MinimumInterval)}; " +
                "shorter intervals are for the sandbox, and webhooks bring changes in real time");
        }

        if (config.Heal < SyncConfig.MinimumHeal)
        {
            s.SandboxOnly("heal", $"'sync.heal' is {YamlSection.Show(config.Heal)}: every entity would be re-read in full that often",
                $"write 'heal: {YamlSection.Show(SyncConfig.DefaultHeal)}' (the default), or at least {YamlSection.Show(SyncConfig.MinimumHeal)}");
        }

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
        where T : struct, Enum => s.Enum<T>(key, value);
}
