namespace Tributary.Connectors.Commercetools;

/// <summary>How to reach one commercetools project.</summary>
public sealed class CommercetoolsClientOptions
{
    /// <summary>The platform's page size maximum (<c>limit</c> 0..500 in the paging trait).</summary>
    public const int MaxPageSize = 500;

    /// <summary>Per-attempt timeout: long enough for a 500-record page on a busy project, short enough to retry a hung call.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a transient failure; with exponential backoff from 1 s this spans about a minute.</summary>
    public const int DefaultMaxRetries = 5;

    /// <summary>API host, e.g. <c>https://api.europe-west1.gcp.commercetools.com</c> (the region decides the host).</summary>
    public Uri ApiUrl { get; set; } = new("https://api.europe-west1.gcp.commercetools.com");

    /// <summary>Auth host, e.g. <c>https://auth.europe-west1.gcp.commercetools.com</c>; the token endpoint is <c>/oauth/token</c> below it.</summary>
    public Uri AuthUrl { get; set; } = new("https://auth.europe-west1.gcp.commercetools.com");

    /// <summary>The project key (not its display name).</summary>
    public string ProjectKey { get; set; } = string.Empty;

    /// <summary>API client id.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>API client secret. Never logged.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>
    /// Scopes to request, e.g. <c>view_customers</c>; the <c>:projectKey</c> suffix is added when missing. Empty requests none,
    /// and the token then carries every scope of the API client.
    /// </summary>
    public IList<string> Scopes { get; set; } = [];

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>Retries of transient failures (5xx, 429, timeouts, connection errors).</summary>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>Records per page, capped at <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; set; } = MaxPageSize;

    /// <summary>First retry delay; later ones double, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries, including a Retry-After the platform announces.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of a token's lifetime after which it is renewed (the platform's guidance is to renew before expiry).</summary>
    public double TokenRefreshRatio { get; set; } = 0.8;

    /// <summary>The page size actually used.</summary>
    public int EffectivePageSize => Math.Clamp(PageSize, 1, MaxPageSize);

    /// <summary>Scopes to request, each with the project suffix.</summary>
    public IEnumerable<string> QualifiedScopes =>
        Scopes.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Contains(':', StringComparison.Ordinal) ? s.Trim() : $"{s.Trim()}:{ProjectKey}");
}
