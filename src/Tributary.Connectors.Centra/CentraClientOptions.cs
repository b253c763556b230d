namespace Tributary.Connectors.Centra;

/// <summary>How to reach one Centra environment through the Integration API (GraphQL).</summary>
public sealed class CentraClientOptions
{
    /// <summary>
    /// Largest <c>limit</c> sent. Nested lists document 1..200; the top-level maximum is unconfirmed, so the default page size
    /// stays at 100 (the size used in Centra's own examples).
    /// </summary>
    public const int MaxPageSize = 200;

    /// <summary>Default page size: Centra's examples page by 100.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>Requests per window of the default ("Growth") plan: 60 per 10 s, shared by every integration of the tenant.</summary>
    public const int DefaultRequestsPerWindow = 60;

    /// <summary>Per-attempt timeout: a 100-record order page with lines and shipments is the slowest call.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a transient failure; with exponential backoff from 1 s this spans about a minute.</summary>
    public const int DefaultMaxRetries = 5;

    /// <summary>The environment's base URL, e.g. <c>https://shop.centra.com</c>; the endpoint is <c>/graphql</c> below it.</summary>
    public Uri BaseUrl { get; set; } = new("https://example.centra.com");

    /// <summary>Integration API token (AMS → System → API Tokens). Never logged.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>Retries of transient failures (5xx, 429, timeouts, connection errors).</summary>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>First retry delay; later ones double, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries, including a Retry-After the platform announces.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Records per page, capped at <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; set; } = DefaultPageSize;

    /// <summary>Requests allowed per <see cref="RateWindow"/> when the account's quota has not been read (DESIGN §7).</summary>
    public int RequestsPerWindow { get; set; } = DefaultRequestsPerWindow;

    /// <summary>The window of <see cref="RequestsPerWindow"/>: Centra's short bucket is ten seconds.</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Share of the quota this client uses, leaving room for the tenant's other integrations and clock drift.</summary>
    public double RateHeadroom { get; set; } = 0.9;

    /// <summary>Read <c>rateLimits</c> before the first call and size the bucket from the account's real request quota.</summary>
    public bool ReadRateLimits { get; set; } = true;

    /// <summary>
    /// Name of the modification-time filter of customers and orders (<c>where: {updatedAt: {from, to}}</c>). Centra confirms
    /// <c>updatedAt</c> filtering for products only; for customers and orders it is unconfirmed, hence configurable.
    /// </summary>
    public string ModifiedFilterField { get; set; } = "updatedAt";

    /// <summary>The page size actually used.</summary>
    public int EffectivePageSize => Math.Clamp(PageSize, 1, MaxPageSize);

    /// <summary>The GraphQL endpoint.</summary>
    public Uri GraphQlUrl => new($"{BaseUrl.AbsoluteUri.TrimEnd('/')}/graphql");
}
