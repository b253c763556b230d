using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Emarsys;
using Tributary.Host.Configuration;

namespace Tributary.Tests.Host;

[Unit]
public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-config-").FullName;

    private static readonly Dictionary<string, string> Env = new()
    {
        ["CTP_CLIENT_ID"] = "client",
        ["CTP_CLIENT_SECRET"] = "s3cret",
        ["EMARSYS_USER"] = "user",
        ["EMARSYS_SECRET"] = "e-secret",
    };

    private const string Valid = """
        pipeline:
          name: shop-eu
        source:
          commercetools:
            region: europe-west1.gcp
            projectKey: my-shop
            clientId: ${CTP_CLIENT_ID}
            clientSecret: ${CTP_CLIENT_SECRET}
        destinations:
          emarsys:
            user: ${EMARSYS_USER}
            secret: ${EMARSYS_SECRET}
            keyFieldId: "9001"
        sync:
          interval: 10m
          retry:
            maxAttempts: 5
        """;

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "tributary.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string? Lookup(string name) => Env.TryGetValue(name, out var v) ? v : null;

    [Fact]
    public void Load_ValidFile_ReadsEverySection()
    {
        var config = ConfigLoader.Load(Write(Valid), Lookup);

        config.PipelineName.ShouldBe("shop-eu");
        config.Connector<CommercetoolsConfig>()!.ApiUrl.ShouldBe(new Uri("https://api.europe-west1.gcp.commercetools.com"));
        config.Connector<CommercetoolsConfig>()!.ClientSecret.ShouldBe("s3cret");
        config.Connector<EmarsysConfig>()!.Secret.ShouldBe("e-secret");
        config.Sync.Interval.ShouldBe(TimeSpan.FromMinutes(10));
        config.Sync.MaxAttempts.ShouldBe(5);
        config.StatePath.ShouldStartWith(_dir);
    }

    /// <summary>The valid file with store currencies and the given list rules (items indented six spaces) under Emarsys.</summary>
    private static string WithLists(string rules) => Valid
        .Replace("    clientSecret: ${CTP_CLIENT_SECRET}\n", "    clientSecret: ${CTP_CLIENT_SECRET}\n    currencyByStore: { uk: gbp, de: EUR }\n", StringComparison.Ordinal)
        .Replace("    keyFieldId: \"9001\"\n", "    keyFieldId: \"9001\"\n    lists:\n" + rules, StringComparison.Ordinal);

    [Fact]
    public void Load_ListRules_ReadEveryCondition_AndTheStoreCurrencies()
    {
        var config = ConfigLoader.Load(Write(WithLists(
            "      - id: 700001\n        consent: email\n        stores: [uk, ie]\n        locales: [en]\n        currencies: [GBP]\n" +
            "        attributes: { tier: gold }\n      - id: 700002\n")), Lookup);

        var emarsys = config.Destinations.OfType<EmarsysConfig>().Single();
        emarsys.ListRules.Count.ShouldBe(2);
        var first = emarsys.ListRules[0];
        first.List.ShouldBe("700001");
        first.Consent.ShouldBe("email");
        first.Stores.ShouldBe(["uk", "ie"]);
        first.Locales.ShouldBe(["en"]);
        first.Currencies.ShouldBe(["GBP"]);
        first.Attributes.ShouldNotBeNull()["tier"].ShouldBe("gold");
        emarsys.ListRules[1].Stores.ShouldBeNull("a rule without conditions takes everyone");
        ((CommercetoolsConfig)config.Source!).CurrencyByStore["uk"].ShouldBe("GBP");
    }

    [Theory]
    [InlineData("      - id: vip\n", "is not a list id", "numeric list id")]
    [InlineData("      - id: 1\n        consent: yes\n", "must be a channel", "consent: email")]
    [InlineData("      - id: 1\n        store: [uk]\n", "unknown key 'destinations.emarsys.lists[0].store'", "did you mean 'stores'?")]
    [InlineData("      - id: 1\n      - id: 1\n", "list 1 has more than one rule", "one rule")]
    [InlineData("      - consent: email\n", "'destinations.emarsys.lists[0].id' is missing", "id: 12345")]
    [InlineData("      - 12345\n", "must be a set of keys", "- id:")]
    public void Load_ListRules_Wrong_SayWhatAndHow(string rules, string problem, string fix)
    {
        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(WithLists(rules)), Lookup));
        ex.Problem.ShouldContain(problem);
        ex.Fix.ShouldContain(fix);
    }

    [Fact]
    public void Load_Storefront_ReadsKeysOriginsAndLimit_AndTheNotifyMeConsentRule()
    {
        var config = ConfigLoader.Load(Write(Valid.Replace("  retry:\n", "  stock:\n    notifyMeConsent: marketing\n  retry:\n", StringComparison.Ordinal)
            + "\nstorefront:\n  keys: [pk_live_0123456789abcdef]\n  origins: [\"https://shop.example.com/\"]\n  requestsPerMinute: 12\n"), Lookup);

        config.Storefront.ShouldNotBeNull().Keys.ShouldBe(["pk_live_0123456789abcdef"]);
        config.Storefront.Origins.ShouldBe(["https://shop.example.com"]);
        config.Storefront.RequestsPerMinute.ShouldBe(12);
        config.Sync.NotifyMeNeedsMarketingConsent.ShouldBeTrue();
        ConfigLoader.Load(Write(Valid), Lookup).Storefront.ShouldBeNull();
        ConfigLoader.Load(Write(Valid), Lookup).Sync.NotifyMeNeedsMarketingConsent.ShouldBeFalse();
    }

    [Theory]
    [InlineData("storefront:\n  keys: [short]\n", "16 characters or more", "openssl rand -hex 16")]
    [InlineData("storefront:\n  keys: [pk_live_0123456789abcdef]\n  origins: [shop.example.com]\n", "not an origin", "https://shop.example.com")]
    [InlineData("storefront:\n  keys: [pk_live_0123456789abcdef]\n  origin: [\"https://shop.example.com\"]\n", "unknown key 'storefront.origin'", "origins")]
    [InlineData("sync:\n  stock:\n    notifyMeConsent: always\n", "must be request or marketing", "notifyMeConsent: request")]
    public void Load_Storefront_Wrong_SayWhatAndHow(string yaml, string problem, string fix)
    {
        var file = yaml.StartsWith("sync:", StringComparison.Ordinal)
            ? Valid.Replace("sync:\n", yaml, StringComparison.Ordinal)
            : Valid + "\n" + yaml;

        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(file), Lookup));

        ex.Problem.ShouldContain(problem);
        ex.Fix.ShouldContain(fix);
    }

    [Fact]
    public void Load_ConsentSection_PullBackDefaultsToHourly_TakesADurationOrOff_RefusesUnderAMinute()
    {
        ConfigLoader.Load(Write(Valid), Lookup).Consent.PullBack.ShouldBe(TimeSpan.FromHours(1));
        ConfigLoader.Load(Write(Valid + "\nconsent:\n  pullBack: 15m\n"), Lookup).Consent.PullBack.ShouldBe(TimeSpan.FromMinutes(15));
        ConfigLoader.Load(Write(Valid + "\nconsent:\n  pullBack: off\n"), Lookup).Consent.PullBack.ShouldBeNull();

        var tooOften = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid + "\nconsent:\n  pullBack: 10s\n"), Lookup));
        tooOften.Message.ShouldContain("consent.pullBack");
        tooOften.Message.ShouldContain("1h");
        Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid + "\nconsent:\n  pullback: 1h\n"), Lookup))
            .Message.ShouldContain("pullback");
    }

    [Fact]
    public void Load_ConsentErasure_DefaultsToAnonymise_TakesDeleteOrOff_RefusesAnythingElseWithTheChoices()
    {
        ConfigLoader.Load(Write(Valid), Lookup).Consent.Erasure.ShouldBe(Tributary.Core.Model.ErasureMode.Anonymise);
        ConfigLoader.Load(Write(Valid + "\nconsent:\n  erasure: delete\n"), Lookup).Consent.Erasure.ShouldBe(Tributary.Core.Model.ErasureMode.Delete);
        ConfigLoader.Load(Write(Valid + "\nconsent:\n  erasure: off\n"), Lookup).Consent.Erasure.ShouldBeNull();
        var wrong = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid + "\nconsent:\n  erasure: purge\n"), Lookup));
        wrong.Message.ShouldContain("purge");
        wrong.Message.ShouldContain("anonymise");
    }

    [Fact]
    public void Load_TelemetrySection_ReadsTheOtlpEndpointProtocolAndInterval()
    {
        var config = ConfigLoader.Load(Write(Valid + """

            telemetry:
              otlp:
                endpoint: http://collector.internal:4317
                protocol: grpc
                interval: 15s
            """), Lookup);

        config.Telemetry.OtlpEndpoint.ShouldBe(new Uri("http://collector.internal:4317"));
        config.Telemetry.OtlpProtocol.ShouldBe("grpc");
        config.Telemetry.OtlpInterval.ShouldBe(TimeSpan.FromSeconds(15));
        ConfigLoader.Load(Write(Valid), Lookup).Telemetry.OtlpEndpoint.ShouldBeNull();
    }

    [Theory]
    [InlineData("protocol: thrift", "http/protobuf or grpc")]
    [InlineData("endpoint: collector:4318", "not an http(s) URL")]
    [InlineData("headerz: x", "telemetry.otlp.headerz")]
    public void Load_BadTelemetrySetting_IsRefusedWithTheKey(string line, string problem)
    {
        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid + $"""

            telemetry:
              otlp:
                {line}
            """), Lookup));

        ex.Problem.ShouldContain(problem);
    }

    [Fact]
    public void Load_MisspelledKey_NamesLineAndSuggestsTheKey()
    {
        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid.Replace("projectKey", "projectkee")), Lookup));

        ex.File.ShouldBe("tributary.yaml");
        ex.Line.ShouldBe(6);
        ex.Problem.ShouldContain("source.commercetools.projectkee");
        ex.Fix.ShouldContain("projectKey");
    }

    [Fact]
    public void Load_MissingEnvironmentVariable_SaysWhichToSet()
    {
        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid), n => n == "EMARSYS_SECRET" ? null : Lookup(n)));

        ex.Line.ShouldBe(12);
        ex.Problem.ShouldContain("EMARSYS_SECRET");
        ex.Fix.ShouldContain("export EMARSYS_SECRET");
    }

    [Fact]
    public void Load_SecretWrittenInTheFile_IsRefused()
    {
        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid.Replace("${EMARSYS_SECRET}", "plain-text")), Lookup));

        ex.Problem.ShouldContain("secret written into the file");
        ex.Message.ShouldNotContain("plain-text");
    }

    [Fact]
    public void Load_BadDuration_ExplainsTheFormat()
    {
        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid.Replace("interval: 10m", "interval: soon")), Lookup));

        ex.Line.ShouldBe(15);
        ex.Fix.ShouldContain("5m");
    }

    [Fact]
    public void Load_BrokenYaml_NamesTheLine()
    {
        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid.Replace("  name: shop-eu", "  name: [shop-eu")), Lookup));

        ex.Problem.ShouldContain("not valid YAML");
    }

    [Fact]
    public void Load_MissingFile_SaysSo()
    {
        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Path.Combine(_dir, "nope.yaml"), Lookup));

        ex.Problem.ShouldContain("does not exist");
    }

    [Fact]
    public void Load_NoDestination_SaysWhatToAdd()
    {
        var yaml = Valid[..Valid.IndexOf("destinations:", StringComparison.Ordinal)];
        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(yaml), Lookup));

        ex.Problem.ShouldContain("destinations");
    }

    [Fact]
    public void Load_ExampleConfig_IsValid()
    {
        var example = Path.Combine(RepoRoot.Path, "examples", "tributary.yaml");
        var config = ConfigLoader.Load(example, Lookup);
        config.Connector<EmarsysConfig>()!.KeyFieldId.ShouldBe("9001");
    }

    [Fact]
    public void Load_StatePostgres_ChoosesPostgresWithTheDefaultSchema()
    {
        var yaml = Valid + "\nstate:\n  postgres: ${TRIBUTARY_PG}\n";
        var config = ConfigLoader.Load(Write(yaml), n => n == "TRIBUTARY_PG" ? "Host=db;Username=app;Password=pw" : Lookup(n));

        config.StateConnectionString.ShouldBe("Host=db;Username=app;Password=pw");
        config.StateSchema.ShouldBe("tributary");
        ConfigLoader.Load(Write(Valid), Lookup).StateConnectionString.ShouldBeNull();
    }

    [Fact]
    public void Load_StateConnectionStringWrittenIntoTheFile_IsRefusedWithoutEchoingIt()
    {
        var yaml = Valid + "\nstate:\n  connectionString: Host=db;Password=pw\n  schema: shop_eu\n";

        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(yaml), Lookup));

        ex.Problem.ShouldContain("secret");
        ex.ToString().ShouldNotContain("pw");
    }

    [Fact]
    public void Load_StateSqliteAndPostgresBoth_AsksToChooseOne()
    {
        var yaml = Valid + "\nstate:\n  sqlite: state.db\n  postgres: ${TRIBUTARY_PG}\n";

        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(yaml), n => n == "TRIBUTARY_PG" ? "Host=db" : Lookup(n)));

        ex.Problem.ShouldContain("both");
    }

    [Fact]
    public void Load_StateSchemaNotAnIdentifier_SaysWhatNamesWork()
    {
        var yaml = Valid + "\nstate:\n  postgres: ${TRIBUTARY_PG}\n  schema: Shop-EU\n";

        var ex = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(yaml), n => n == "TRIBUTARY_PG" ? "Host=db" : Lookup(n)));

        ex.Fix.ShouldContain("lower-case");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_StockSettings_ReadsThresholdsPerSkuSafetyStockAndAlertLists()
    {
        var yaml = Valid.Replace("    clientSecret: ${CTP_CLIENT_SECRET}", """
                clientSecret: ${CTP_CLIENT_SECRET}
                safetyStock: 2
                safetyStockBySku:
                  SKU-1: 5
                stockAlerts:
                  shoppingLists: true
                  where: key = "notify-me"
            """.TrimEnd(), StringComparison.Ordinal).Replace("  interval: 10m", """
              interval: 10m
              stock:
                backInStockAt: 3
                lowStockBelow: 8
                hysteresis: 4
            """.TrimEnd(), StringComparison.Ordinal);

        var config = ConfigLoader.Load(Write(yaml), Lookup);

        config.Connector<CommercetoolsConfig>()!.SafetyStockBySku["SKU-1"].ShouldBe(5m);
        config.Connector<CommercetoolsConfig>()!.StockAlertListWhere.ShouldBe("key = \"notify-me\"");
        config.Sync.StockThresholds.BackInStockAt.ShouldBe(3m);
        config.Sync.StockThresholds.LowStockBelow.ShouldBe(8m);
        config.Sync.StockThresholds.Hysteresis.ShouldBe(4m);
    }

    [Fact]
    public void Load_NegativePerSkuSafetyStock_NamesTheSkuAndTheFix()
    {
        var yaml = Valid.Replace("    clientSecret: ${CTP_CLIENT_SECRET}", """
                clientSecret: ${CTP_CLIENT_SECRET}
                safetyStockBySku:
                  SKU-9: lots
            """.TrimEnd(), StringComparison.Ordinal);

        var error = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(yaml), Lookup));

        error.Message.ShouldContain("safetyStockBySku.SKU-9");
    }

    [Fact]
    public void Load_DashboardAndLogging_ReadsTokenFromTheEnvironmentAndFormat()
    {
        var config = ConfigLoader.Load(Write(Valid + "\ndashboard:\n  token: ${DASHBOARD_TOKEN}\nlogging:\n  format: json\n"),
            name => name == "DASHBOARD_TOKEN" ? "dash-token-0123456789" : Lookup(name));

        config.Dashboard.Enabled.ShouldBeTrue();
        config.Dashboard.Token.ShouldBe("dash-token-0123456789");
        config.Dashboard.HasCredentials.ShouldBeTrue();
        config.LogFormat.ShouldBe("json");
        ConfigLoader.Load(Write(Valid), Lookup).Dashboard.HasCredentials.ShouldBeFalse();
    }

    [Fact]
    public void Load_DashboardTokenWrittenInTheFileOrUserWithoutPassword_RefusedWithTheFix()
    {
        var inline = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid + "\ndashboard:\n  token: abc123\n"), Lookup));
        var lonely = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid + "\ndashboard:\n  user: ops\n"), Lookup));
        var format = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid + "\nlogging:\n  format: xml\n"), Lookup));

        inline.Problem.ShouldContain("secret");
        lonely.Fix.ShouldContain("password");
        format.Problem.ShouldContain("text or json");
    }
    [Fact]
    public void Load_DashboardTokenShorterThan16_RefusedWithTheFix()
    {
        var error = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid + "\ndashboard:\n  token: ${DASHBOARD_TOKEN}\n"),
            name => name == "DASHBOARD_TOKEN" ? "fifteen-chars-x" : Lookup(name)));

        error.Problem.ShouldContain("15 characters");
        error.Problem.ShouldContain("at least 16");
        error.Fix.ShouldContain("openssl rand -hex 16");
        ConfigLoader.Load(Write(Valid + "\ndashboard:\n  token: ${DASHBOARD_TOKEN}\n"),
            name => name == "DASHBOARD_TOKEN" ? "sixteen-chars-xx" : Lookup(name)).Dashboard.Token.ShouldBe("sixteen-chars-xx");
    }

    [Fact]
    public void Load_MetricsAuth_OnWithDashboardCredentials_RefusedWithout()
    {
        var config = ConfigLoader.Load(Write(Valid + "\nserver:\n  url: http://127.0.0.1:8080\n  metricsAuth: true\ndashboard:\n  token: ${DASHBOARD_TOKEN}\n"),
            name => name == "DASHBOARD_TOKEN" ? "dash-token-0123456789" : Lookup(name));
        var error = Should.Throw<ConfigException>(() => ConfigLoader.Load(Write(Valid + "\nserver:\n  url: http://127.0.0.1:8080\n  metricsAuth: true\n"), Lookup));

        config.MetricsAuth.ShouldBeTrue();
        ConfigLoader.Load(Write(Valid), Lookup).MetricsAuth.ShouldBeFalse();
        error.Problem.ShouldContain("metricsAuth");
        error.Fix.ShouldContain("token");
    }
}
