using Tributary.Core.Contracts;

namespace Tributary.Connectors.Commercetools;

/// <summary>A failed commercetools call, classified for the engine.</summary>
public sealed class CommercetoolsException : PlatformException
{
    /// <summary>Platform name used in the exception.</summary>
    public const string PlatformName = "commercetools";

    /// <summary>Creates the exception.</summary>
    public CommercetoolsException(FailureKind kind, string message, int? statusCode = null, string? platformCode = null,
        string? requestId = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(PlatformName, kind, message, statusCode, platformCode, requestId, retryAfter, inner)
    {
    }

    /// <summary>True when trying the same call again can succeed (5xx, 429; a 409 needs a re-read first).</summary>
    public bool IsRetryable => Kind == FailureKind.RateLimited || (Kind == FailureKind.Transient && StatusCode != 409);

    /// <summary>
    /// The one status → kind table of this connector. 400 from the token endpoint with an OAuth scope or grant error is
    /// configuration, not bad data.
    /// </summary>
    public static FailureKind Classify(int statusCode, string? platformCode = null) => statusCode switch
    {
        400 when platformCode is "invalid_scope" or "unsupported_grant_type" or "invalid_request" => FailureKind.Config,
        400 => FailureKind.Invalid,
        401 => FailureKind.Auth,
        403 => FailureKind.Config,
        404 => FailureKind.NotFound,
        409 => FailureKind.Transient,
        429 => FailureKind.RateLimited,
        >= 500 => FailureKind.Transient,
        _ => FailureKind.Invalid,
    };
}
