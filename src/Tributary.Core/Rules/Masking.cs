namespace Tributary.Core.Rules;

/// <summary>Masks personal data before it reaches logs, traces or the dashboard.</summary>
public static class Masking
{
    /// <summary>"ann.lee@example.com" → "a***@example.com".</summary>
    public static string Email(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return string.Empty;
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? Text(email) : $"{email[0]}***{email[at..]}";
    }

    /// <summary>Keeps the first character of a personal value.</summary>
    public static string Text(string? value) => string.IsNullOrEmpty(value) ? string.Empty : $"{value[0]}***";
}
