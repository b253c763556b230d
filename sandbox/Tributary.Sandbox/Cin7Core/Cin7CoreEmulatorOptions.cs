namespace Tributary.Sandbox.Cin7Core;

/// <summary>Settings of the Cin7 Core emulator. Defaults follow the published External API v2 behaviour.</summary>
public sealed class Cin7CoreEmulatorOptions
{
    /// <summary>The account id the emulator accepts (header <c>api-auth-accountid</c>).</summary>
    public string AccountId { get; set; } = "6f0c2a55-3d4e-4c1b-9a57-000000000001";

    /// <summary>The application key the emulator accepts (header <c>api-auth-applicationkey</c>).</summary>
    public string ApplicationKey { get; set; } = "sandbox-cin7core-application-key";

    /// <summary>Calls accepted in any 60-second span; 0 turns the limiter off. Cin7 Core allows 60 per minute per API application.</summary>
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Status of the rate-limit answer: 503 is documented; some accounts see 429 for the same condition.</summary>
    public int RateLimitStatus { get; set; } = 503;

    /// <summary>Largest <c>Limit</c> accepted (documented maximum 1000); larger answers 400.</summary>
    public int MaxLimit { get; set; } = 1000;

    /// <summary><c>Limit</c> when none is given (documented default 100).</summary>
    public int DefaultLimit { get; set; } = 100;

    /// <summary>The account's company name (<c>GET /me</c>).</summary>
    public string Company { get; set; } = "Sandbox Trading Ltd";

    /// <summary>The account's base currency (<c>GET /me</c>).</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>Failed attempts after which a webhook is deactivated (documented: 6).</summary>
    public int WebhookMaxAttempts { get; set; } = 6;
}
