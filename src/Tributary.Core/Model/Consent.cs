namespace Tributary.Core.Model;

/// <summary>Marketing consent for one channel. <see cref="Unknown"/> is never treated as an opt-in.</summary>
public enum ConsentStatus
{
    /// <summary>The source holds no explicit answer: not marketable.</summary>
    Unknown,
    /// <summary>Explicitly opted in.</summary>
    Subscribed,
    /// <summary>Explicitly opted out.</summary>
    Unsubscribed,
}

/// <summary>Consent for one channel with its provenance.</summary>
/// <param name="Status">The consent state.</param>
/// <param name="Source">Where it was read (platform and field), for the audit trail.</param>
/// <param name="At">When it was given or withdrawn, when the source knows.</param>
public sealed record Consent(ConsentStatus Status, string? Source = null, DateTimeOffset? At = null)
{
    /// <summary>No answer from the source.</summary>
    public static Consent Unknown { get; } = new(ConsentStatus.Unknown);
}

/// <summary>Well-known consent channel names.</summary>
public static class ConsentChannels
{
    /// <summary>Email marketing.</summary>
    public const string Email = "email";
    /// <summary>SMS marketing.</summary>
    public const string Sms = "sms";
}
