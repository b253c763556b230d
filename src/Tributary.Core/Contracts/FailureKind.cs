namespace Tributary.Core.Contracts;

/// <summary>How a failure is handled. Every platform's status and error codes map to one of these in one table per connector.</summary>
public enum FailureKind
{
    /// <summary>5xx, timeouts, connection errors: retried with backoff.</summary>
    Transient,
    /// <summary>429 (or a platform's equivalent such as Cin7 Core's 503): retried after the reset time.</summary>
    RateLimited,
    /// <summary>The record itself is invalid: quarantined with its reason, never retried as is.</summary>
    Invalid,
    /// <summary>Credentials are wrong or expired: the pipeline stops and says what to fix.</summary>
    Auth,
    /// <summary>The configuration is wrong (unknown field id, missing permission): the pipeline stops and says what to fix.</summary>
    Config,
    /// <summary>The thing addressed does not exist.</summary>
    NotFound,
}

/// <summary>Base of every connector's HTTP-layer exception: carries what the engine needs to classify a failure.</summary>
public class PlatformException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlatformException(string platform, FailureKind kind, string message, int? statusCode = null, string? platformCode = null,
        string? requestId = null, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(message, inner)
    {
        Platform = platform;
        Kind = kind;
        StatusCode = statusCode;
        PlatformCode = platformCode;
        RequestId = requestId;
        RetryAfter = retryAfter;
    }

    /// <summary>The platform that answered ("commercetools", "emarsys").</summary>
    public string Platform { get; }

    /// <summary>How to handle it.</summary>
    public FailureKind Kind { get; }

    /// <summary>HTTP status code, when there was an answer.</summary>
    public int? StatusCode { get; }

    /// <summary>The platform's own error code (Emarsys replyCode, commercetools errors[].code).</summary>
    public string? PlatformCode { get; }

    /// <summary>The platform's request id, for support tickets.</summary>
    public string? RequestId { get; }

    /// <summary>How long the platform asked us to wait (Retry-After or a rate-limit reset header).</summary>
    public TimeSpan? RetryAfter { get; }
}
