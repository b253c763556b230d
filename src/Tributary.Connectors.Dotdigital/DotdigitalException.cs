using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Tributary.Core.Contracts;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Dotdigital;

/// <summary>A failed Dotdigital call, classified for the engine.</summary>
public sealed class DotdigitalException : PlatformException
{
    /// <summary>The platform name carried by every Dotdigital failure.</summary>
    public const string PlatformName = "dotdigital";

    /// <summary>Creates the exception. The message must hold no secret; personal data in it is masked by the caller.</summary>
    public DotdigitalException(FailureKind kind, string message, int? statusCode = null, string? errorCode = null, string? requestId = null,
        TimeSpan? retryAfter = null, Exception? inner = null)
        : base(PlatformName, kind, message, statusCode, errorCode, requestId, retryAfter, inner)
    {
    }
}

/// <summary>The one table from Dotdigital statuses and error codes to <see cref="FailureKind"/>.</summary>
public static partial class DotdigitalErrors
{
    /// <summary>Wait after a 429 that names no reset time: the tiers count per minute.</summary>
    public static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(60);

    /// <summary>Wait after the program enrolment allowance (20 calls an hour per account) is spent.</summary>
    public static readonly TimeSpan EnrolmentAllowanceWait = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A reset header above this is a Unix epoch second, below it a number of seconds: the official SDK documents seconds, a
    /// third-party summary an epoch, so both are read.
    /// </summary>
    public const long EpochThreshold = 1_000_000_000;

    /// <summary>Kind of a failed whole call. <paramref name="code"/> is the v3 <c>errorCode</c> or the v2 <c>ERROR_…</c> token.</summary>
    public static FailureKind ForCall(int status, string? code) => (status, code) switch
    {
        (_, "ERROR_ENROLMENT_ALLOWANCE_EXCEEDED") => FailureKind.RateLimited,
        (_, "contacts:tooManyActiveImports") => FailureKind.RateLimited,
        (_, "ERROR_FEATURENOTACTIVE") => FailureKind.Config,
        (_, "ERROR_PROGRAM_NOT_FOUND" or "ERROR_ADDRESSBOOK_NOT_FOUND") => FailureKind.Config,
        (401, _) => FailureKind.Auth,
        (403, _) => FailureKind.Config,
        (429, _) => FailureKind.RateLimited,
        // 422 ERROR_PROGRAM_NOT_ACTIVE: a person must activate the program; the records are fine.
        (422, _) => FailureKind.Config,
        (408, _) => FailureKind.Transient,
        (>= 500, _) => FailureKind.Transient,
        (404, _) => FailureKind.NotFound,
        _ => FailureKind.Invalid,
    };

    /// <summary>Kind of a per-record failure reported by an import status or a single-record call.</summary>
    public static FailureKind ForItem(string? code) => code switch
    {
        "contactNotFound" or "contacts:contactNotFound" or "insightData:contactNotFound" => FailureKind.NotFound,
        "ContactEmailDoesNotExist" or "ContactIdDoesNotExist" or "ContactPhoneNumberDoesNotExist"
            or "ContactCustomIdentifierValueDoesNotExist" or "ERROR_CONTACT_NOT_FOUND" => FailureKind.NotFound,
        "Unknown" => FailureKind.Transient,
        _ => FailureKind.Invalid, // invalidEmail, duplicateIdentifier, JsonValueIncompatibleWithSchema…: the record must change.
    };

    /// <summary>
    /// How long to wait after a 429: <c>Retry-After</c> when sent, else <c>X-RateLimit-Reset</c> (seconds or epoch), else
    /// <see cref="DefaultRateLimitWait"/>.
    /// </summary>
    public static TimeSpan RateLimitWait(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter.Date is { } date)
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        return DotdigitalRateLimit.ReadReset(response.Headers, now) is { } reset
            ? (reset > now ? reset - now : TimeSpan.Zero)
            : DefaultRateLimitWait;
    }

    /// <summary>Reads a reset header value: above <see cref="EpochThreshold"/> an epoch second, otherwise seconds from now.</summary>
    public static DateTimeOffset ResetTime(long value, DateTimeOffset now) =>
        value > EpochThreshold ? DateTimeOffset.FromUnixTimeSeconds(value) : now.AddSeconds(Math.Max(0, value));

    /// <summary>The <c>ERROR_…</c> token of a v2 message ("Error: ERROR_PROGRAM_NOT_ACTIVE"), or null.</summary>
    public static string? V2Code(string? message) =>
        string.IsNullOrEmpty(message) ? null : V2CodePattern().Match(message) is { Success: true } m ? m.Value : null;

    /// <summary>Masks email addresses inside a platform message (Dotdigital echoes identifier values such as emails).</summary>
    public static string MaskPersonalData(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : EmailPattern().Replace(text, m => Masking.Email(m.Value));

    [GeneratedRegex(@"ERROR_[A-Z_]+")]
    private static partial Regex V2CodePattern();

    [GeneratedRegex(@"[^\s@:,;""'<>()\[\]]+@[^\s@:,;""'<>()\[\]]+")]
    private static partial Regex EmailPattern();
}

/// <summary>The last rate-limit headers seen.</summary>
/// <param name="Limit">Calls allowed per window in the tier.</param>
/// <param name="Remaining">Calls left.</param>
/// <param name="ResetAt">When the window resets.</param>
/// <param name="Scope">Which tier counted the call (<c>lowCallRate</c>…).</param>
/// <param name="ObservedAt">When the answer arrived.</param>
public sealed record DotdigitalRateLimit(int? Limit, int? Remaining, DateTimeOffset? ResetAt, string? Scope, DateTimeOffset ObservedAt)
{
    internal static DotdigitalRateLimit? Read(HttpResponseMessage response, DateTimeOffset now)
    {
        var headers = response.Headers;
        var limit = ReadLong(headers, "X-RateLimit-Limit");
        var remaining = ReadLong(headers, "X-RateLimit-Remaining");
        var reset = ReadReset(headers, now);
        var scope = headers.TryGetValues("X-RateLimit-Scope", out var values) ? values.FirstOrDefault() : null;
        return limit is null && remaining is null && reset is null
            ? null
            : new DotdigitalRateLimit((int?)limit, (int?)remaining, reset, scope, now);
    }

    internal static DateTimeOffset? ReadReset(HttpResponseHeaders headers, DateTimeOffset now) =>
        ReadLong(headers, "X-RateLimit-Reset") is { } value ? DotdigitalErrors.ResetTime(value, now) : null;

    // Header lookups are case-insensitive.
    private static long? ReadLong(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
        && v is >= int.MinValue and <= long.MaxValue ? v : null;
}
