using Tributary.Core.Model;

namespace Tributary.Core.Rules;

/// <summary>
/// Consent comes from the customer record only. A missing value is Unknown, never Subscribed; booleans and common
/// spellings map to Subscribed or Unsubscribed; anything else is Unknown.
/// </summary>
public static class ConsentRule
{
    private static readonly HashSet<string> Yes = new(StringComparer.OrdinalIgnoreCase) { "true", "1", "yes", "y", "subscribed", "opted_in", "optin", "opt-in" };
    private static readonly HashSet<string> No = new(StringComparer.OrdinalIgnoreCase) { "false", "0", "no", "n", "unsubscribed", "opted_out", "optout", "opt-out" };

    /// <summary>Reads a consent value from a source field.</summary>
    public static ConsentStatus FromSourceValue(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return ConsentStatus.Unknown;
        }

        var v = value.Trim();
        if (Yes.Contains(v))
        {
            return ConsentStatus.Subscribed;
        }

        return No.Contains(v) ? ConsentStatus.Unsubscribed : ConsentStatus.Unknown;
    }
}
