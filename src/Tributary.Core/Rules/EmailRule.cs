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
        var at = candidate.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != candidate.LastIndexOf('@') || at == candidate.Length - 1
            || candidate.Contains(' ', StringComparison.Ordinal) || candidate.Contains("..", StringComparison.Ordinal))
        {
            reason = $"invalid email address '{Masking.Email(candidate)}'";
            return false;
        }

        var domain = candidate[(at + 1)..];
        if (!domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.') || candidate.Length > 254
            || !MailAddress.TryCreate(candidate, out var parsed) || parsed.Address != candidate)
        {
            reason = $"invalid email address '{Masking.Email(candidate)}'";
            return false;
        }

        normalized = candidate;
        reason = null;
        return true;
    }
}
