using System.Net.Mail;

namespace Tributary.Core.Rules;

/// <summary>Email normalisation and validation: trimmed, lower-case, one @, a dotted domain.</summary>
public static class EmailRule
{
    /// <summary>Normalises an email; returns false with a reason when it is missing or invalid.</summary>
    public static bool TryNormalize(string? raw, out string normalized, out string? reason)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(raw))
        {
            reason = "no email address";
            return false;
        }

        var candidate = raw.Trim().ToLowerInvariant();
        reason = Problem(candidate);
        if (reason is not null)
        {
            reason = $"invalid email address '{Masking.Email(candidate)}': {reason}";
            return false;
        }

        normalized = candidate;
        return true;
    }

    private static string? Problem(string candidate)
    {
        var at = candidate.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return "no @";
        }

        if (at != candidate.LastIndexOf('@'))
        {
            return "more than one @";
        }

        if (at == 0 || at == candidate.Length - 1)
        {
            return "nothing before or after the @";
        }

        if (candidate.Any(char.IsWhiteSpace))
        {
            return "contains a space";
        }

        if (candidate.Contains("..", StringComparison.Ordinal))
        {
            return "two dots in a row";
        }

        if (candidate.Length > 254)
        {
            return "longer than 254 characters";
        }

        var domain = candidate[(at + 1)..];
        if (!domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.'))
        {
            return "the domain after the @ is incomplete";
        }

        return MailAddress.TryCreate(candidate, out var parsed) && parsed.Address == candidate ? null : "not a valid address";
    }
}
