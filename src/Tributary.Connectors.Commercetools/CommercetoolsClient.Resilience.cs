using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Tributary.Connectors.Commercetools;

public sealed partial class CommercetoolsClient
{
    /// <summary>
    /// Retry outside, per-attempt timeout inside, so each attempt gets the full timeout. Retried: 429, 500, 502, 503, 504,
    /// timeouts and connection errors (the platform's guidance for 502/503 is exponential backoff). A Retry-After wins over
    /// the computed delay, capped at <see cref="CommercetoolsClientOptions.MaxRetryDelay"/>.
    /// </summary>
    private static ResiliencePipeline BuildPipeline(CommercetoolsClientOptions options, TimeProvider time)
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
                    CommercetoolsException e => e.IsRetryable,
                    HttpRequestException => true,
                    TimeoutRejectedException => true,
                    OperationCanceledException => !args.Context.CancellationToken.IsCancellationRequested,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is CommercetoolsException { RetryAfter: { } after }
                    ? (TimeSpan?)(after < options.MaxRetryDelay ? after : options.MaxRetryDelay)
                    : null),
            });
        }

        return builder.AddTimeout(options.RequestTimeout).Build();
    }
}
