using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.Commercetools;
using Tributary.Core.Contracts;
using Tributary.Tests.Sandbox.Commercetools;

namespace Tributary.Tests.Connectors.Commercetools;

[Connector]
public sealed class CommercetoolsServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddCommercetools_Resolved_SourceReachesTheSandbox()
    {
        await using var h = await EmulatorHarness.StartAsync();
        h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com"));
        var services = new ServiceCollection().AddCommercetools(new CommercetoolsClientOptions
        {
            ApiUrl = h.Server.CommercetoolsUrl,
            AuthUrl = h.Server.CommercetoolsUrl,
            ProjectKey = "demo",
            ClientId = "sandbox-client",
            ClientSecret = "sandbox-secret",
        });
        await using var provider = services.BuildServiceProvider();

        var source = provider.GetRequiredService<ISourceConnector>();

        source.ShouldBeSameAs(provider.GetRequiredService<CommercetoolsSource>());
        source.Name.ShouldBe("commercetools");
        (await source.CheckAsync(CancellationToken.None)).Ok.ShouldBeTrue();
        (await source.GetAsync(Tributary.Core.Model.EntityKind.Customer, h.Emulator.Customers[0].Id!, CancellationToken.None)).ShouldNotBeNull();
    }
}
