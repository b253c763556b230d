using Tributary.Connectors.Emarsys;
using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Sandbox;
using Tributary.Tests.Sandbox.Emarsys;

namespace Tributary.Tests.Connectors.Emarsys;

[Connector]
public class EmarsysModuleTests
{
    [Fact]
    public async Task CreateDestination_SandboxConfig_SignsRequestsAndBudgetsTheAccount()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var sandbox = new SandboxOptions();
        await using var server = await SandboxServer.StartAsync(sandbox, clock, CancellationToken.None);
        var config = new EmarsysConfig { ApiUrl = server.EmarsysUrl, User = sandbox.Emarsys.User, Secret = sandbox.Emarsys.Secret, BatchSize = 500 };

        var (connector, budget) = EmarsysModule.Instance.CreateDestination(config, new DestinationContext(clock, 0.2, null));
        var report = await connector.CheckAsync(CancellationToken.None);

        connector.Name.ShouldBe("emarsys");
        connector.Limits.MaxBatchSize.ShouldBe(500);
        budget.Name.ShouldBe("emarsys");
        report.Ok.ShouldBeTrue();
        EmarsysModule.Instance.CreateCatalogueFeed(config, connector).ShouldBeNull("no catalogue is configured");
        EmarsysModule.Instance.CreateAudit(config, connector).ShouldNotBeNull().ReadApis.ShouldHaveSingleItem().Entity.ShouldBe(EntityKind.Customer);
    }

    [Fact]
    public void CreateDestination_NoSecret_FailsFast() =>
        Should.Throw<ArgumentException>(() => EmarsysModule.Instance.CreateDestination(
            new EmarsysConfig { User = "u", Secret = string.Empty }, new DestinationContext(TimeProvider.System, 0.2, null)));
}
