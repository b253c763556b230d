using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.Centra;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Sandbox;
using Tributary.Sandbox.Centra;

namespace Tributary.Tests.Connectors.Centra;

[Connector]
public sealed class CentraServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddCentra_Resolved_SourceReachesTheSandbox()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions(), TimeProvider.System, CancellationToken.None);
        var id = server.Centra.AddCustomer(new CentraSandboxCustomer { Email = "ann@example.com" });
        var services = new ServiceCollection().AddCentra(new CentraClientOptions { BaseUrl = server.CentraUrl, Token = server.Centra.Options.Token });
        await using var provider = services.BuildServiceProvider();

        var source = provider.GetRequiredService<ISourceConnector>();

        source.ShouldBeSameAs(provider.GetRequiredService<CentraSource>());
        source.Name.ShouldBe("centra");
        source.Entities.ShouldBe([EntityKind.Customer, EntityKind.Order, EntityKind.Product, EntityKind.Stock], ignoreOrder: true);
        (await source.CheckAsync(CancellationToken.None)).Ok.ShouldBeTrue();
        (await source.GetAsync(EntityKind.Customer, id.ToString(CultureInfo.InvariantCulture), CancellationToken.None)).ShouldNotBeNull();
    }
}
