using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Sandbox.Generator;

namespace Tributary.Tests.EndToEnd;

/// <summary>commercetools products and stock into the catalogue feed Emarsys fetches from the service.</summary>
[EndToEnd]
public sealed class CatalogueFeedTests
{
    private const string FeedPassword = "feed-secret";

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
                StockChannels = ["web-eu", "store-berlin"],
            },
            Destinations =
            [
                new EmarsysConfig
                {
                    ApiUrl = baseline.Connector<EmarsysConfig>()!.ApiUrl,
                    User = baseline.Connector<EmarsysConfig>()!.User,
                    Secret = baseline.Connector<EmarsysConfig>()!.Secret,
                    RequestsPerMinute = 0,
                    Catalogue = new EmarsysCatalogueOptions { Enabled = true },
                    FeedPassword = FeedPassword,
                },
            ],
            Sync = new SyncConfig
            {
                Entities = [EntityKind.Product, EntityKind.Stock],
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                RetryMaxDelay = TimeSpan.FromMilliseconds(100),
            },
        };
    }

    [Fact]
    public async Task Feed_MatchesTheSource_InvalidProductsQuarantined_PriceChangeWithinOneSweep_TruncatedSourceRefused()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        var generator = new ShopGenerator(11);
        var products = generator.Products(150);
        // One product the feed cannot carry: Emarsys recommendations need an image.
        var imageless = products[^1];
        imageless.MasterVariant.Images.Clear();
        imageless.Variants.ForEach(v => v.Images.Clear());
        h.Sandbox.Commercetools.AddChannels(ShopGenerator.Channels());
        h.Sandbox.Commercetools.AddProducts(products);
        h.Sandbox.Commercetools.AddInventory(generator.Inventory(products, ShopGenerator.Channels()));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await using var runtime = await PipelineFactory.CreateAsync(Config(h), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        var first = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var feedUrl = new Uri(server.BaseUrl, "/feeds/emarsys-catalog.csv");

        var refused = await h.Sandbox.Emarsys.FetchCatalogAsync(feedUrl, "emarsys", "wrong");
        refused.Accepted.ShouldBeFalse();
        var import = await h.Sandbox.Emarsys.FetchCatalogAsync(feedUrl, "emarsys", FeedPassword);
        import.Accepted.ShouldBeTrue(import.Error);

        var skus = products.SelectMany(p => new[] { p.MasterVariant }.Concat(p.Variants)).Select(v => v.Sku!).ToHashSet();
        var quarantined = await runtime.Store.ListAsync(OutboxStatus.Quarantined, "emarsys", 1000, CancellationToken.None);
        quarantined.Where(q => q.Entity == EntityKind.Product).ShouldNotBeEmpty();
        quarantined.Where(q => q.Entity == EntityKind.Product).ShouldAllBe(q => q.LastError!.Contains("missing mandatory catalogue field"));
        var items = h.Sandbox.Emarsys.CatalogItems;
        (items.Count + quarantined.Count(q => q.Entity == EntityKind.Product)).ShouldBe(skus.Count);
        items.ShouldAllBe(i => skus.Contains(i["item"]));
        first.Counters.Read.ShouldBeGreaterThan(0);
        first.ShouldBalance(await runtime.Store.CountLanesAsync(CancellationToken.None),
            new Dictionary<EntityKind, int> { [EntityKind.Product] = skus.Count });
        first.Counters.Sources.Single(x => x.Entity == EntityKind.Product).Rejected
            .ShouldBe(quarantined.Count(q => q.Entity == EntityKind.Product), "a product the only catalogue refuses is a rejected record");

        var sku = items[0]["item"];
        h.Sandbox.Commercetools.SetPrice(sku, "EUR", 12.34m).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var repriced = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        repriced.ShouldBalance();
        repriced.Counters.Sources.Single(x => x.Entity == EntityKind.Product).Changed.ShouldBeGreaterThanOrEqualTo(1);
        (await h.Sandbox.Emarsys.FetchCatalogAsync(feedUrl, "emarsys", FeedPassword)).Accepted.ShouldBeTrue();
        h.Sandbox.Emarsys.CatalogItems.Single(i => i["item"] == sku)["price"].ShouldBe("12.34");

        // Half the catalogue disappears from the source (a broken publish, a truncated read): the feed must not follow.
        foreach (var product in products.Take(products.Count / 2 + 1))
        {
            h.Sandbox.Commercetools.RemoveProduct(product.Id!);
        }

        h.Clock.Advance(TimeSpan.FromSeconds(2));
        (await runtime.Pipeline.RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None)).ShouldBalance();
        var afterTruncation = await h.Sandbox.Emarsys.FetchCatalogAsync(feedUrl, "emarsys", FeedPassword);

        afterTruncation.Accepted.ShouldBeTrue();
        h.Sandbox.Emarsys.CatalogItems.Count.ShouldBe(items.Count);
        server.Feed!.GuardTrips.ShouldBe(1);
        server.Feed.LastRefusal.ShouldNotBeNull();
    }
}
