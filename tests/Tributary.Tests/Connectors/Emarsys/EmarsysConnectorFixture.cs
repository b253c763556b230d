using Tributary.Connectors.Emarsys;
using Tributary.Sandbox;
using Tributary.Sandbox.Emarsys;
using Tributary.Tests.Sandbox.Emarsys;

namespace Tributary.Tests.Connectors.Emarsys;

/// <summary>The emulator on port 0 plus a destination (and its client) pointed at it, sharing one hand-moved clock.</summary>
internal sealed class EmarsysConnectorFixture : IAsyncDisposable
{
    private EmarsysConnectorFixture(SandboxServer server, TestClock clock, EmarsysDestination destination)
    {
        Server = server;
        Clock = clock;
        Destination = destination;
    }

    public SandboxServer Server { get; }

    public EmarsysEmulator Emulator => Server.Emarsys;

    public TestClock Clock { get; }

    public EmarsysDestination Destination { get; }

    public EmarsysClient Client => Destination.Client;

    public static async Task<EmarsysConnectorFixture> StartAsync(Action<EmarsysEmulatorOptions>? emulator = null,
        Action<EmarsysClientOptions>? client = null, Action<EmarsysDestinationOptions>? destination = null,
        Tributary.Core.Modules.IDeliveredStateReader? delivered = null)
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero), ClockMode.Wall);
        var sandbox = new SandboxOptions();
        sandbox.Emarsys.RequestsPerMinute = 0;
        emulator?.Invoke(sandbox.Emarsys);
        var server = await SandboxServer.StartAsync(sandbox, clock, CancellationToken.None);
        var clientOptions = new EmarsysClientOptions
        {
            ApiUrl = server.EmarsysUrl, User = sandbox.Emarsys.User, Secret = sandbox.Emarsys.Secret,
            SalesDataUrl = server.EmarsysUrl, MerchantId = sandbox.Emarsys.MerchantId, SalesDataToken = sandbox.Emarsys.SalesDataToken,
        };
        client?.Invoke(clientOptions);
        var destinationOptions = new EmarsysDestinationOptions();
        destination?.Invoke(destinationOptions);
        return new EmarsysConnectorFixture(server, clock, EmarsysDestination.Create(clientOptions, destinationOptions, clock, delivered: delivered));
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
