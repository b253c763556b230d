using System.Net.Http.Headers;
using System.Text;

namespace Tributary.Connectors.Dotdigital;

/// <summary>Adds HTTP Basic auth with the API user (and the partner token when configured) to every attempt.</summary>
public sealed class DotdigitalAuthHandler : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _basic;
    private readonly string? _integrationToken;

    /// <summary>Creates the handler.</summary>
    public DotdigitalAuthHandler(DotdigitalClientOptions options)
    {
        _basic = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ApiUser}:{options.Password}")));
        _integrationToken = options.IntegrationToken;
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _basic;
        if (!string.IsNullOrEmpty(_integrationToken))
        {
            request.Headers.TryAddWithoutValidation("x-ddg-integration-token", _integrationToken);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
