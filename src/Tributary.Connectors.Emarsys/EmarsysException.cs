using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Tributary.Core.Contracts;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Emarsys;

/// <summary>A failed Emarsys call, classified for the engine.</summary>
public sealed class EmarsysException : PlatformException
{
    /// <summary>The platform name carried by every Emarsys failure.</summary>
    public const string PlatformName = "emarsys";

    /// <summary>Creates the exception. The message must hold no secret; personal data in it is masked by the caller.</summary>
    public EmarsysException(FailureKind kind, string message, int? statusCode = null, int? replyCode = null, string? requestId = null,
        TimeSpan? retryAfter = null, Exception? inner = null)
        : base(PlatformName, kind, message, statusCode, replyCode?.ToString(CultureInfo.InvariantCulture), requestId, retryAfter, inner)
    {
        ReplyCode = replyCode;
    }

    /// <summary>The Emarsys <c>replyCode</c>, when the answer had an envelope.</summary>
    public int? ReplyCode { get; }
}

/// <summary>The one table from Emarsys statuses and reply codes to <see cref="FailureKind"/>.</summary>
public static partial class EmarsysErrors
{
    /// <summary>Wait after a 429 that names no reset time: the limit is per minute.</summary>
    public static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(60);

    /// <summary>Kind of a failed whole call.</summary>
    public static FailureKind ForCall(int status, int? replyCode) => (status, replyCode) switch
    {
        // The status decides first: a 429 is a rate limit whatever envelope it carries (a 429 has been answered with reply code
        // 2011, which on its own means a transient database error).
        (429, _) => FailureKind.RateLimited,
        (_, 2011) => FailureKind.Transient,
        (401, _) => FailureKind.Auth,
        (403, _) => FailureKind.Config,
        // "This feature has not been implemented yet": a wrong method or path, which retrying cannot fix.
        (501, _) => FailureKind.Config,
        (>= 500, _) => FailureKind.Transient,
        // A bad key_id fails every call alike: the configuration, not the records, must change.
        (400, 2004) => FailureKind.Config,
        // An event id that does not exist in the account: the EventIds mapping must change.
        (400, 5001) => FailureKind.Config,
        // A contact the single-record calls cannot find (the batch calls report it per item).
        (404, 2008) => FailureKind.NotFound,
        // Any other 404 means the path does not exist on that host: every call will fail alike until apiUrl is fixed, so it is
        // the configuration's to fix, not a record's to retry.
        (404, _) => FailureKind.Config,
        _ => FailureKind.Invalid,
    };

    /// <summary>
    /// Kind of a failed sales-data upload. Its error answers are undocumented plain text, so only the status counts: a bad token
    /// is Auth, an unknown merchant (404) or a refused call (403) is Config, 400 (header or row format) is Invalid.
    /// </summary>
    public static FailureKind ForUpload(int status) => status switch
    {
        401 => FailureKind.Auth,
        403 or 404 or 405 => FailureKind.Config,
        429 => FailureKind.RateLimited,
        >= 500 => FailureKind.Transient,
        _ => FailureKind.Invalid,
    };

    /// <summary>Kind of a per-item error reported inside a successful batch answer.</summary>
    public static FailureKind ForItem(string code) => code switch
    {
        "2008" => FailureKind.NotFound,
        "5001" => FailureKind.Config,
        "2011" => FailureKind.Transient,
        _ => FailureKind.Invalid, // 2004, 2005, 2007, 2009, 2010 and anything unknown: the record must change.
    };

    /// <summary>
    /// How long to wait after a 429: <c>Retry-After</c> when sent, else <c>X-Ratelimit-Reset</c> (epoch seconds) minus now,
    /// else <see cref="DefaultRateLimitWait"/>.
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

        if (EmarsysRateLimit.ReadReset(response) is { } reset)
        {
            return reset > now ? reset - now : TimeSpan.Zero;
        }

        return DefaultRateLimitWait;
    }

    /// <summary>
    /// The API base URL to use instead of <paramref name="configured"/> when a call answered 404: the client appends
    /// <c>api/v2/…</c> itself, so a base already ending in <c>/api</c> or <c>/api/v2</c> doubles the path. Null when the
    /// configured base has no such tail.
    /// </summary>
    public static string? SuggestApiUrl(Uri configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        return StripTail(configured, ["/api/v2", "/api"]);
    }

    /// <summary>
    /// The sales-data base URL to use instead of <paramref name="configured"/> after a 404: the client appends
    /// <c>hapi/merchant/{id}/sales-data/api</c>, so anything from <c>/hapi</c> on is already part of the path. Null when the
    /// configured base has no such part.
    /// </summary>
    public static string? SuggestSalesDataUrl(Uri configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var path = configured.AbsolutePath;
        var hapi = path.IndexOf("/hapi", StringComparison.OrdinalIgnoreCase);
        return hapi >= 0 ? configured.GetLeftPart(UriPartial.Authority) + path[..hapi].TrimEnd('/') : null;
    }

    /// <summary>The fix line for a base URL that answered 404: the corrected URL when it can be told, else the documented host.</summary>
    public static string UrlFix(string key, Uri configured, string? suggested, string documented) => suggested is not null
        ? $"set {key} (destinations.emarsys.{key} in the config) to {suggested}"
        : $"check {key} (destinations.emarsys.{key} in the config, now {configured.GetLeftPart(UriPartial.Path).TrimEnd('/')}): it names the host only, normally {documented}";

    private static string? StripTail(Uri configured, string[] tails)
    {
        var path = configured.AbsolutePath.TrimEnd('/');
        foreach (var tail in tails)
        {
            if (path.EndsWith(tail, StringComparison.OrdinalIgnoreCase))
            {
                return configured.GetLeftPart(UriPartial.Authority) + path[..^tail.Length].TrimEnd('/');
            }
        }

        return null;
    }

    /// <summary>Masks email addresses inside a platform message (Emarsys echoes key values such as emails).</summary>
    public static string MaskPersonalData(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : EmailPattern().Replace(text, m => Masking.Email(m.Value));

    internal static string Describe(HttpStatusCode status, int? replyCode, string? replyText)
    {
        var code = replyCode is { } c ? $" replyCode {c}" : string.Empty;
        var text = string.IsNullOrWhiteSpace(replyText) ? string.Empty : $": {MaskPersonalData(replyText)}";
        return $"Emarsys answered {(int)status}{code}{text}";
    }

    [GeneratedRegex(@"[^\s@:,;""'<>()\[\]]+@[^\s@:,;""'<>()\[\]]+")]
    private static partial Regex EmailPattern();
}
