using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Centra;
using Tributary.Connectors.Dotdigital;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Sandbox.Centra;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// Centra as the source, end to end into Emarsys and Dotdigital. Forged and stale webhook signatures are covered in
/// <see cref="WebhookTests"/>.
/// </summary>
[EndToEnd]
public sealed class CentraTests
{
    private static async Task<PassReport> PassAsync(TributaryConfig config, PassOptions? pass = null)
    {
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        return await runtime.Pipeline.RunPassAsync(pass ?? new PassOptions(), null, CancellationToken.None);
    }

    [Fact]
    public async Task CentraToEmarsys_CustomersWithConsent_DtcOrdersOnly_OneEventPerPartialShipment()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        var centra = h.Sandbox.Centra;
        var now = h.Clock.GetUtcNow();
        var subscribed = centra.AddCustomer(new CentraSandboxCustomer { Email = "Sub@Example.com", FirstName = "Sue", LastName = "Bscriber", Newsletter = true });
        var optedOut = centra.AddCustomer(new CentraSandboxCustomer { Email = "out@example.com", FirstName = "Otto", Newsletter = false });
        var unknown = centra.AddCustomer(new CentraSandboxCustomer { Email = "unknown@example.com", FirstName = "Una" });
        var invalid = centra.AddCustomer(new CentraSandboxCustomer { Email = "broken@@example.com", FirstName = "Bro" });
        var retail = centra.AddOrder(new CentraSandboxOrder
        {
            CustomerId = subscribed,
            Email = "sub@example.com",
            Status = "CONFIRMED",
            Lines =
            [
                new CentraSandboxOrderLine { Id = 1, Sku = "C-1", ProductName = "Coat", Quantity = 1, UnitPrice = 100 },
                new CentraSandboxOrderLine { Id = 2, Sku = "C-2", ProductName = "Cap", Quantity = 2, UnitPrice = 10 },
            ],
            Shipments =
            [
                new CentraSandboxShipment { Id = 71, Number = "S-71", IsShipped = true, CreatedAt = now, ShippedAt = now },
                new CentraSandboxShipment { Id = 72, Number = "S-72", IsShipped = true, CreatedAt = now, ShippedAt = now },
            ],
        });
        var wholesale = centra.AddOrder(new CentraSandboxOrder
        {
            CustomerId = optedOut,
            Email = "out@example.com",
            StoreId = 2,
            Lines = [new CentraSandboxOrderLine { Id = 3, Sku = "W-1", ProductName = "Pallet", Quantity = 50, UnitPrice = 5 }],
        });
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var config = SandboxConfig.ForCentra(h.Sandbox, h.Options, h.StatePath,
            h.Sync(orders: true));

        var report = await PassAsync(config);
        await PassAsync(config, new PassOptions(Full: true));

        var contacts = await h.ReadContactsAsync([$"{subscribed}", $"{optedOut}", $"{unknown}", $"{invalid}"]);
        contacts[$"{subscribed}"]["3"].ShouldBe("sub@example.com");
        contacts[$"{subscribed}"]["31"].ShouldBe("1");
        contacts[$"{optedOut}"]["31"].ShouldBe("2");
        (contacts[$"{unknown}"].GetValueOrDefault("31") ?? string.Empty).ShouldBe(string.Empty);
        contacts.ShouldNotContainKey($"{invalid}");
        report.Counters.Quarantined.ShouldBeGreaterThanOrEqualTo(1);

        var rows = h.Sandbox.Emarsys.SalesRows;
        rows.ShouldContain(r => r["item"] == "C-1");
        rows.ShouldNotContain(r => r["item"] == "W-1");
        report.Counters.SkippedReasons.Keys.ShouldContain(k => k.Contains("wholesale"));
        var shipments = h.Sandbox.Emarsys.Triggers.Where(t => t.TriggerId!.StartsWith("ShipmentDispatched:", StringComparison.Ordinal)).ToList();
        shipments.Count.ShouldBe(2);
        shipments.Select(t => t.TriggerId).Distinct().Count().ShouldBe(2);
        _ = retail;
        _ = wholesale;
    }

    [Fact]
    public async Task CentraToDotdigital_ConsentedContacts_OrdersWithAPartialShipment_OneEnrolmentPerShipment()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        h.Options.Dotdigital.LowTierPerMinute = 0;
        h.Options.Dotdigital.MediumTierPerMinute = 0;
        h.Options.Dotdigital.HighTierPerMinute = 0;
        h.Sandbox.Dotdigital.SetProgram(501);
        var centra = h.Sandbox.Centra;
        var now = h.Clock.GetUtcNow();
        var subscribed = centra.AddCustomer(new CentraSandboxCustomer { Email = "Sue@Example.com", FirstName = "Sue", Newsletter = true });
        var unknown = centra.AddCustomer(new CentraSandboxCustomer { Email = "una@example.com", FirstName = "Una" });
        var order = centra.AddOrder(new CentraSandboxOrder
        {
            CustomerId = subscribed,
            Email = "sue@example.com",
            Status = "PROCESSING",
            Lines =
            [
                new CentraSandboxOrderLine { Id = 1, Sku = "C-1", ProductName = "Coat", Quantity = 1, UnitPrice = 100 },
                new CentraSandboxOrderLine { Id = 2, Sku = "C-2", ProductName = "Cap", Quantity = 1, UnitPrice = 10 },
            ],
            Shipments =
            [
                new CentraSandboxShipment { Id = 81, Number = "S-81", IsShipped = true, CreatedAt = now, ShippedAt = now, Lines = new() { [1] = 1 } },
                new CentraSandboxShipment { Id = 82, Number = "S-82", IsShipped = false, CreatedAt = now, Lines = new() { [2] = 1 } },
            ],
        });
        centra.AddOrder(new CentraSandboxOrder
        {
            CustomerId = unknown,
            Email = "una@example.com",
            StoreId = 2,
            Lines = [new CentraSandboxOrderLine { Id = 3, Sku = "W-1", ProductName = "Pallet", Quantity = 50, UnitPrice = 5 }],
        });
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var baseline = SandboxConfig.ForCentraDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync(orders: true));
        var config = new TributaryConfig
        {
            FilePath = baseline.FilePath,
            StatePath = baseline.StatePath,
            Source = baseline.Source,
            Destinations =
            [
                new DotdigitalConfig
                {
                    ApiUrl = baseline.Connector<DotdigitalConfig>()!.ApiUrl,
                    User = baseline.Connector<DotdigitalConfig>()!.User,
                    Password = baseline.Connector<DotdigitalConfig>()!.Password,
                    RequestsPerMinute = 0,
                    ImportPollInterval = TimeSpan.FromMilliseconds(20),
                    Programs = new Dictionary<CommerceEventType, long> { [CommerceEventType.ShipmentDispatched] = 501 },
                },
            ],
            Sync = baseline.Sync,
        };

        var report = await PassAsync(config);

        h.Sandbox.Dotdigital.FindContact("sue@example.com")!.EmailStatus.ShouldBe("subscribed");
        h.Sandbox.Dotdigital.FindContact("una@example.com")!.EmailStatus.ShouldBe("unsubscribed");
        var orders = h.Sandbox.Dotdigital.Collections["Orders"].Records;
        orders.Keys.ShouldBe([$"{order}"], ignoreOrder: true);
        report.Counters.SkippedReasons.Keys.ShouldContain(k => k.Contains("wholesale"));
        h.Sandbox.Dotdigital.Enrolments.Where(e => e.ProgramId == 501).Count().ShouldBe(1);

        // The second shipment leaves the warehouse: one more enrolment, and the first is not repeated.
        centra.UpdateOrder(order, o =>
        {
            o.Status = "SHIPPED";
            o.Shipments[1].IsShipped = true;
            o.Shipments[1].ShippedAt = h.Clock.GetUtcNow();
        }).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var again = await PassAsync(config);

        again.Counters.Dead.ShouldBe(0);
        h.Sandbox.Dotdigital.Enrolments.Where(e => e.ProgramId == 501).Count().ShouldBe(2);
    }

    [Fact]
    public async Task CentraCatalogueAndStock_FeedMatchesTheSizes_BackInStockOnlyOnARealCrossing()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        var centra = h.Sandbox.Centra;
        centra.AddProduct(new CentraSandboxProduct
        {
            Name = "Rain Coat",
            ProductNumber = "RC",
            Brand = "North",
            Category = ["Outerwear", "Coats"],
            Variants =
            [
                new CentraSandboxVariant
                {
                    Name = "Red",
                    ImageUrl = "https://img.example.com/rc-red.jpg",
                    Sizes =
                    [
                        new CentraSandboxSize { Sku = "RC-RED-S", Description = "S", Prices = new() { [1] = 120m }, Stock = new() { [1] = 0 } },
                        new CentraSandboxSize { Sku = "RC-RED-M", Description = "M", Prices = new() { [1] = 120m }, Stock = new() { [1] = 4, [2] = 1 } },
                    ],
                },
            ],
        });
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var baseline = SandboxConfig.ForCentra(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var config = new TributaryConfig
        {
            FilePath = baseline.FilePath,
            StatePath = baseline.StatePath,
            Source = new CentraConfig { Url = baseline.Connector<CentraConfig>()!.Url, Token = baseline.Connector<CentraConfig>()!.Token, ProductUrlTemplate = "https://shop.example.com/{locale}/p/{sku}" },
            Destinations =
            [
                new EmarsysConfig
                {
                    ApiUrl = baseline.Connector<EmarsysConfig>()!.ApiUrl,
                    User = baseline.Connector<EmarsysConfig>()!.User,
                    Secret = baseline.Connector<EmarsysConfig>()!.Secret,
                    RequestsPerMinute = 0,
                    // Centra prices belong to pricelists; the feed takes the retail pricelist's.
                    Catalogue = new EmarsysCatalogueOptions { Enabled = true, PriceChannel = "EUR Retail" },
                    FeedPassword = "feed-secret",
                },
            ],
            Sync = new SyncConfig
            {
                Entities = [EntityKind.Product, EntityKind.Stock],
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                RetryMaxDelay = TimeSpan.FromMilliseconds(100),
            },
        };
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        var import = await h.Sandbox.Emarsys.FetchCatalogAsync(new Uri(server.BaseUrl, "/feeds/emarsys-catalog.csv"), "emarsys", "feed-secret");

        import.Accepted.ShouldBeTrue(import.Error);
        var quarantined = await runtime.Store.ListAsync(OutboxStatus.Quarantined, "emarsys", 100, CancellationToken.None);
        quarantined.Select(q => $"{q.Key}: {q.LastError}").ShouldBeEmpty();
        var items = h.Sandbox.Emarsys.CatalogItems;
        items.Select(i => i["item"]).ShouldBe(["RC-RED-M", "RC-RED-S"], ignoreOrder: true);
        items.ShouldAllBe(i => i["price"] == "120.00" || i["price"] == "120");
        (await StockStateAsync(runtime, "RC-RED-S")).BackInStockCrossings.ShouldBe(0);

        // The sold-out size is restocked (free to allocate in the EU warehouse): back in stock fires once.
        centra.SetStock("RC-RED-S", 1, 6).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);

        (await StockStateAsync(runtime, "RC-RED-S")).BackInStockCrossings.ShouldBe(1);
        (await StockStateAsync(runtime, "RC-RED-M")).BackInStockCrossings.ShouldBe(0);
    }

    [Fact]
    public async Task CentraMerge_GuestCheckoutsOfARegisteredShopper_HistoryOnTheSurvivor_NoDuplicateContact()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        var centra = h.Sandbox.Centra;
        var survivor = centra.AddCustomer(new CentraSandboxCustomer { Email = "pat@example.com", FirstName = "Pat", Newsletter = true });
        var earlier = centra.AddCustomer(new CentraSandboxCustomer { Email = "pat.old@example.com", FirstName = "Pat", Newsletter = true });
        centra.AddOrder(Order(survivor, "pat@example.com", 1, 100));
        centra.AddOrder(Order(earlier, "pat.old@example.com", 2, 30));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var config = SandboxConfig.ForCentra(h.Sandbox, h.Options, h.StatePath, h.Sync(orders: true));
        await PassAsync(config);
        (await h.ReadContactsAsync([$"{survivor}"]))[$"{survivor}"]["9003"].ShouldBe("1");

        // A guest checkout with the registered shopper's email leaves an unregistered customer in Centra.
        var guest = centra.AddCustomer(new CentraSandboxCustomer { Email = "pat@example.com", FirstName = "Pat", Registered = false });
        centra.AddOrder(Order(guest, "pat@example.com", 3, 50));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var sweep = await PassAsync(config);

        var contacts = await h.ReadContactsAsync([$"{survivor}", $"{guest}"]);
        contacts.ShouldNotContainKey($"{guest}");
        contacts[$"{survivor}"]["9003"].ShouldBe("2");
        contacts[$"{survivor}"]["31"].ShouldBe("1");
        sweep.Counters.SkippedReasons.Keys.ShouldContain(k => k.Contains("merged"));

        // An older account becomes the duplicate of the survivor: its history moves at the next complete read.
        centra.MergeCustomers(survivor, earlier).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await PassAsync(config, new PassOptions(Full: true));

        (await h.ReadContactsAsync([$"{survivor}"]))[$"{survivor}"]["9003"].ShouldBe("3");
        h.Sandbox.Emarsys.SalesRows.Where(r => r["item"] == "M-3").ShouldAllBe(r => r.GetValueOrDefault("customer") == $"{survivor}");
    }

    private static CentraSandboxOrder Order(int customer, string email, int line, decimal price) => new()
    {
        CustomerId = customer,
        Email = email,
        Status = "CONFIRMED",
        Lines = [new CentraSandboxOrderLine { Id = line, Sku = $"M-{line}", ProductName = "Item", Quantity = 1, UnitPrice = price }],
    };

    private static async Task<StockState> StockStateAsync(PipelineRuntime runtime, string sku)
    {
        var state = await runtime.Store.GetRuleStateAsync("stock", EntityKind.Stock, [sku], CancellationToken.None);
        return StockState.FromFields(state.GetValueOrDefault(sku));
    }
}
