using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Centra;

/// <summary>Registration of the Centra source.</summary>
public static class CentraServiceCollectionExtensions
{
    /// <summary>Name of the HttpClient registered with <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "centra";

    /// <summary>
    /// Registers <see cref="CentraClient"/>, <see cref="CentraSource"/> and it as an <see cref="ISourceConnector"/>. The client
    /// is a singleton because it owns the request budget that every caller must share (Centra's quota is per environment).
    /// </summary>
    public static IServiceCollection AddCentra(this IServiceCollection services, CentraClientOptions clientOptions,
        CentraSourceOptions? sourceOptions = null)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(Tributary.Connectors.Http.PlatformHttp.CreatePrimaryHandler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => new CentraClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), clientOptions, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new CentraSource(sp.GetRequiredService<CentraClient>(), sourceOptions ?? new CentraSourceOptions()));
        services.AddSingleton<ISourceConnector>(sp => sp.GetRequiredService<CentraSource>());
        return services;
    }
}
