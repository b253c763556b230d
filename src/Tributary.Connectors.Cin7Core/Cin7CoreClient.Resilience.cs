using Polly;
using Polly.Retry;
using Polly.Timeout;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Cin7Core;

public sealed partial class Cin7CoreClient
{
    /// <summary>
    /// Retry outside, per-attempt timeout inside. Retried: rate-limited answers (after <see cref="Cin7CoreClientOptions.RateLimitedWait"/>,
    /// since Cin7 Core announces no reset time), 5xx other than 503, timeouts and connection errors (exponential backoff with
    /// jitter). The budget is taken inside the retry, so every attempt spends a permit.
    /// </summary>
    private static ResiliencePipeline BuildPipeline(Cin7CoreClientOptions options, TimeProvider time)
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
                    Cin7CoreException e => e.IsRetryable,
                    HttpRequestException => true,
                    TimeoutRejectedException => true,
                    OperationCanceledException => !args.Context.CancellationToken.IsCancellationRequested,
                    _ => false,
                }),
                // The budget is paused for the same span, so waiting here costs no extra time and never ends early.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is Cin7CoreException { Kind: FailureKind.RateLimited }
                    ? (TimeSpan?)TimeSpan.Zero
                    : null),
            });
        }

        return builder.AddTimeout(options.RequestTimeout).Build();
    }
}
