namespace Tributary.Connectors.Dotdigital;

/// <summary>How to reach and sign in to the Dotdigital API.</summary>
public sealed class DotdigitalClientOptions
{
    /// <summary>
    /// Where region discovery starts. Dotdigital answers <c>GET /v2/account-info</c> on r1 for every account, whatever its region.
    /// </summary>
    public const string DefaultBootstrapUrl = "https://r1-api.dotdigital.com";

    /// <summary>Base URL that <c>/v2/account-info</c> is called on to discover the account's <c>ApiEndpoint</c>.</summary>
    public Uri BootstrapUrl { get; set; } = new(DefaultBootstrapUrl);

    /// <summary>
    /// The account's API endpoint (r1, r2 or r3). Null (the default) discovers it; set it only to skip discovery, for example
    /// behind a proxy. Calls on the wrong region fail.
    /// </summary>
    public Uri? ApiEndpoint { get; set; }

    /// <summary>The API user (an email such as <c>apiuser-…@apiconnector.com</c>, Settings &gt; Access &gt; API users).</summary>
    public string ApiUser { get; set; } = string.Empty;

    /// <summary>The API user's password. Never logged, never part of an exception message.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>Optional <c>x-ddg-integration-token</c> of a verified partner integration.</summary>
    public string? IntegrationToken { get; set; }

    /// <summary>
    /// Time allowed for one request, answer included. Dotdigital's own call timeout is said to be 121 s (unconfirmed); 60 s leaves
    /// room for a large import body without holding a delivery slot for minutes.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause between import status polls. Dotdigital recommends polling every 5–30 s.</summary>
    public TimeSpan ImportPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an import may stay unfinished before the call is given up as transient (the engine retries it).</summary>
    public TimeSpan ImportTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws when a required setting is missing.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApiUser))
        {
            throw new ArgumentException("Dotdigital ApiUser is empty: set the API user (Settings > Access > API users).");
        }

        if (string.IsNullOrEmpty(Password))
        {
            throw new ArgumentException("Dotdigital Password is empty: set the API user's password.");
        }

        if (RequestTimeout <= TimeSpan.Zero || ImportTimeout <= TimeSpan.Zero || ImportPollInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("Dotdigital RequestTimeout and ImportTimeout must be positive, ImportPollInterval not negative.");
        }
    }
}
