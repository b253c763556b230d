using Tributary.Engine.Alerts;

namespace Tributary.Host.Configuration;

/// <summary>The <c>alerts:</c> section: rule thresholds and the channels notices go to.</summary>
public sealed class AlertsConfig
{
    /// <summary>Slack-compatible incoming webhook (a secret: it carries the token); null: no webhook.</summary>
    public Uri? Webhook { get; init; }

    /// <summary>Email channel; null: no email.</summary>
    public SmtpAlertOptions? Email { get; init; }

    /// <summary>Rule thresholds.</summary>
    public AlertOptions Rules { get; init; } = new();

    /// <summary>How often the rules are evaluated in <c>run</c>.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>The <c>reconcile:</c> section.</summary>
public sealed class ReconcileConfig
{
    /// <summary>Time between scheduled reconciliations in <c>run</c>; null: only on demand.</summary>
    public TimeSpan? Interval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Share of records whose fields are compared (0–1).</summary>
    public double SampleShare { get; init; } = 1.0;

    /// <summary>Whether a scheduled reconciliation also repairs what it found.</summary>
    public bool Repair { get; init; }
}

/// <summary>The <c>consent:</c> section.</summary>
public sealed class ConsentConfig
{
    /// <summary>
    /// Time between pull-backs of the destinations' opt-outs in <c>run</c> (<c>consent.pullBack</c>, default 1 h); null: only in
    /// <c>reconcile</c>.
    /// </summary>
    public TimeSpan? PullBack { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How a customer deleted at the source is erased at the destinations (<c>consent.erasure</c>): <c>anonymise</c> (default),
    /// <c>delete</c>, or <c>off</c> (null) to leave the destinations alone.
    /// </summary>
    public Tributary.Core.Model.ErasureMode? Erasure { get; init; } = Tributary.Core.Model.ErasureMode.Anonymise;
}

/// <summary>The <c>telemetry:</c> section: where traces and metrics are exported over OTLP (Prometheus scrapes /metrics regardless).</summary>
public sealed class TelemetryConfig
{
    public const string HttpProtobuf = "http/protobuf";
    public const string Grpc = "grpc";

    /// <summary>The OpenTelemetry collector's address (<c>telemetry.otlp.endpoint</c>); null: OTEL_EXPORTER_OTLP_ENDPOINT, or no export.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary><c>http/protobuf</c> (port 4318, the signal's path is added) or <c>grpc</c> (port 4317).</summary>
    public string OtlpProtocol { get; init; } = HttpProtobuf;

    /// <summary>How often metrics are pushed (<c>telemetry.otlp.interval</c>); the SDK's default.</summary>
    public TimeSpan OtlpInterval { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>Reads the alerts and reconcile sections.</summary>
internal static class OpsConfigReader
{
    public static AlertsConfig ReadAlerts(YamlSection s)
    {
        Uri? webhook = null;
        if (s.Has("webhook"))
        {
            var raw = s.String("webhook", secret: true);
            if (!Uri.TryCreate(raw, UriKind.Absolute, out webhook) || (webhook.Scheme != Uri.UriSchemeHttps && webhook.Scheme != Uri.UriSchemeHttp))
            {
                throw s.Error("'alerts.webhook' is not an http(s) address", "set the environment variable it names to the incoming webhook URL of your chat channel");
            }
        }

        var email = s.Section("email") is { } e ? ReadEmail(e) : null;
        var defaults = new AlertOptions();
        var config = new AlertsConfig
        {
            Webhook = webhook,
            Email = email,
            Interval = s.Duration("interval") ?? TimeSpan.FromMinutes(1),
            Rules = new AlertOptions
            {
                Freshness = s.Duration("freshness") ?? defaults.Freshness,
                Window = s.Duration("window") ?? defaults.Window,
                FailureRate = s.Int("failureRatePercent", 1, 100, (int)(defaults.FailureRate * 100)) / 100.0,
                MinOutcomes = s.Int("minOutcomes", 1, 1_000_000, (int)defaults.MinOutcomes),
                LaneGrowth = s.Int("laneGrowth", 1, 10_000_000, (int)defaults.LaneGrowth),
                BudgetThrottles = s.Int("budgetThrottles", 1, 1_000_000, (int)defaults.BudgetThrottles),
            },
        };
        s.RejectUnknownKeys();
        if (config.Webhook is null && config.Email is null)
        {
            throw s.Error("'alerts' names no channel", "add 'webhook: ${ALERT_WEBHOOK_URL}' and/or an 'email:' section with host, from and to");
        }

        return config;
    }

    private static SmtpAlertOptions ReadEmail(YamlSection s)
    {
        var options = new SmtpAlertOptions
        {
            Host = s.RequiredString("host", "add 'host:' with your mail server, e.g. smtp.example.com"),
            Port = s.Int("port", 1, 65_535, SmtpAlertOptions.DefaultPort),
            UseTls = s.Bool("tls") ?? true,
            User = s.String("user"),
            Password = s.Has("password") ? s.String("password", secret: true) : null,
            From = s.RequiredString("from", "add 'from:' with the sender address, e.g. tributary@example.com"),
            To = s.List("to") is { Count: > 0 } to ? to : throw s.Error("'alerts.email.to' names nobody", "add 'to: [ops@example.com]'"),
        };
        s.RejectUnknownKeys();
        return options;
    }

    public static TelemetryConfig ReadTelemetry(YamlSection s)
    {
        var otlp = s.Section("otlp");
        var protocol = otlp?.String("protocol") ?? TelemetryConfig.HttpProtobuf;
        if (protocol is not (TelemetryConfig.HttpProtobuf or TelemetryConfig.Grpc))
        {
            throw otlp!.Error($"'telemetry.otlp.protocol' must be http/protobuf or grpc, not '{protocol}'",
                "write 'protocol: http/protobuf' (a collector on port 4318) or 'protocol: grpc' (port 4317)");
        }

        var config = new TelemetryConfig
        {
            OtlpEndpoint = otlp?.Url("endpoint"),
            OtlpProtocol = protocol,
            OtlpInterval = otlp?.Duration("interval") ?? TimeSpan.FromSeconds(60),
        };
        if (config.OtlpInterval < TimeSpan.FromSeconds(1))
        {
            throw otlp!.Error("'telemetry.otlp.interval' is shorter than a second", "write 'interval: 60s' (or at least 1s)");
        }

        otlp?.RejectUnknownKeys();
        s.RejectUnknownKeys();
        return config;
    }

    public static ConsentConfig ReadConsent(YamlSection s)
    {
        var schedule = s.String("pullBack");
        TimeSpan? every = schedule is "off" or "never" ? null : s.Duration("pullBack") ?? TimeSpan.FromHours(1);
        if (every < TimeSpan.FromMinutes(1))
        {
            throw s.Error("'consent.pullBack' is shorter than a minute; each pull-back reads every delivered contact's opt-in from Emarsys",
                "write 'pullBack: 1h' (the default), at least '1m', or 'off' to pull back only in `reconcile`");
        }

        var erasure = s.String("erasure") switch
        {
            null or "anonymise" or "anonymize" => Tributary.Core.Model.ErasureMode.Anonymise,
            "delete" => Tributary.Core.Model.ErasureMode.Delete,
            "off" or "never" => (Tributary.Core.Model.ErasureMode?)null,
            var other => throw s.Error($"'consent.erasure' is '{other}'",
                "write 'erasure: anonymise' (the default: unsubscribed, personal fields blanked), 'delete', or 'off'"),
        };
        s.RejectUnknownKeys();
        return new ConsentConfig { PullBack = every, Erasure = erasure };
    }

    public static ReconcileConfig ReadReconcile(YamlSection s)
    {
        var schedule = s.String("interval");
        var config = new ReconcileConfig
        {
            Interval = schedule is "off" or "never" ? null : s.Duration("interval") ?? TimeSpan.FromHours(24),
            SampleShare = s.Int("samplePercent", 1, 100, 100) / 100.0,
            Repair = s.Bool("repair") ?? false,
        };
        s.RejectUnknownKeys();
        return config;
    }
}
