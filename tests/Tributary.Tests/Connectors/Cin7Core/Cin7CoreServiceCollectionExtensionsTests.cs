using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.Cin7Core;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using static Tributary.Tests.Connectors.Cin7Core.Cin7CoreTestHost;

namespace Tributary.Tests.Connectors.Cin7Core;

[Connector]
public sealed class Cin7CoreServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddCin7Core_Resolved_SourceReachesTheSandbox()
    {
        await using var server = await StartAsync();
        var id = server.Cin7Core.AddCustomer(Customer("Ann Lee", Contact("ann@example.com", isDefault: true)));
        var services = new ServiceCollection().AddCin7Core(new Cin7CoreClientOptions
        {
            BaseUrl = server.Cin7CoreUrl,
            AccountId = server.Cin7Core.Options.AccountId,
            ApplicationKey = server.Cin7Core.Options.ApplicationKey,
            RateBurst = 10,
        });
        await using var provider = services.BuildServiceProvider();

        var source = provider.GetRequiredService<ISourceConnector>();

        source.ShouldBeSameAs(provider.GetRequiredService<Cin7CoreSource>());
        source.Name.ShouldBe("cin7core");
        source.Entities.ShouldBe([EntityKind.Customer, EntityKind.Order, EntityKind.Product, EntityKind.Stock], ignoreOrder: true);
        var check = await source.CheckAsync(CancellationToken.None);
        check.Ok.ShouldBeTrue(string.Join("; ", check.Checks.Select(c => c.Message)));
        (await source.GetAsync(EntityKind.Customer, id.ToString(), CancellationToken.None)).ShouldNotBeNull();
    }
}
