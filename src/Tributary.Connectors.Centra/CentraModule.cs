using System.Security.Cryptography;
using Tributary.Connectors.Centra;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;

[assembly: ConnectorModule(typeof(CentraModule))]

namespace Tributary.Connectors.Centra;

/// <summary>Centra as a source: the <c>source.centra</c> section, the source and the signed webhooks of the Centra Webhook plugin.</summary>
public sealed class CentraModule : ISourceModule
{
    // Centra's Integration API pages hold at most 200 records.
    private const int MaxPageSize = 200;

    /// <summary>The one instance (the module holds no state).</summary>
    public static readonly CentraModule Instance = new();

    /// <inheritdoc />
    public string Platform => CentraSource.SourceName;

    /// <inheritdoc />
    public string DisplayName => "Centra";

    /// <inheritdoc />
    public ConnectorRole Role => ConnectorRole.Source;

    /// <inheritdoc />
    public ConnectorConfig ReadConfig(IConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var s = section;
        var config = new CentraConfig
        {
            Url = s.Url("url") ?? throw s.Error("'source.centra.url' is missing", "add 'url:' with your Centra environment's address, e.g. https://shop.centra.com"),
            Token = s.RequiredString("token", "add 'token: ${CENTRA_TOKEN}' (an Integration API token) and set CENTRA_TOKEN in the environment", secret: true),
            ConsentField = s.String("consentField") ?? "newsletter",
            MobileField = s.String("mobileField") ?? CentraSourceOptions.DefaultMobileField,
            SmsConsentField = s.String("smsConsentField"),
            StatusMap = s.Map("statusMap") is { } statuses
                ? statuses.ToDictionary(kv => kv.Key, kv => s.Enum<OrderStatus>("statusMap", kv.Value), StringComparer.OrdinalIgnoreCase)
                : null,
            StockWarehouses = s.List("stockWarehouses"),
            RequestsPerWindow = s.Int("requestsPer10Seconds", 1, 10_000, 60),
            WebhookSecret = s.Has("webhookSecret") ? s.String("webhookSecret", secret: true) : null,
            ProductUrlTemplate = s.String("productUrlTemplate"),
        };
        s.RejectUnknownKeys();
        return config;
    }

    /// <inheritdoc />
    public ISourceConnector CreateSource(ConnectorConfig config, SourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var centra = (CentraConfig)config;
        var options = new CentraSourceOptions
        {
            ConsentField = centra.ConsentField, MobileField = centra.MobileField, SmsConsentField = centra.SmsConsentField,
            ProductUrlTemplate = centra.ProductUrlTemplate,
        };
        if (centra.StatusMap is not null)
        {
            options.StatusMap = new Dictionary<string, OrderStatus>(centra.StatusMap, StringComparer.OrdinalIgnoreCase);
        }

        if (centra.StockWarehouses is not null)
        {
            options.StockWarehouses = new HashSet<string>(centra.StockWarehouses, StringComparer.Ordinal);
        }

        return CentraSource.Create(
            new CentraClientOptions { BaseUrl = centra.Url, Token = centra.Token, RequestsPerWindow = centra.RequestsPerWindow, PageSize = Math.Min(MaxPageSize, context.PageSize) },
            options, context.Time);
    }

    /// <inheritdoc />
    public IWebhookReceiver? CreateWebhookReceiver(ConnectorConfig config, TimeProvider time) =>
        ((CentraConfig)config).WebhookSecret is { Length: > 0 } secret
            ? new CentraWebhookReceiver(new CentraWebhookVerifier(new CentraWebhookOptions { Secret = secret }, time))
            : null;
}

/// <summary>Centra webhooks at <c>/webhooks/centra</c>: the signature verified, one hint per changed record.</summary>
public sealed class CentraWebhookReceiver(CentraWebhookVerifier verifier) : IWebhookReceiver
{
    /// <inheritdoc />
    public WebhookOutcome Receive(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = verifier.Verify(request.Header(CentraWebhookVerifier.SignatureHeader) ?? string.Empty, request.Body.Span);
        if (!result.IsValid)
        {
            return WebhookOutcome.Refused(result.Status.ToString(), result.Status == CentraWebhookStatus.Malformed ? 400 : 401, result.Reason);
        }

        // The same change delivered twice carries the same body: the digest makes the second one a duplicate in the inbox.
        var digest = Convert.ToHexString(SHA256.HashData(request.Body.Span))[..16];
        return WebhookOutcome.Accepted(result.Hints.Where(h => h.Entity is not null)
            .Select(hint => new InboxMessage(0, $"centra:{hint.Type}:{hint.Action}:{hint.Id}:{digest}", CentraSource.SourceName, hint.Entity!.Value, hint.Id,
                request.ReceivedAt))
            .ToList());
    }
}
