using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Host.Composition;
using Tributary.Host.Server;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Host;

[EndToEnd]
public sealed class HostServerTests
{
    [Fact]
    public async Task StartAsync_AddressTaken_SaysSoAndNamesTheAddress()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        await using var runtime = await PipelineFactory.CreateAsync(h.Config(), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)squatter.LocalEndpoint).Port}";

        var error = await Should.ThrowAsync<AddressInUseException>(() =>
            HostServer.StartAsync(url, runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None));

        error.Url.ShouldBe(url);
        error.Message.ShouldContain("already in use");
    }
}
