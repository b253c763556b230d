using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Tributary.Connectors.Centra;

public sealed partial class CentraClient
{
    /// <summary>
    /// Retry outside, per-attempt timeout inside. Retried: 429 (and rate-limit GraphQL errors), 5xx, timeouts and connection
    /// errors. A Retry-After wins over the computed delay, capped at <see cref="CentraClientOptions.MaxRetryDelay"/>; the budget
    /// is paused until then as well, so the other callers of this client wait too.
    /// </summary>
    private static ResiliencePipeline BuildPipeline(CentraClientOptions options, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception switch
                {
                    CentraException e => e.IsRetryable,
                    HttpRequestException => true,
                    TimeoutRejectedException => true,
                    OperationCanceledException => !args.Context.CancellationToken.IsCancellationRequested,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is CentraException { RetryAfter: { } after }
                    ? (TimeSpan?)(after < options.MaxRetryDelay ? after : options.MaxRetryDelay)
                    : null),
            });
        }

        return builder.AddTimeout(options.RequestTimeout).Build();
    }
}
