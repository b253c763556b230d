using Polly;
using Tributary.Connectors.Http;

namespace Tributary.Connectors.Centra;

public sealed partial class CentraClient
{
    /// <summary>The shared platform pipeline (<see cref="PlatformResilience"/>). Retried: 429 (and rate-limit GraphQL errors), 5xx, timeouts and connection errors. A Retry-After wins over the computed delay; the budget is paused until then as well, so the other callers of this client wait too.</summary>
    private static ResiliencePipeline BuildPipeline(CentraClientOptions options, TimeProvider time) =>
        PlatformResilience.Build(new PlatformRetryOptions(options.MaxRetries, options.RetryBaseDelay, options.MaxRetryDelay, options.RequestTimeout),
            time, e => e is CentraException c ? c.IsRetryable : null, e => e is CentraException { RetryAfter: { } after } ? after : null);
}
