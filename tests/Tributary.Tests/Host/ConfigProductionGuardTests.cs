using Tributary.Connectors.Emarsys;
using Tributary.Host.Configuration;

namespace Tributary.Tests.Host;

/// <summary>
/// Values that would hurt a real platform pass only in the sandbox (every platform address on this machine): sweeps more
/// often than every 30 s, heals more often than every 10 minutes, a request budget of 0. Fix lines suggest the documented
/// default, and an environment reference is a whole value or refused with the reason.
/// </summary>
[Unit]
public sealed class ConfigProductionGuardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-guard-").FullName;

    private static string? Env(string name) => name switch
    {
        "CTP_SECRET" => "ct-secret",
        "EMARSYS_SECRET" => "e-secret",
        "EMARSYS_HOST" => "api.emarsys.net",
        _ => null,
    };

    // Production: commercetools by region, Emarsys on its default address.
    private static string Production(string emarsys = "", string sync = "") => $"""
        source:
          commercetools:
            region: europe-west1.gcp
            projectKey: my-shop
            clientId: client
            clientSecret: ${"{"}CTP_SECRET{"}"}
        destinations:
          emarsys:
            user: api-user
            secret: ${"{"}EMARSYS_SECRET{"}"}
        {Indent(emarsys, 4)}
        sync:
          entities: [customers]
        {Indent(sync, 2)}
        """;

    // The sandbox: every platform on 127.0.0.1.
    private static string Sandbox(string emarsys = "", string sync = "", string emarsysUrl = "apiUrl: http://127.0.0.1:5080/emarsys") => $"""
        source:
          commercetools:
            apiUrl: http://127.0.0.1:5080/commercetools
            authUrl: http://127.0.0.1:5080/commercetools
            projectKey: demo
            clientId: sandbox-client
            clientSecret: ${"{"}CTP_SECRET{"}"}
        destinations:
          emarsys:
            {emarsysUrl}
            user: sandbox-user
            secret: ${"{"}EMARSYS_SECRET{"}"}
        {Indent(emarsys, 4)}
        sync:
          entities: [customers]
        {Indent(sync, 2)}
        """;

    private static string Indent(string lines, int spaces) =>
        string.Join('\n', lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => new string(' ', spaces) + l.Trim()));

    private TributaryConfig Load(string yaml)
    {
        var path = Path.Combine(_dir, "tributary.yaml");
        File.WriteAllText(path, yaml);
        return ConfigLoader.Load(path, Env);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("interval: 0s")]
    [InlineData("interval: 29s")]
    public void Load_SweepIntervalUnder30sOutsideTheSandbox_RefusedWithTheDefault(string interval)
    {
        var yaml = Production(sync: interval);
        var ex = Should.Throw<ConfigException>(() => Load(yaml));

        ex.Problem.ShouldContain("'sync.interval'");
        ex.Fix.ShouldContain("interval: 5m");
        ex.Fix.ShouldContain("30s");
        ex.Line.ShouldBe(yaml.Split('\n').ToList().FindIndex(l => l.Contains(interval, StringComparison.Ordinal)) + 1, "the line of the interval");
    }

    [Fact]
    public void Load_HealUnder10MinutesOutsideTheSandbox_RefusedWithTheDefault()
    {
        var ex = Should.Throw<ConfigException>(() => Load(Production(sync: "heal: 5m")));

        ex.Problem.ShouldContain("'sync.heal'");
        ex.Fix.ShouldContain("heal: 1d");
        ex.Fix.ShouldContain("10m");
    }

    [Fact]
    public void Load_TheMinimumsThemselves_AreAccepted()
    {
        var config = Load(Production(sync: "interval: 30s\nheal: 10m"));

        config.Sandbox.ShouldBeFalse();
        config.Sync.Interval.ShouldBe(TimeSpan.FromSeconds(30));
        config.Sync.Heal.ShouldBe(TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Load_RequestBudgetOfZeroOutsideTheSandbox_RefusedUnlessWrittenAsUnlimited()
    {
        var ex = Should.Throw<ConfigException>(() => Load(Production(emarsys: "requestsPerMinute: 0")));
        var unlimited = Load(Production(emarsys: "requestsPerMinute: unlimited"));

        ex.Problem.ShouldContain("'destinations.emarsys.requestsPerMinute: 0' turns the request budget off");
        ex.Fix.ShouldContain("requestsPerMinute: 1000");
        ex.Fix.ShouldContain("unlimited");
        unlimited.Connector<EmarsysConfig>()!.RequestsPerMinute.ShouldBe(0);
    }

    [Fact]
    public void Load_Sandbox_AllowsShortIntervalsAndNoBudget()
    {
        var config = Load(Sandbox(emarsys: "requestsPerMinute: 0", sync: "interval: 1s\nheal: 1m"));

        config.Sandbox.ShouldBeTrue();
        config.Sync.Interval.ShouldBe(TimeSpan.FromSeconds(1));
        config.Sync.Heal.ShouldBe(TimeSpan.FromMinutes(1));
        config.Connector<EmarsysConfig>()!.RequestsPerMinute.ShouldBe(0);
    }

    [Fact]
    public void Load_OnePlatformOnItsRealAddress_IsNotTheSandbox()
    {
        // Emarsys without apiUrl is the real Emarsys: a sweep every second against a local source still hammers it.
        var ex = Should.Throw<ConfigException>(() => Load(Sandbox(emarsys: "requestsPerMinute: 0", emarsysUrl: "")));

        ex.Problem.ShouldContain("requestsPerMinute: 0");
    }

    [Theory]
    [InlineData("batchSize: many", "batchSize: 1000", "batchSize: 1'")]
    [InlineData("requestsPerMinute: lots", "requestsPerMinute: 1000", "requestsPerMinute: 0")]
    public void Load_WrongType_FixSuggestsTheDocumentedDefault(string line, string suggested, string notSuggested)
    {
        var ex = Should.Throw<ConfigException>(() => Load(Production(emarsys: line)));

        ex.Fix.ShouldContain(suggested);
        ex.Fix.ShouldNotContain(notSuggested);
    }

    [Fact]
    public void Load_WrongDuration_FixSuggestsTheDocumentedDefault()
    {
        var ex = Should.Throw<ConfigException>(() => Load(Production(sync: "heal: daily")));

        ex.Fix.ShouldContain("heal: 1d");
        ex.Fix.ShouldContain("(the default)");
    }

    [Theory]
    [InlineData("apiUrl: https://${EMARSYS_HOST}/api/v2")]
    [InlineData("keyFieldId: \"90${EMARSYS_HOST}\"")]
    public void Load_EnvironmentReferenceInsideOtherText_RefusedWithTheReason(string line)
    {
        var ex = Should.Throw<ConfigException>(() => Load(Production(emarsys: line)));

        ex.Problem.ShouldContain("${EMARSYS_HOST}");
        ex.Problem.ShouldContain("must be the whole value");
        ex.Fix.ShouldContain("${EMARSYS_HOST}");
        ex.Message.ShouldNotContain("api.emarsys.net", Case.Sensitive, "the variable's value is not echoed");
    }

    [Fact]
    public void Load_EnvironmentReferenceAsTheWholeValue_IsSubstituted()
    {
        var config = Load(Production(emarsys: "keyFieldId: ${EMARSYS_HOST}"));

        config.Connector<EmarsysConfig>()!.KeyFieldId.ShouldBe("api.emarsys.net");
    }
}
