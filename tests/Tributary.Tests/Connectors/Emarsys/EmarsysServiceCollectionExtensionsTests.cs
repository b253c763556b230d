using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Sandbox;
using Tributary.Tests.Sandbox.Emarsys;

namespace Tributary.Tests.Connectors.Emarsys;

[Connector]
public class EmarsysServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddEmarsys_Resolved_SignsRequestsThroughTheFactoryClient()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var sandbox = new SandboxOptions();
        await using var server = await SandboxServer.StartAsync(sandbox, clock, CancellationToken.None);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddEmarsys(o =>
        {
            o.ApiUrl = server.EmarsysUrl;
            o.User = sandbox.Emarsys.User;
            o.Secret = sandbox.Emarsys.Secret;
        }, d => d.MaxBatchSize = 500);
        await using var provider = services.BuildServiceProvider();

        var destination = provider.GetServices<IDestinationConnector>().ShouldHaveSingleItem();
        var report = await destination.CheckAsync(CancellationToken.None);

        destination.Name.ShouldBe("emarsys");
        destination.Limits.MaxBatchSize.ShouldBe(500);
        report.Ok.ShouldBeTrue();
    }

    [Fact]
    public void AddEmarsys_NoSecret_FailsFast() =>
        Should.Throw<ArgumentException>(() => new ServiceCollection().AddEmarsys(o => o.User = "u"));
}
