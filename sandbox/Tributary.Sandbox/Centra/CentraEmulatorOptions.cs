namespace Tributary.Sandbox.Centra;

/// <summary>How the emulator writes <c>Retry-After</c>: Centra's docs say it "points at a timestamp" without naming the form.</summary>
public enum RetryAfterFormat
{
    /// <summary>An HTTP-date (RFC 1123).</summary>
    HttpDate,
    /// <summary>Unix epoch seconds.</summary>
    EpochSeconds,
    /// <summary>Delta seconds.</summary>
    Seconds,
}

/// <summary>Settings of the Centra emulator. Defaults follow the published Integration API behaviour.</summary>
public sealed class CentraEmulatorOptions
{
    /// <summary>The Integration API token the emulator accepts (bearer header or <c>graphql-access</c> cookie).</summary>
    public string Token { get; set; } = "sandbox-centra-token";

    /// <summary>Requests per <see cref="RateWindow"/>; 0 turns the limiter off. The default ("Growth") plan allows 60 per 10 s.</summary>
    public int RequestsPerWindow { get; set; } = 60;

    /// <summary>The short rate window (Centra reports it as <c>TEN_SECONDS</c>).</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests per hour reported by <c>rateLimits</c> (Growth plan: 5 000).</summary>
    public int RequestsPerHour { get; set; } = 5000;

    /// <summary>Form of <c>Retry-After</c> on a 429.</summary>
    public RetryAfterFormat RetryAfterFormat { get; set; } = RetryAfterFormat.HttpDate;

    /// <summary>Largest <c>limit</c> accepted (the documented range of nested lists is 1..200).</summary>
    public int MaxLimit { get; set; } = 200;

    /// <summary>
    /// Permissions of the token (<c>Customer:read</c>, <c>Order:read</c>, <c>Product:read</c>, <c>Warehouse.stock:read</c>,
    /// <c>Store:read</c>, <c>Market:read</c>). A query needing one it lacks gets Centra's authorization error inside HTTP 200.
    /// </summary>
    public ISet<string> Permissions { get; set; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Customer:read", "Order:read", "Product:read", "Warehouse.stock:read", "Store:read", "Market:read",
    };

    /// <summary>The endpoint secret of the Centra Webhook plugin, used by <see cref="CentraEmulator.SendWebhookAsync"/>.</summary>
    public string WebhookSecret { get; set; } = "sandbox-webhook-secret";
}
