using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Cin7Core;

/// <summary>Registration of the Cin7Core source.</summary>
public static class Cin7CoreServiceCollectionExtensions
{
    /// <summary>Name of the HttpClient registered with <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "cin7core";

    /// <summary>
    /// Registers <see cref="Cin7CoreClient"/>, <see cref="Cin7CoreSource"/> and it as an <see cref="ISourceConnector"/>. The client
    /// is a singleton because it owns the request budget that every caller must share (Cin7 Core limits calls per API application).
    /// </summary>
    public static IServiceCollection AddCin7Core(this IServiceCollection services, Cin7CoreClientOptions clientOptions,
        Cin7CoreSourceOptions? sourceOptions = null)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(Tributary.Connectors.Http.PlatformHttp.CreatePrimaryHandler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => new Cin7CoreClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), clientOptions, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Cin7CoreSource(sp.GetRequiredService<Cin7CoreClient>(), sourceOptions ?? new Cin7CoreSourceOptions()));
        services.AddSingleton<ISourceConnector>(sp => sp.GetRequiredService<Cin7CoreSource>());
        return services;
    }
}
