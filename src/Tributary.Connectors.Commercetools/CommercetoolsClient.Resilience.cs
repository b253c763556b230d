using Polly;
using Tributary.Connectors.Http;

namespace Tributary.Connectors.Commercetools;

public sealed partial class CommercetoolsClient
{
    /// <summary>The shared platform pipeline (<see cref="PlatformResilience"/>). Retried: 429, 500, 502, 503, 504, timeouts and connection errors (the platform's guidance for 502/503 is exponential backoff). A Retry-After wins over the computed delay.</summary>
    private static ResiliencePipeline BuildPipeline(CommercetoolsClientOptions options, TimeProvider time) =>
        PlatformResilience.Build(new PlatformRetryOptions(options.MaxRetries, options.RetryBaseDelay, options.MaxRetryDelay, options.RequestTimeout),
            time, e => e is CommercetoolsException c ? c.IsRetryable : null, e => e is CommercetoolsException { RetryAfter: { } after } ? after : null);
}
