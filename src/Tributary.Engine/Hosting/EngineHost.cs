using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tributary.Engine.Hosting;

/// <summary>Runs the engine's hosted services (sweeps, the real-time lane, reconciliation, alerts) until cancelled.</summary>
public static class EngineHost
{
    /// <summary>Starts <paramref name="services"/> in one host and stops them all when <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task RunAsync(IEnumerable<IHostedService> services, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(loggers);
        // The command line owns Ctrl+C and cancels the token: the host must not install handlers of its own.
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        foreach (var service in services)
        {
            builder.Services.AddSingleton(service);
        }

        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await host.StopAsync(CancellationToken.None);
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
