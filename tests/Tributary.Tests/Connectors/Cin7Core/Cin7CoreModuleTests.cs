using Tributary.Connectors.Cin7Core;
using Tributary.Core.Model;
using Tributary.Core.Modules;
using static Tributary.Tests.Connectors.Cin7Core.Cin7CoreTestHost;

namespace Tributary.Tests.Connectors.Cin7Core;

[Connector]
public sealed class Cin7CoreModuleTests
{
    [Fact]
    public async Task CreateSource_SandboxConfig_SourceReachesTheSandbox()
    {
        await using var server = await StartAsync();
        var id = server.Cin7Core.AddCustomer(Customer("Ann Lee", Contact("ann@example.com", isDefault: true)));
        var config = new Cin7CoreConfig
        {
            Url = server.Cin7CoreUrl,
            AccountId = server.Cin7Core.Options.AccountId,
            ApplicationKey = server.Cin7Core.Options.ApplicationKey,
            RequestsPerMinute = 6000,
        };

        var source = config.Module.ShouldBeOfType<Cin7CoreModule>().CreateSource(config, new SourceContext(TimeProvider.System, 500));

        source.Name.ShouldBe("cin7core");
        source.Entities.ShouldBe([EntityKind.Customer, EntityKind.Order, EntityKind.Product, EntityKind.Stock], ignoreOrder: true);
        var check = await source.CheckAsync(CancellationToken.None);
        check.Ok.ShouldBeTrue(string.Join("; ", check.Checks.Select(c => c.Message)));
        (await source.GetAsync(EntityKind.Customer, id.ToString(), CancellationToken.None)).ShouldNotBeNull();
    }
}
