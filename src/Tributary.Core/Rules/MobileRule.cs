using PhoneNumbers;

namespace Tributary.Core.Rules;

/// <summary>
/// Mobile numbers to E.164 (<c>+4915112345678</c>), validated against the numbering plan of their country. A number written
/// without a country code is read in the region given (the store's or market's country, or a configured default).
/// </summary>
public static class MobileRule
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Normalises a mobile number; false with a reason when it is missing or not a valid number. The reason never holds the
    /// number in full (personal data).
    /// </summary>
    /// <param name="raw">The number as the source holds it.</param>
    /// <param name="region">ISO 3166-1 alpha-2 region for numbers without a country code; null when none is known.</param>
    /// <param name="e164">The number in E.164 with its leading <c>+</c>.</param>
    /// <param name="reason">Why the number cannot be used.</param>
    public static bool TryNormalize(string? raw, string? region, out string e164, out string? reason)
    {
        e164 = string.Empty;
        if (string.IsNullOrWhiteSpace(raw))
        {
            reason = "no mobile number";
            return false;
        }

        var candidate = raw.Trim();
        // A leading 00 is the international prefix in most of the world; the parser only knows it when it knows the region.
        if (candidate.StartsWith("00", StringComparison.Ordinal))
        {
            candidate = "+" + candidate[2..];
        }

        var known = string.IsNullOrWhiteSpace(region) ? null : region.Trim().ToUpperInvariant();
        if (!candidate.StartsWith('+') && known is null)
        {
            reason = "the mobile number has no country code and no default region is configured";
            return false;
        }

        PhoneNumber parsed;
        try
        {
            parsed = Numbers.Parse(candidate, known ?? "ZZ");
        }
        catch (NumberParseException ex)
        {
            reason = $"not a phone number ({Describe(ex.ErrorType)})";
            return false;
        }

        if (!Numbers.IsValidNumber(parsed))
        {
            reason = $"not a valid phone number for region {Numbers.GetRegionCodeForNumber(parsed) ?? known ?? "unknown"}";
            return false;
        }

        // A landline cannot take SMS. Numbering plans where mobiles and fixed lines share ranges (the US, Canada) answer
        // FIXED_LINE_OR_MOBILE and are taken.
        var type = Numbers.GetNumberType(parsed);
        if (type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            reason = $"not a mobile number ({type.ToString().ToLowerInvariant().Replace('_', ' ')})";
            return false;
        }

        e164 = Numbers.Format(parsed, PhoneNumberFormat.E164);
        reason = null;
        return true;
    }

    /// <summary>
    /// A customer's mobile number in E.164, read in the customer's region (<see cref="MobileRegions.For"/>); false with a reason
    /// when there is none or it cannot be used. <paramref name="reason"/> is null when the customer simply has no number.
    /// </summary>
    public static bool TryNormalize(Model.Customer customer, MobileRegions regions, out string e164, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(regions);
        e164 = string.Empty;
        if (string.IsNullOrWhiteSpace(customer.Mobile))
        {
            reason = null;
            return false;
        }

        return TryNormalize(customer.Mobile, regions.For(customer), out e164, out reason);
    }

    /// <summary>A masked form of a number for traces: its country code and last two digits.</summary>
    public static string Mask(string? number)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            return string.Empty;
        }

        var digits = new string(number.Where(char.IsDigit).ToArray());
        return digits.Length <= 4 ? "***" : $"{(number.TrimStart().StartsWith('+') ? "+" : string.Empty)}{digits[..2]}***{digits[^2..]}";
    }

    private static string Describe(ErrorType type) => type switch
    {
        ErrorType.INVALID_COUNTRY_CODE => "unknown country code",
        ErrorType.NOT_A_NUMBER => "not a number",
        ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => "too short",
        ErrorType.TOO_LONG => "too long",
        _ => "unreadable",
    };
}
