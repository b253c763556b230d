using System.Globalization;
using Tributary.Connectors.Centra;
using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Sandbox;
using Tributary.Sandbox.Centra;

namespace Tributary.Tests.Connectors.Centra;

[Connector]
public sealed class CentraModuleTests
{
    [Fact]
    public async Task CreateSource_SandboxConfig_SourceReachesTheSandbox()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions(), TimeProvider.System, CancellationToken.None);
        var id = server.Centra.AddCustomer(new CentraSandboxCustomer { Email = "ann@example.com" });
        var config = new CentraConfig { Url = server.CentraUrl, Token = server.Centra.Options.Token };

        using var source = (CentraSource)config.Module.ShouldBeOfType<CentraModule>().CreateSource(config, new SourceContext(TimeProvider.System, 500));

        source.Name.ShouldBe("centra");
        source.Entities.ShouldBe([EntityKind.Customer, EntityKind.Order, EntityKind.Product, EntityKind.Stock], ignoreOrder: true);
        (await source.CheckAsync(CancellationToken.None)).Ok.ShouldBeTrue();
        (await source.GetAsync(EntityKind.Customer, id.ToString(CultureInfo.InvariantCulture), CancellationToken.None)).ShouldNotBeNull();
    }

    [Fact]
    public void CreateWebhookReceiver_NoSecret_NoWebhooks() =>
        CentraModule.Instance.CreateWebhookReceiver(new CentraConfig { Url = new Uri("https://shop.example.com"), Token = "t" }, TimeProvider.System)
            .ShouldBeNull();
}
