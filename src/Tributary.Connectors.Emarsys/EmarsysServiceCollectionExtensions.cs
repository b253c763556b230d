using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Emarsys;

/// <summary>Registration of the Emarsys destination.</summary>
public static class EmarsysServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="EmarsysClient"/> (a typed client from IHttpClientFactory, signed by <see cref="EmarsysWsseHandler"/>),
    /// <see cref="EmarsysDestination"/> and it as an <see cref="IDestinationConnector"/>. Uses the registered
    /// <see cref="TimeProvider"/>, or the system clock when none is.
    /// </summary>
    public static IHttpClientBuilder AddEmarsys(this IServiceCollection services, Action<EmarsysClientOptions> configureClient,
        Action<EmarsysDestinationOptions>? configureDestination = null)
    {
        var clientOptions = new EmarsysClientOptions();
        configureClient(clientOptions);
        clientOptions.Validate();
        var destinationOptions = new EmarsysDestinationOptions();
        configureDestination?.Invoke(destinationOptions);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(clientOptions);
        services.AddSingleton(destinationOptions);
        services.AddTransient<EmarsysWsseHandler>();
        services.AddTransient<EmarsysDestination>();
        services.AddTransient<IDestinationConnector>(sp => sp.GetRequiredService<EmarsysDestination>());
        return services.AddHttpClient<EmarsysClient>().AddHttpMessageHandler<EmarsysWsseHandler>();
    }
}
