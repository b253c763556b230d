using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.Dotdigital;
using Tributary.Core.Contracts;
using Tributary.Sandbox;
using Tributary.Tests.Sandbox.Emarsys;

namespace Tributary.Tests.Connectors.Dotdigital;

[Connector]
public class DotdigitalServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddDotdigital_Resolved_AuthenticatesThroughTheFactoryClientAndDiscoversTheRegion()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var sandbox = new SandboxOptions();
        await using var server = await SandboxServer.StartAsync(sandbox, clock, CancellationToken.None);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddDotdigital(o =>
        {
            o.BootstrapUrl = server.DotdigitalUrl;
            o.ApiUser = sandbox.Dotdigital.ApiUser;
            o.Password = sandbox.Dotdigital.Password;
        }, d => d.RequestsPerMinute = 150);
        await using var provider = services.BuildServiceProvider();

        var destination = provider.GetServices<IDestinationConnector>().ShouldHaveSingleItem();
        var report = await destination.CheckAsync(CancellationToken.None);

        destination.Name.ShouldBe("dotdigital");
        // Paced per HTTP call by the client, not per delivery by the engine.
        destination.Limits.RequestsPerMinute.ShouldBeNull();
        var budget = provider.GetRequiredService<DotdigitalDestination>().CallBudget.ShouldNotBeNull();
        budget.Usage(DotdigitalCallTier.Low).PerMinute.ShouldBe(150);
        budget.Calls.ShouldBeGreaterThanOrEqualTo(2); // account-info and data-fields, both drawn from the budget
        report.Ok.ShouldBeTrue(string.Join("; ", report.Checks.Select(c => c.Message)));
        provider.GetRequiredService<DotdigitalDestination>().ShouldBeSameAs(destination);
    }

    [Fact]
    public void AddDotdigital_NoPassword_FailsFast() =>
        Should.Throw<ArgumentException>(() => new ServiceCollection().AddDotdigital(o => o.ApiUser = "u"));
}
