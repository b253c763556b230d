using Tributary.Core.Contracts;

namespace Tributary.Connectors.Cin7Core;

/// <summary>A failed Cin7 Core call, classified for the engine.</summary>
public sealed class Cin7CoreException : PlatformException
{
    /// <summary>Platform name used in the exception.</summary>
    public const string PlatformName = "cin7core";

    /// <summary>Creates the exception.</summary>
    public Cin7CoreException(FailureKind kind, string message, int? statusCode = null, string? platformCode = null,
        TimeSpan? retryAfter = null, Exception? inner = null)
        : base(PlatformName, kind, message, statusCode, platformCode, null, retryAfter, inner)
    {
    }

    /// <summary>True when trying the same call again can succeed.</summary>
    public bool IsRetryable => Kind is FailureKind.RateLimited or FailureKind.Transient;

    /// <summary>
    /// The one classification table of this connector. <paramref name="errorCode"/> is the <c>ErrorCode</c> of an
    /// <c>{ErrorCode, Exception}</c> body; it decides when the HTTP status is a success (errors inside 200) or when it names the
    /// rate limit itself.
    /// </summary>
    public static FailureKind Classify(int statusCode, int? errorCode = null)
    {
        var code = statusCode is >= 200 and < 300 && errorCode is not null ? errorCode.Value : statusCode;
        if (errorCode is 503 or 429)
        {
            code = errorCode.Value;
        }

        return code switch
        {
            // 503 is Cin7 Core's documented answer to "You reached 60 calls per minute API limit"; it is never read as an outage.
            503 or 429 => FailureKind.RateLimited,
            // Bad account id or application key: the documented answer is 403.
            401 or 403 => FailureKind.Auth,
            404 => FailureKind.NotFound,
            // Wrong method or endpoint shape: the connector and the account's API disagree.
            405 => FailureKind.Config,
            408 => FailureKind.Transient,
            // 500 is documented as "parse or internal error"; gateways add 502 and 504.
            >= 500 => FailureKind.Transient,
            // 400 is a validation error of the request's data.
            _ => FailureKind.Invalid,
        };
    }
}
