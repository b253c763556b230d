using System.Security.Cryptography;
using Tributary.Connectors.Cin7Core;
using Tributary.Core.Contracts;
using Tributary.Core.Modules;

[assembly: ConnectorModule(typeof(Cin7CoreModule))]

namespace Tributary.Connectors.Cin7Core;

/// <summary>Cin7 Core as a source: the <c>source.cin7core</c> section, the source and its webhooks (authenticated by a header key).</summary>
public sealed class Cin7CoreModule : ISourceModule
{
    /// <summary>The one instance (the module holds no state).</summary>
    public static readonly Cin7CoreModule Instance = new();

    /// <inheritdoc />
    public string Platform => Cin7CoreSource.SourceName;

    /// <inheritdoc />
    public string DisplayName => "Cin7 Core";

    /// <inheritdoc />
    public ConnectorRole Role => ConnectorRole.Source;

    /// <inheritdoc />
    public ConnectorConfig ReadConfig(IConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var s = section;
        var config = new Cin7CoreConfig
        {
            Url = s.Url("url") ?? new Uri("https://inventory.dearsystems.com/ExternalApi/v2/"),
            AccountId = s.RequiredString("accountId", "add 'accountId: ${CIN7_ACCOUNT_ID}' (Integrations > API in Cin7 Core) and set it in the environment"),
            ApplicationKey = s.RequiredString("applicationKey", "add 'applicationKey: ${CIN7_APPLICATION_KEY}' and set it in the environment", secret: true),
            ConsentField = s.String("consentField"),
            SmsConsentField = s.String("smsConsentField"),
            NonSellableLocations = s.List("nonSellableLocations") ?? [],
            WholesaleLocations = s.List("wholesaleLocations") ?? [],
            SafetyStock = s.Int("safetyStock", 0, 1_000_000, 0),
            WebhookKey = s.Has("webhookKey") ? s.String("webhookKey", secret: true) : null,
            RequestsPerMinute = s.Int("requestsPerMinute", 1, 10_000, 60),
        };
        s.RejectUnknownKeys();
        return config;
    }

    /// <inheritdoc />
    public ISourceConnector CreateSource(ConnectorConfig config, SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cin7 = (Cin7CoreConfig)config;
        var options = new Cin7CoreSourceOptions
        {
            ConsentField = cin7.ConsentField,
            SmsConsentField = cin7.SmsConsentField,
            NonSellableLocations = new HashSet<string>(cin7.NonSellableLocations, StringComparer.OrdinalIgnoreCase),
            WholesaleLocations = new HashSet<string>(cin7.WholesaleLocations, StringComparer.OrdinalIgnoreCase),
            SafetyStock = cin7.SafetyStock,
        };
        return Cin7CoreSource.Create(new Cin7CoreClientOptions { BaseUrl = cin7.Url, AccountId = cin7.AccountId, ApplicationKey = cin7.ApplicationKey,
                RequestsPerMinute = cin7.RequestsPerMinute },
            options, context.Time);
    }

    /// <inheritdoc />
    public IWebhookReceiver? CreateWebhookReceiver(ConnectorConfig config, TimeProvider time) =>
        ((Cin7CoreConfig)config).WebhookKey is { Length: > 0 } key
            ? new Cin7CoreWebhookReceiver(new Cin7CoreWebhookAuthenticator(new Cin7CoreWebhookOptions { Secret = key }))
            : null;
}

/// <summary>Cin7 Core webhooks at <c>/webhooks/cin7core</c>: the header key checked, one hint per record the event names.</summary>
public sealed class Cin7CoreWebhookReceiver(Cin7CoreWebhookAuthenticator authenticator) : IWebhookReceiver
{
    /// <inheritdoc />
    public WebhookOutcome Receive(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = authenticator.Authenticate(request.Header, request.Body.Span);
        if (result.Status != Cin7CoreWebhookStatus.Valid)
        {
            return WebhookOutcome.Refused(result.Status.ToString(), 401, result.Reason);
        }

        // Cin7 Core deactivates a webhook after repeated failures: answer at once, the sweep covers any gap.
        var digest = Convert.ToHexString(SHA256.HashData(request.Body.Span))[..16];
        return WebhookOutcome.Accepted(result.Hints.Where(h => h.Entity is not null && h.Id is not null)
            .Select(hint => new InboxMessage(0, $"cin7core:{hint.EventType}:{hint.Id}:{digest}", Cin7CoreSource.SourceName, hint.Entity!.Value, hint.Id!,
                request.ReceivedAt))
            .ToList());
    }
}
