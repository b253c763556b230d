using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Sandbox.Commercetools;
using Tributary.Sandbox.Generator;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// Back-in-stock into Emarsys external events for the shoppers whose commercetools shopping lists hold the SKU, computed on
/// available-to-sell over the storefront's channels only.
/// </summary>
[EndToEnd]
public sealed class StockAlertsTests
{
    private static TributaryConfig Config(SandboxHarness h)
    {
        var baseline = SandboxConfig.For(h.Sandbox, h.Options, h.StatePath, h.Sync());
        return new TributaryConfig
        {
            FilePath = baseline.FilePath,
            StatePath = baseline.StatePath,
            Source = new CommercetoolsConfig
            {
                ApiUrl = baseline.Connector<CommercetoolsConfig>()!.ApiUrl,
                AuthUrl = baseline.Connector<CommercetoolsConfig>()!.AuthUrl,
                ProjectKey = baseline.Connector<CommercetoolsConfig>()!.ProjectKey,
                ClientId = baseline.Connector<CommercetoolsConfig>()!.ClientId,
                ClientSecret = baseline.Connector<CommercetoolsConfig>()!.ClientSecret,
                // The wholesale channel is left out: its stock is not for sale to shoppers.
                StockChannels = [ShopGenerator.WebChannelKey, ShopGenerator.StoreChannelKey],
            },
            Destinations =
            [
                new EmarsysConfig
                {
                    ApiUrl = baseline.Connector<EmarsysConfig>()!.ApiUrl,
                    User = baseline.Connector<EmarsysConfig>()!.User,
                    Secret = baseline.Connector<EmarsysConfig>()!.Secret,
                    RequestsPerMinute = 0,
                    EventIds = baseline.Connector<EmarsysConfig>()!.EventIds,
                    Catalogue = new EmarsysCatalogueOptions { Enabled = true },
                },
            ],
            Sync = new SyncConfig
            {
                Entities = [EntityKind.Customer, EntityKind.Product, EntityKind.Stock],
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                RetryMaxDelay = TimeSpan.FromMilliseconds(100),
            },
        };
    }

    [Fact]
    public async Task BackInStock_WatchedSkuRestocked_TriggersOnceForTheWatcher_WholesaleStockNever()
    {
        await using var h = await SandboxHarness.StartAsync(30);
        var generator = new ShopGenerator(5);
        var products = generator.Products(12);
        var ct = h.Sandbox.Commercetools;
        ct.AddChannels(ShopGenerator.Channels());
        ct.AddProducts(products);
        ct.AddInventory(generator.Inventory(products, ShopGenerator.Channels()));
        var restocked = products[0].MasterVariant;
        var wholesaleOnly = products[1].MasterVariant;
        foreach (var variant in new[] { restocked, wholesaleOnly })
        {
            foreach (var channel in new[] { ShopGenerator.WebChannelKey, ShopGenerator.StoreChannelKey, ShopGenerator.WholesaleChannelKey })
            {
                ct.SetStock(variant.Sku!, channel, 0, 0).ShouldBeTrue();
            }
        }

        var customers = h.ValidCustomers();
        var watcher = customers[0];
        var other = customers[1];
        ct.AddShoppingLists(
        [
            List(watcher.Id!, (products[0], restocked)),
            List(other.Id!, (products[1], wholesaleOnly)),
            // An anonymous list: nobody to send to.
            List(null, (products[0], restocked)),
        ]);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await using var runtime = await PipelineFactory.CreateAsync(Config(h), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var firstReading = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        h.Sandbox.Emarsys.Triggers.ShouldBeEmpty("a first reading of stock fires nothing");
        firstReading.ShouldBalance(await runtime.Store.CountLanesAsync(CancellationToken.None),
            new Dictionary<EntityKind, int> { [EntityKind.Customer] = 30 });

        ct.SetStock(restocked.Sku!, ShopGenerator.WebChannelKey, 10, 10).ShouldBeTrue();
        ct.SetStock(wholesaleOnly.Sku!, ShopGenerator.WholesaleChannelKey, 50, 50).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var restock = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        restock.ShouldBalance();
        restock.Counters.Sources.Single(x => x.Entity == EntityKind.Stock).Changed.ShouldBeGreaterThanOrEqualTo(1, "the restocked SKU changed");
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        (await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None)).ShouldBalance();

        var trigger = h.Sandbox.Emarsys.Triggers.ShouldHaveSingleItem();
        trigger.EventId.ShouldBe(1010);
        trigger.ExternalId.ShouldBe(watcher.Id);
        trigger.TriggerId.ShouldBe($"BackInStock:{restocked.Sku}:1:{watcher.Id}");
        trigger.DataJson.ShouldNotBeNull().ShouldContain(restocked.Sku!);
    }

    private static SandboxShoppingList List(string? customerId, params (SandboxProduct Product, SandboxVariant Variant)[] lines) => new()
    {
        CustomerId = customerId,
        Name = { ["en"] = "Notify me" },
        LineItems = lines.Select((l, i) => new SandboxShoppingListLine($"line-{i}", l.Product.Id!, l.Variant.Id, l.Variant.Sku,
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))).ToList(),
    };
}
