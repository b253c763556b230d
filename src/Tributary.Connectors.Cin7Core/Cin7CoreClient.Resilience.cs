using Polly;
using Tributary.Connectors.Http;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Cin7Core;

public sealed partial class Cin7CoreClient
{
    /// <summary>The shared platform pipeline (<see cref="PlatformResilience"/>). Retried: rate-limited answers (at once: the budget was paused for RateLimitedWait, since Cin7 Core announces no reset time), 5xx other than 503, timeouts and connection errors. The budget is taken inside the retry, so every attempt spends a permit.</summary>
    private static ResiliencePipeline BuildPipeline(Cin7CoreClientOptions options, TimeProvider time) =>
        PlatformResilience.Build(new PlatformRetryOptions(options.MaxRetries, options.RetryBaseDelay, options.MaxRetryDelay, options.RequestTimeout),
            time, e => e is Cin7CoreException c ? c.IsRetryable : null, e => e is Cin7CoreException { Kind: FailureKind.RateLimited } ? TimeSpan.Zero : null);
}
