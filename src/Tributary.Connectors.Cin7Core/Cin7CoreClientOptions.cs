namespace Tributary.Connectors.Cin7Core;

/// <summary>How to reach one Cin7 Core (formerly DEAR Inventory) account through the External API v2.</summary>
public sealed class Cin7CoreClientOptions
{
    /// <summary>Largest <c>Limit</c> the API accepts (Page/Limit paging, max 1000).</summary>
    public const int MaxPageLimit = 1000;

    /// <summary>Calls per minute per API application, answered with 503 (sometimes 429) beyond it.</summary>
    public const int PublishedRequestsPerMinute = 60;

    /// <summary>
    /// Per-attempt timeout: a 1000-row page of sales or products with attachments is the slowest call the connector makes.
    /// </summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a transient or rate-limited failure; with the one-minute wait after a 503 this spans about five minutes.</summary>
    public const int DefaultMaxRetries = 5;

    /// <summary>The API base, e.g. <c>https://inventory.dearsystems.com/ExternalApi/v2/</c>; may carry a path prefix (the sandbox uses one).</summary>
    public Uri BaseUrl { get; set; } = new("https://inventory.dearsystems.com/ExternalApi/v2/");

    /// <summary>The account id (header <c>api-auth-accountid</c>). Never logged.</summary>
    public string AccountId { get; set; } = string.Empty;

    /// <summary>The API application key (header <c>api-auth-applicationkey</c>). Never logged.</summary>
    public string ApplicationKey { get; set; } = string.Empty;

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>Retries of transient and rate-limited failures.</summary>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>First retry delay of a transient failure; later ones double, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries of a transient failure.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait after a rate-limited answer. Cin7 Core sends no Retry-After; its limit is per minute, so a full minute
    /// is the wait that is sure to start a fresh window. The budget pauses for this long too, so every caller waits.
    /// </summary>
    public TimeSpan RateLimitedWait { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The account's limit (60 per minute per API application).</summary>
    public int RequestsPerMinute { get; set; } = PublishedRequestsPerMinute;

    /// <summary>
    /// Share of <see cref="RequestsPerMinute"/> this client spends. Requests are paced evenly (one permit at a time, no burst),
    /// and a little room absorbs network jitter that would otherwise let 61 calls land in one server-side minute.
    /// </summary>
    public double RateHeadroom { get; set; } = 0.95;

    /// <summary>Permits the budget may hand out at once after an idle spell; 1 keeps any 60-second window within the limit.</summary>
    public int RateBurst { get; set; } = 1;

    /// <summary><c>Limit</c> of every list call; calls are the scarce resource, so the maximum is the default.</summary>
    public int PageLimit { get; set; } = MaxPageLimit;

    /// <summary>
    /// Path of the availability endpoint. The v2 blueprint writes <c>ref/productavailability</c>; a help-centre article writes
    /// <c>ProductAvailability</c> (whether both work is unconfirmed), hence configurable.
    /// </summary>
    public string AvailabilityPath { get; set; } = "ref/productavailability";

    /// <summary>
    /// Subtracted from the lower bound of a modified-since filter. Whether Cin7 Core's filter is inclusive is unconfirmed; asking
    /// a little earlier and filtering the exact window on our side loses nothing either way.
    /// </summary>
    public TimeSpan FilterSlack { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The <c>Limit</c> actually sent.</summary>
    public int EffectivePageLimit => Math.Clamp(PageLimit, 1, MaxPageLimit);

    /// <summary>The pace of the client-side budget, in calls per minute.</summary>
    public int EffectiveRequestsPerMinute => RequestsPerMinute <= 0
        ? 0
        : Math.Max(1, (int)Math.Floor(RequestsPerMinute * Math.Clamp(RateHeadroom, 0.1, 1.0)));
}
