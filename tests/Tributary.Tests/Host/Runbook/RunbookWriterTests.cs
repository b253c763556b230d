using Tributary.Host.Configuration;
using Tributary.Host.Runbook;

namespace Tributary.Tests.Host.Runbook;

[Unit]
public sealed class RunbookWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-runbook-").FullName;

    private static readonly Dictionary<string, string> Env = new()
    {
        ["CTP_CLIENT_ID"] = "client",
        ["CTP_CLIENT_SECRET"] = "ct-s3cret",
        ["EMARSYS_USER"] = "user",
        ["EMARSYS_SECRET"] = "e-s3cret",
        ["DD_USER"] = "api@example.com",
        ["DD_PASSWORD"] = "dd-s3cret",
        ["ALERT_WEBHOOK"] = "https://hooks.example.com/services/T0/B0/tok3n",
        ["SMTP_PASSWORD"] = "smtp-s3cret",
    };

    private const string Yaml = """
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
            merchantId: shop
            salesDataToken: ${EMARSYS_SECRET}
            eventIds:
              OrderPlaced: "1001"
              ShipmentDispatched: "1003"
          dotdigital:
            user: ${DD_USER}
            password: ${DD_PASSWORD}
            programs:
              ShipmentDispatched: 77
              BackInStock: 78
        sync:
          entities: [customers, orders]
          interval: 10m
          orders:
            channels: [dtc]
            eventHorizon: 48h
        alerts:
          webhook: ${ALERT_WEBHOOK}
          freshness: 2h
          failureRatePercent: 25
          email:
            host: smtp.example.com
            user: alerts
            password: ${SMTP_PASSWORD}
            from: tributary@example.com
            to: [ops@example.com]
        reconcile:
          interval: 12h
          samplePercent: 20
        """;

    private TributaryConfig Load(string yaml)
    {
        var path = Path.Combine(_dir, "shop-eu.yaml");
        File.WriteAllText(path, yaml);
        return ConfigLoader.Load(path, n => Env.GetValueOrDefault(n));
    }

    [Fact]
    public void Write_FullConfig_DescribesFlowsJourneysStatesAlertsAndCommands()
    {
        var markdown = RunbookWriter.Write(Load(Yaml));

        markdown.ShouldStartWith("# Operations manual: shop-eu");
        markdown.ShouldContain("Tributary reads **commercetools** and keeps **SAP Emarsys** and **Dotdigital** in step with it.");
        markdown.ShouldContain("| orders | SAP Emarsys | Smart Insight sales data");
        markdown.ShouldContain("changes are picked up every 10 minutes");
        markdown.ShouldContain("| when this happens in commercetools | Emarsys external event | Dotdigital program |");
        markdown.ShouldContain("| a parcel leaves the warehouse (each shipment) | event 1003 | program 77 |");
        markdown.ShouldContain("| a sold-out product is back in stock | — | program 78 |");
        markdown.ShouldContain("older than 2 days");
        markdown.ShouldContain("`./tributary replay --config shop-eu.yaml --lane dead`");
        markdown.ShouldContain("| **quarantined** |");
        markdown.ShouldContain("nothing delivered for 2 hours while changes wait");
        markdown.ShouldContain("25 % or more of the sends failed");
        markdown.ShouldContain("email to ops@example.com");
        markdown.ShouldContain("every 12 hours");
        foreach (var secret in Env.Values.Where(v => v.Contains("s3cret", StringComparison.Ordinal) || v.Contains("tok3n", StringComparison.Ordinal)))
        {
            markdown.ShouldNotContain(secret);
        }
    }

    [Fact]
    public void Write_NoJourneysNoAlerts_SaysSoInsteadOfAnEmptyTable()
    {
        var lines = Yaml[..Yaml.IndexOf("alerts:", StringComparison.Ordinal)].Split('\n').ToList();
        var dotdigital = lines.FindIndex(l => l.Trim() == "dotdigital:");
        lines.RemoveRange(dotdigital, lines.FindIndex(l => l.StartsWith("sync:", StringComparison.Ordinal)) - dotdigital);
        lines.RemoveAll(l => l.Contains("eventIds", StringComparison.Ordinal) || l.Contains("\"100", StringComparison.Ordinal));
        var yaml = string.Join('\n', lines);

        var markdown = RunbookWriter.Write(Load(yaml));

        markdown.ShouldContain("No event is mapped to a journey");
        markdown.ShouldContain("No alerts are configured");
        markdown.ShouldContain("every day");
        markdown.ShouldNotContain("Dotdigital program");
    }

    [Fact]
    public void Load_AlertsAndReconcile_ReadsThresholdsAndChannels()
    {
        var config = Load(Yaml);

        config.Alerts!.Webhook!.Host.ShouldBe("hooks.example.com");
        config.Alerts.Rules.Freshness.ShouldBe(TimeSpan.FromHours(2));
        config.Alerts.Rules.FailureRate.ShouldBe(0.25);
        config.Alerts.Email!.Password.ShouldBe("smtp-s3cret");
        config.Alerts.Email.Port.ShouldBe(587);
        config.Reconcile.Interval.ShouldBe(TimeSpan.FromHours(12));
        config.Reconcile.SampleShare.ShouldBe(0.2);
    }

    [Fact]
    public void Load_WebhookWrittenIntoTheFile_RefusedAsASecret()
    {
        var ex = Should.Throw<ConfigException>(() => Load(Yaml.Replace("${ALERT_WEBHOOK}", "https://hooks.example.com/x", StringComparison.Ordinal)));

        ex.Problem.ShouldContain("alerts.webhook");
        ex.Problem.ShouldNotContain("hooks.example.com");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
