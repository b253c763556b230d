namespace Tributary.Connectors.Emarsys;

/// <summary>How to reach and sign in to the Emarsys Core API v2.</summary>
public sealed class EmarsysClientOptions
{
    /// <summary>The API host. Use <c>api.emarsys.net</c>: account hosts such as <c>suiteN.emarsys.net</c> omit the rate-limit headers.</summary>
    public const string DefaultApiUrl = "https://api.emarsys.net";

    /// <summary>Base URL; paths such as <c>api/v2/contact</c> are appended.</summary>
    public Uri ApiUrl { get; set; } = new(DefaultApiUrl);

    /// <summary>The API user (WSSE username).</summary>
    public string User { get; set; } = string.Empty;

    /// <summary>The API secret. Never logged, never part of an exception message.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>Time allowed for one request, answer included. 30 s leaves room for a 1000-contact batch at peak load.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws when a required setting is missing.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(User))
        {
            throw new ArgumentException("Emarsys User is empty: set the API user name (Management > Security Settings > API users).");
        }

        if (string.IsNullOrEmpty(Secret))
        {
            throw new ArgumentException("Emarsys Secret is empty: set the API secret of the API user.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Emarsys RequestTimeout must be positive.");
        }
    }
}
