using Tributary.Core.Contracts;

namespace Tributary.Connectors.Centra;

/// <summary>A failed Centra call (an HTTP error or a GraphQL error inside HTTP 200), classified for the engine.</summary>
public sealed class CentraException : PlatformException
{
    /// <summary>Platform name used in the exception.</summary>
    public const string PlatformName = "centra";

    /// <summary>Creates the exception.</summary>
    public CentraException(FailureKind kind, string message, int? statusCode = null, string? platformCode = null,
        string? requestId = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(PlatformName, kind, message, statusCode, platformCode, requestId, retryAfter, inner)
    {
    }

    /// <summary>True when trying the same call again can succeed.</summary>
    public bool IsRetryable => Kind is FailureKind.RateLimited or FailureKind.Transient;

    /// <summary>
    /// The one classification table of this connector. <paramref name="category"/> is <c>errors[].extensions.category</c> of a
    /// GraphQL error (HTTP 200); without one the HTTP status decides.
    /// </summary>
    public static FailureKind Classify(int statusCode, string? category = null) => category?.ToLowerInvariant() switch
    {
        "authentication" or "unauthenticated" => FailureKind.Auth,
        // A missing permission ("You need Order:read permission…") is fixed in the token's permission set, not by retrying.
        "authorization" or "permission" or "forbidden" => FailureKind.Config,
        // An invalid query means client and schema disagree: configuration (or a version mismatch), never bad data.
        "graphql" or "validation" or "syntax" or "bad-request" => FailureKind.Config,
        "rate-limit" or "ratelimit" or "too-many-requests" => FailureKind.RateLimited,
        "not-found" or "notfound" => FailureKind.NotFound,
        "internal" or "server" => FailureKind.Transient,
        "user" or "input" => FailureKind.Invalid,
        not null => FailureKind.Config,
        null => statusCode switch
        {
            401 => FailureKind.Auth,
            403 => FailureKind.Config,
            404 => FailureKind.NotFound,
            408 => FailureKind.Transient,
            429 => FailureKind.RateLimited,
            >= 500 => FailureKind.Transient,
            200 => FailureKind.Config,
            _ => FailureKind.Invalid,
        },
    };
}
