using Tributary.Connectors.Dotdigital;
using Tributary.Core.Modules;
using Tributary.Sandbox;
using Tributary.Tests.Sandbox.Emarsys;

namespace Tributary.Tests.Connectors.Dotdigital;

[Connector]
public class DotdigitalModuleTests
{
    [Fact]
    public async Task CreateDestination_SandboxConfig_AuthenticatesAndDiscoversTheRegion()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var sandbox = new SandboxOptions();
        await using var server = await SandboxServer.StartAsync(sandbox, clock, CancellationToken.None);
        var config = new DotdigitalConfig { ApiUrl = server.DotdigitalUrl, User = sandbox.Dotdigital.ApiUser, Password = sandbox.Dotdigital.Password, RequestsPerMinute = 150 };

        var (connector, budget) = DotdigitalModule.Instance.CreateDestination(config, new DestinationContext(clock, 0.2, null));
        var report = await connector.CheckAsync(CancellationToken.None);

        connector.Name.ShouldBe("dotdigital");
        // Paced per HTTP call by the client, not per delivery by the engine.
        connector.Limits.RequestsPerMinute.ShouldBeNull();
        budget.Name.ShouldBe("dotdigital");
        var calls = connector.ShouldBeOfType<DotdigitalDestination>().CallBudget.ShouldNotBeNull();
        calls.Usage(DotdigitalCallTier.Low).PerMinute.ShouldBe(150);
        calls.Calls.ShouldBeGreaterThanOrEqualTo(2); // account-info and data-fields, both drawn from the budget
        report.Ok.ShouldBeTrue(string.Join("; ", report.Checks.Select(c => c.Message)));
    }

    [Fact]
    public void CreateDestination_NoPassword_FailsFast() =>
        Should.Throw<ArgumentException>(() => DotdigitalModule.Instance.CreateDestination(
            new DotdigitalConfig { User = "u", Password = string.Empty }, new DestinationContext(TimeProvider.System, 0.2, null)));
}
