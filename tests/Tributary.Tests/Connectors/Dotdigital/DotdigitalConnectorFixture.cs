using Tributary.Connectors.Dotdigital;
using Tributary.Sandbox;
using Tributary.Sandbox.Dotdigital;
using Tributary.Tests.Sandbox.Emarsys;

namespace Tributary.Tests.Connectors.Dotdigital;

/// <summary>The emulator on port 0 plus a destination (and its client) pointed at its bootstrap URL, sharing one hand-moved clock.</summary>
internal sealed class DotdigitalConnectorFixture : IAsyncDisposable
{
    private DotdigitalConnectorFixture(SandboxServer server, TestClock clock, DotdigitalDestination destination)
    {
        Server = server;
        Clock = clock;
        Destination = destination;
    }

    public SandboxServer Server { get; }

    public DotdigitalEmulator Emulator => Server.Dotdigital;

    public TestClock Clock { get; }

    public DotdigitalDestination Destination { get; }

    public DotdigitalClient Client => Destination.Client;

    /// <summary>Starts with the emulator's limits off (tests that need them turn them on) and no pause between import polls.</summary>
    public static async Task<DotdigitalConnectorFixture> StartAsync(Action<DotdigitalEmulatorOptions>? emulator = null,
        Action<DotdigitalClientOptions>? client = null, Action<DotdigitalDestinationOptions>? destination = null)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var sandbox = new SandboxOptions();
        sandbox.Dotdigital.LowTierPerMinute = 0;
        sandbox.Dotdigital.MediumTierPerMinute = 0;
        sandbox.Dotdigital.HighTierPerMinute = 0;
        emulator?.Invoke(sandbox.Dotdigital);
        var server = await SandboxServer.StartAsync(sandbox, clock, CancellationToken.None);
        var clientOptions = new DotdigitalClientOptions
        {
            BootstrapUrl = server.DotdigitalUrl,
            ApiUser = sandbox.Dotdigital.ApiUser,
            Password = sandbox.Dotdigital.Password,
            ImportPollInterval = TimeSpan.Zero,
        };
        client?.Invoke(clientOptions);
        // The hand-moved clock would hold a paced call forever: pacing is tested on its own (DotdigitalCallBudgetTests).
        var destinationOptions = new DotdigitalDestinationOptions { RequestsPerMinute = 0, AdaptToRateLimitHeaders = false };
        destination?.Invoke(destinationOptions);
        return new DotdigitalConnectorFixture(server, clock, DotdigitalDestination.Create(clientOptions, destinationOptions, clock));
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
