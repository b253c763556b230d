using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Commercetools;

/// <summary>Registration of the commercetools source.</summary>
public static class CommercetoolsServiceCollectionExtensions
{
    /// <summary>Name of the HttpClient registered with <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "commercetools";

    /// <summary>
    /// Registers <see cref="CommercetoolsClient"/>, <see cref="CommercetoolsSource"/> and it as an <see cref="ISourceConnector"/>.
    /// The client is a singleton (it owns the token cache), so its handler lives as long and recycles connections itself.
    /// </summary>
    public static IServiceCollection AddCommercetools(this IServiceCollection services, CommercetoolsClientOptions clientOptions,
        CommercetoolsSourceOptions? sourceOptions = null)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(Tributary.Connectors.Http.PlatformHttp.CreatePrimaryHandler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => new CommercetoolsClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), clientOptions, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new CommercetoolsSource(sp.GetRequiredService<CommercetoolsClient>(), sourceOptions ?? new CommercetoolsSourceOptions()));
        services.AddSingleton<ISourceConnector>(sp => sp.GetRequiredService<CommercetoolsSource>());
        return services;
    }
}
