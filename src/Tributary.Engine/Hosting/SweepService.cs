using Microsoft.Extensions.Hosting;

namespace Tributary.Engine.Hosting;

/// <summary>The sweep lane (sweeps with their heals) as a hosted service.</summary>
public sealed class SweepService(SweepScheduler scheduler) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first sweep may take hours (a backfill): the host's start must not wait for it.
        await Task.Yield();
        await scheduler.RunAsync(stoppingToken);
    }
}
