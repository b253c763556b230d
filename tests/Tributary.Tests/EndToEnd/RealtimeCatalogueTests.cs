using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Engine.Hosting;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Sandbox;
using Tributary.Sandbox.Commercetools;
using Tributary.Sandbox.Generator;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// Stock and price changes made through the commercetools API reach the destinations through the push subscription and the
/// real-time lane alone: no sweep runs after the first.
/// </summary>
[EndToEnd]
public sealed class RealtimeCatalogueTests
{
    private const string PushToken = "push-secret";
    private const string FeedPassword = "feed-secret";

    private static TributaryConfig EmarsysConfig(SandboxHarness h)
    {
        var baseline = SandboxConfig.For(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var ct = baseline.Connector<CommercetoolsConfig>()!;
        var emarsys = baseline.Connector<EmarsysConfig>()!;
        return new TributaryConfig
        {
            FilePath = baseline.FilePath,
            StatePath = baseline.StatePath,
            Source = new CommercetoolsConfig
            {
                ApiUrl = ct.ApiUrl, AuthUrl = ct.AuthUrl, ProjectKey = ct.ProjectKey, ClientId = ct.ClientId, ClientSecret = ct.ClientSecret,
                PushToken = PushToken,
                // The wholesale channel is left out: its stock is not for sale to shoppers.
                StockChannels = [ShopGenerator.WebChannelKey, ShopGenerator.StoreChannelKey],
            },
            Destinations =
            [
                new EmarsysConfig
                {
                    ApiUrl = emarsys.ApiUrl, User = emarsys.User, Secret = emarsys.Secret, RequestsPerMinute = 0, EventIds = emarsys.EventIds,
                    Catalogue = new EmarsysCatalogueOptions { Enabled = true }, FeedPassword = FeedPassword,
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
    public async Task Push_RestockOfAWatchedSku_TriggersItsWatcherOnce_WholesaleRestockNobody_PublishedPriceAndUnpublishReachTheFeed()
    {
        await using var h = await SandboxHarness.StartAsync(10);
        var generator = new ShopGenerator(5);
        var products = generator.Products(6);
        var ct = Seed(h, generator, products);
        var watched = products[0].MasterVariant;
        var wholesaleOnly = products[1].MasterVariant;
        foreach (var stocked in new[] { watched.Sku!, wholesaleOnly.Sku! })
        {
            foreach (var channel in new[] { ShopGenerator.WebChannelKey, ShopGenerator.StoreChannelKey, ShopGenerator.WholesaleChannelKey })
            {
                ct.SetStock(stocked, channel, 0, 0).ShouldBeTrue();
            }
        }

        var customers = h.ValidCustomers();
        ct.AddShoppingLists([List(customers[0].Id!, products[0], watched), List(customers[1].Id!, products[1], wholesaleOnly)]);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await using var runtime = await PipelineFactory.CreateAsync(EmarsysConfig(h), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        (await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None)).ShouldBalance(
            await runtime.Store.CountLanesAsync(CancellationToken.None), new Dictionary<EntityKind, int> { [EntityKind.Customer] = 10 });
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        using var lane = await PushIntoTheLaneAsync(ct, server, runtime);
        using var api = await CommercetoolsApi.StartAsync(h.Sandbox);

        await api.UpdateInventoryAsync(EntryOf(ct, wholesaleOnly.Sku!, ShopGenerator.WholesaleChannelKey), """{"action":"addQuantity","quantity":50}""");
        await api.UpdateInventoryAsync(EntryOf(ct, watched.Sku!, ShopGenerator.WebChannelKey), """{"action":"addQuantity","quantity":12}""");
        await EventuallyAsync(() => h.Sandbox.Emarsys.Triggers.Count > 0, "the back-in-stock trigger arrives through the push");
        // A second receipt for the same SKU while it is in stock is no new crossing.
        await api.UpdateInventoryAsync(EntryOf(ct, watched.Sku!, ShopGenerator.StoreChannelKey), """{"action":"changeQuantity","quantity":4}""");
        await EventuallyAsync(() => ct.PushesDelivered >= 3, "every push was acknowledged");
        await EventuallyAsync(async () => (await runtime.Store.PendingInboxAsync(10, CancellationToken.None)).Count == 0, "the lane took every notification");

        var trigger = h.Sandbox.Emarsys.Triggers.ShouldHaveSingleItem("one trigger for the one watcher; the wholesale restock reaches nobody");
        trigger.ExternalId.ShouldBe(customers[0].Id);
        trigger.TriggerId.ShouldBe($"BackInStock:{watched.Sku}:1:{customers[0].Id}");

        // A price change is staged by default: the feed keeps the published price until the product is published.
        var feedUrl = new Uri(server.BaseUrl, "/feeds/emarsys-catalog.csv");
        var product = ct.GetProduct(products[2].Id!)!;
        var sku = product.MasterVariant.Sku!;
        var price = product.MasterVariant.Prices.First(p => p.Country is null && p.ChannelId is null);
        var newCents = price.Value.CentAmount + 1234;
        await api.UpdateProductAsync(product.Id!,
            $$$$"""{"action":"changePrice","priceId":"{{{{price.Id}}}}","price":{"value":{"currencyCode":"{{{{price.Value.CurrencyCode}}}}","centAmount":{{{{newCents}}}}}}}""");
        await EventuallyAsync(() => ct.PushesDelivered >= 4, "the staged change was pushed too");
        await EventuallyAsync(async () => (await runtime.Store.PendingInboxAsync(10, CancellationToken.None)).Count == 0, "the lane took it");
        (await FeedRowAsync(h, feedUrl, sku))[EmarsysCatalogFeed.Price].ShouldBe(Money(price.Value.CentAmount), "staged data is not for sale yet");

        await api.UpdateProductAsync(product.Id!, """{"action":"publish"}""");
        await EventuallyAsync(async () => (await FeedRowAsync(h, feedUrl, sku))[EmarsysCatalogFeed.Price] == Money(newCents),
            "the published price reaches the feed without a sweep");

        await api.UpdateProductAsync(product.Id!, """{"action":"unpublish"}""");
        await EventuallyAsync(async () => (await FeedRowAsync(h, feedUrl, sku))[EmarsysCatalogFeed.Available] == "false",
            "an unpublished product leaves the shop window at once");
        await lane.StopAsync(CancellationToken.None);
        h.Sandbox.Emarsys.Triggers.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Push_PriceAndStockChanges_RewriteTheDotdigitalCatalogueRecord_WithoutASweep()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        h.Options.Dotdigital.LowTierPerMinute = 0;
        h.Options.Dotdigital.MediumTierPerMinute = 0;
        h.Options.Dotdigital.HighTierPerMinute = 0;
        var generator = new ShopGenerator(8);
        var products = generator.Products(5);
        var ct = Seed(h, generator, products);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var baseline = SandboxConfig.ForDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var source = baseline.Connector<CommercetoolsConfig>()!;
        var config = new TributaryConfig
        {
            FilePath = baseline.FilePath,
            PipelineName = baseline.PipelineName,
            StatePath = baseline.StatePath,
            Source = new CommercetoolsConfig
            {
                ApiUrl = source.ApiUrl, AuthUrl = source.AuthUrl, ProjectKey = source.ProjectKey, ClientId = source.ClientId,
                ClientSecret = source.ClientSecret, PushToken = PushToken, StockChannels = [ShopGenerator.WebChannelKey, ShopGenerator.StoreChannelKey],
            },
            Destinations = baseline.Destinations,
            Sync = new SyncConfig { Entities = [EntityKind.Product, EntityKind.Stock], RetryBaseDelay = TimeSpan.FromMilliseconds(10) },
        };
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var catalogue = h.Sandbox.Dotdigital.Collections["Catalog_Default"];
        var sku = catalogue.Records.Keys.Order(StringComparer.Ordinal).First();
        JsonElement Record() => JsonDocument.Parse(h.Sandbox.Dotdigital.Collections["Catalog_Default"].Records[sku].Json).RootElement.Clone();
        var currency = Record().GetProperty("currency").GetString()!;
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        using var lane = await PushIntoTheLaneAsync(ct, server, runtime);
        using var api = await CommercetoolsApi.StartAsync(h.Sandbox);
        var product = ct.Products.Single(p => p.AllVariants.Any(v => v.Sku == sku));
        var variant = product.AllVariants.Single(v => v.Sku == sku);

        // Straight to the current data (staged: false), and a delivery into the web shop's warehouse.
        await api.UpdateProductAsync(product.Id!,
            $$$"""{"action":"setPrices","variantId":{{{variant.Id}}},"prices":[{"value":{"currencyCode":"{{{currency}}}","centAmount":4321}}],"staged":false}""");
        await api.UpdateInventoryAsync(EntryOf(ct, sku, ShopGenerator.WebChannelKey), """{"action":"changeQuantity","quantity":77}""");
        var storeChannel = ct.Channels.Single(c => c.Key == ShopGenerator.StoreChannelKey).Id;
        var store = ct.Inventory.SingleOrDefault(e => e.Sku == sku && e.SupplyChannelId == storeChannel)?.AvailableQuantity ?? 0;

        await EventuallyAsync(() => Record().GetProperty("price").GetDecimal() == 43.21m, "the new price reaches the catalogue without a sweep");
        await EventuallyAsync(() => Record().GetProperty("stock").GetDecimal() == 77 + store, "the new stock reaches the catalogue without a sweep");
        await lane.StopAsync(CancellationToken.None);
    }

    private static CommercetoolsEmulator Seed(SandboxHarness h, ShopGenerator generator, IReadOnlyList<SandboxProduct> products)
    {
        var ct = h.Sandbox.Commercetools;
        ct.AddChannels(ShopGenerator.Channels());
        ct.AddProducts(products);
        ct.AddInventory(generator.Inventory(products, ShopGenerator.Channels()));
        return ct;
    }

    /// <summary>A real-time lane woken by the server's webhooks (its own poll an hour away), fed by the emulator's pushes.</summary>
    private static async Task<RealtimeLane> PushIntoTheLaneAsync(CommercetoolsEmulator ct, HostServer server, PipelineRuntime runtime)
    {
        var lane = new RealtimeLane(runtime.Pipeline, new RealtimeLaneOptions { IdlePoll = TimeSpan.FromHours(1) }, TimeProvider.System, NullLogger.Instance);
        server.Notified += lane.Wake;
        await lane.StartAsync(CancellationToken.None);
        ct.PushTo(new Uri(server.BaseUrl, $"/webhooks/commercetools?token={PushToken}"));
        return lane;
    }

    private static string Money(long cents) => (cents / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<IReadOnlyDictionary<string, string>> FeedRowAsync(SandboxHarness h, Uri feedUrl, string sku)
    {
        (await h.Sandbox.Emarsys.FetchCatalogAsync(feedUrl, "emarsys", FeedPassword)).Accepted.ShouldBeTrue();
        return h.Sandbox.Emarsys.CatalogItems.Single(row => row[EmarsysCatalogFeed.Item] == sku);
    }

    private static string EntryOf(CommercetoolsEmulator ct, string sku, string channelKey)
    {
        var channel = ct.Channels.Single(c => c.Key == channelKey).Id;
        return ct.Inventory.Single(e => e.Sku == sku && e.SupplyChannelId == channel).Id!;
    }

    private static SandboxShoppingList List(string customerId, SandboxProduct product, SandboxVariant variant) => new()
    {
        CustomerId = customerId,
        Name = { ["en"] = "Notify me" },
        LineItems = [new SandboxShoppingListLine("line-0", product.Id!, variant.Id, variant.Sku, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))],
    };

    internal static Task EventuallyAsync(Func<bool> condition, string what) => EventuallyAsync(() => Task.FromResult(condition()), what);

    internal static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), what);
            await Task.Delay(50);
        }
    }
}

/// <summary>The commercetools emulator's update actions over HTTP, as a merchant's script calls them.</summary>
internal sealed class CommercetoolsApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly CommercetoolsEmulator _emulator;

    private CommercetoolsApi(HttpClient http, CommercetoolsEmulator emulator)
    {
        _http = http;
        _emulator = emulator;
    }

    public static async Task<CommercetoolsApi> StartAsync(SandboxServer sandbox)
    {
        var http = new HttpClient { BaseAddress = new Uri(sandbox.CommercetoolsUrl.AbsoluteUri.TrimEnd('/') + "/") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token");
        var options = sandbox.Commercetools.Options;
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ClientId}:{options.ClientSecret}")));
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" });
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("access_token").GetString());
        return new CommercetoolsApi(http, sandbox.Commercetools);
    }

    public Task UpdateInventoryAsync(string id, string action) =>
        PostAsync($"{_emulator.Options.ProjectKey}/inventory/{id}", _emulator.Inventory.Single(e => e.Id == id).Version, action);

    public Task UpdateProductAsync(string id, string action) =>
        PostAsync($"{_emulator.Options.ProjectKey}/products/{id}", _emulator.GetProduct(id)!.Version, action);

    private async Task PostAsync(string path, long version, string action)
    {
        using var content = new StringContent($$"""{"version":{{version}},"actions":[{{action}}]}""", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(path, content);
        ((int)response.StatusCode).ShouldBe(200, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}
