using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Tributary.Connectors.Http;

/// <summary>Retry settings every platform client shares.</summary>
/// <param name="MaxRetries">Retries after the first attempt; 0 turns retrying off.</param>
/// <param name="BaseDelay">First backoff (exponential, with jitter).</param>
/// <param name="MaxDelay">Largest backoff, and the cap on a platform's Retry-After.</param>
/// <param name="AttemptTimeout">Timeout of each attempt.</param>
public sealed record PlatformRetryOptions(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan AttemptTimeout);

/// <summary>
/// The one resilience pipeline of the platform clients: retry outside, per-attempt timeout inside (each attempt gets the full
/// timeout). Connection errors and timeouts are always retried; a platform exception is retried when the connector says so;
/// a delay the connector names (a Retry-After, capped at the largest backoff) wins over the computed one.
/// </summary>
public static class PlatformResilience
{
    /// <summary>Builds the pipeline.</summary>
    /// <param name="options">Retry settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="isRetryable">For the connector's own exception type: whether it is worth another attempt.</param>
    /// <param name="delay">For the connector's own exception type: the delay the platform asked for, or null for the backoff.</param>
    public static ResiliencePipeline Build(PlatformRetryOptions options, TimeProvider time, Func<Exception, bool?> isRetryable,
        Func<Exception, TimeSpan?> delay)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
                {
                    null => false,
                    var e when isRetryable(e) is { } decided => decided,
                    HttpRequestException => true,
                    TimeoutRejectedException => true,
                    OperationCanceledException => !args.Context.CancellationToken.IsCancellationRequested,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is { } e && delay(e) is { } asked
                    ? (TimeSpan?)(asked < options.MaxDelay ? asked : options.MaxDelay)
                    : null),
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }
}
