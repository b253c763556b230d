using System.Globalization;
using System.Net.Http.Headers;

namespace Tributary.Connectors.Centra.Api;

/// <summary>
/// Centra's docs say Retry-After "points at a timestamp" without naming the form, so every form is read: delta seconds,
/// an HTTP-date, or Unix epoch seconds.
/// </summary>
public static class RetryAfter
{
    /// <summary>Values at or above this are epoch seconds, not a delta (a delta of 31 years is not a real answer).</summary>
    private const long EpochThreshold = 1_000_000_000;

    /// <summary>The wait a response announces, measured from <paramref name="now"/>; null when there is no usable header.</summary>
    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (!headers.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        return Parse(values.FirstOrDefault(), headers.Date ?? now);
    }

    /// <summary>Parses one header value against the server's (or the local) clock; never negative.</summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= EpochThreshold
                ? NonNegative(DateTimeOffset.FromUnixTimeSeconds(number) - now)
                : TimeSpan.FromSeconds(number);
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
        {
            return NonNegative(date - now);
        }

        return null;
    }

    private static TimeSpan NonNegative(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;
}
