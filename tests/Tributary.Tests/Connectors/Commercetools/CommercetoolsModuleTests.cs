using Tributary.Connectors.Commercetools;
using Tributary.Core.Modules;
using Tributary.Tests.Sandbox.Commercetools;

namespace Tributary.Tests.Connectors.Commercetools;

[Connector]
public sealed class CommercetoolsModuleTests
{
    [Fact]
    public async Task CreateSource_SandboxConfig_SourceReachesTheSandbox()
    {
        await using var h = await EmulatorHarness.StartAsync();
        h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com"));
        var config = new CommercetoolsConfig
        {
            ApiUrl = h.Server.CommercetoolsUrl,
            AuthUrl = h.Server.CommercetoolsUrl,
            ProjectKey = "demo",
            ClientId = "sandbox-client",
            ClientSecret = "sandbox-secret",
        };

        using var source = (CommercetoolsSource)config.Module.ShouldBeOfType<CommercetoolsModule>().CreateSource(config, new SourceContext(TimeProvider.System, 500));

        source.Name.ShouldBe("commercetools");
        (await source.CheckAsync(CancellationToken.None)).Ok.ShouldBeTrue();
        (await source.GetAsync(Tributary.Core.Model.EntityKind.Customer, h.Emulator.Customers[0].Id!, CancellationToken.None)).ShouldNotBeNull();
        CommercetoolsModule.Instance.CreateChangeFeed(config, source, TimeProvider.System).ShouldBeNull("the Messages API feed is off unless 'messages: true'");
    }
}
