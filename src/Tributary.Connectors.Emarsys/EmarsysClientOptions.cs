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

    /// <summary>The sales-data (Smart Insight / Predict) upload host.</summary>
    public const string DefaultSalesDataUrl = "https://admin.scarabresearch.com";

    /// <summary>Base URL of the sales-data upload; <c>hapi/merchant/{MerchantId}/sales-data/api</c> is appended.</summary>
    public Uri SalesDataUrl { get; set; } = new(DefaultSalesDataUrl);

    /// <summary>
    /// The merchant id of the sales-data upload (Management &gt; Predict Data Sources &gt; Sales Data &gt; "Show API upload
    /// details"). Empty: sales data is not sent.
    /// </summary>
    public string MerchantId { get; set; } = string.Empty;

    /// <summary>The static bearer token of the sales-data upload (shown beside the merchant id). Never logged.</summary>
    public string SalesDataToken { get; set; } = string.Empty;

    /// <summary>Gzip sales-data uploads (<c>Content-Encoding: gzip</c>, as Emarsys's own plugin sends them). On by default.</summary>
    public bool GzipSalesData { get; set; } = true;

    /// <summary>True when both the merchant id and the sales-data token are set.</summary>
    public bool SalesDataConfigured => !string.IsNullOrWhiteSpace(MerchantId) && !string.IsNullOrWhiteSpace(SalesDataToken);

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
