using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Dotdigital;

/// <summary>Registration of the Dotdigital destination.</summary>
public static class DotdigitalServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DotdigitalClient"/> (a typed client from IHttpClientFactory, authenticated by
    /// <see cref="DotdigitalAuthHandler"/>), <see cref="DotdigitalDestination"/> as a singleton (it remembers contact ids) and it as an
    /// <see cref="IDestinationConnector"/>. Uses the registered <see cref="TimeProvider"/> (or the system clock) and the registered
    /// <see cref="ISyncStore"/> when there is one.
    /// </summary>
    public static IHttpClientBuilder AddDotdigital(this IServiceCollection services, Action<DotdigitalClientOptions> configureClient,
        Action<DotdigitalDestinationOptions>? configureDestination = null)
    {
        var clientOptions = new DotdigitalClientOptions();
        configureClient(clientOptions);
        clientOptions.Validate();
        var destinationOptions = new DotdigitalDestinationOptions();
        configureDestination?.Invoke(destinationOptions);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(clientOptions);
        services.AddSingleton(destinationOptions);
        services.AddTransient<DotdigitalAuthHandler>();
        services.AddSingleton(sp => DotdigitalDestination.NewCallBudget(destinationOptions, sp.GetRequiredService<TimeProvider>()));
        services.AddTransient<DotdigitalRateLimitHandler>();
        services.AddSingleton(sp => new DotdigitalDestination(sp.GetRequiredService<DotdigitalClient>(), destinationOptions,
            sp.GetRequiredService<TimeProvider>(), sp.GetService<ISyncStore>()));
        services.AddSingleton<IDestinationConnector>(sp => sp.GetRequiredService<DotdigitalDestination>());
        return services.AddHttpClient(nameof(DotdigitalClient))
            .AddHttpMessageHandler<DotdigitalAuthHandler>()
            .AddHttpMessageHandler<DotdigitalRateLimitHandler>()
            .AddTypedClient((http, sp) => new DotdigitalClient(http, clientOptions, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<DotdigitalCallBudget>()));
    }
}
