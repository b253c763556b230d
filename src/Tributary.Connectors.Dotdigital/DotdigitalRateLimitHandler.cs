namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// Draws every HTTP request (writes, imports, status polls, discovery) from the account's <see cref="DotdigitalCallBudget"/>
/// before it is sent, and lets the budget learn from the answer's <c>X-RateLimit-*</c> headers and 429s.
/// </summary>
public sealed class DotdigitalRateLimitHandler : DelegatingHandler
{
    private readonly DotdigitalCallBudget _budget;

    /// <summary>Creates the handler over the shared budget.</summary>
    public DotdigitalRateLimitHandler(DotdigitalCallBudget budget) => _budget = budget;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var tier = DotdigitalCallBudget.TierOf(request.Method, request.RequestUri);
        await _budget.AcquireAsync(tier, cancellationToken);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
            return response;
        }
        finally
        {
            _budget.Observe(tier, response);
        }
    }
}
