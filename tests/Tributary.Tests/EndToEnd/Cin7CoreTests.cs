using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Cin7Core;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Model;
using Tributary.Core.Rules;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Sandbox.Cin7Core;
using Tributary.Sandbox;
using Tributary.Tests.Connectors.Cin7Core;

namespace Tributary.Tests.EndToEnd;

/// <summary>Cin7 Core as the source, end to end into Emarsys and Dotdigital.</summary>
[EndToEnd]
public sealed class Cin7CoreTests
{
    [Fact]
    public async Task Cin7CoreToEmarsys_EmailFromContacts_CustomersWithoutEmailQuarantinedWithReason_WebhookKeyChecked()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        var cin7 = h.Sandbox.Cin7Core;
        var withEmail = cin7.AddCustomer(new Tributary.Sandbox.Cin7Core.Cin7SandboxCustomer
        {
            Name = "Ann Lee",
            Contacts = [new Tributary.Sandbox.Cin7Core.Cin7SandboxContact { Name = "Ann Lee", Email = "Ann@Example.com", Default = true }],
        });
        var withoutEmail = cin7.AddCustomer(new Tributary.Sandbox.Cin7Core.Cin7SandboxCustomer
        {
            Name = "No Mail Ltd",
            Contacts = [new Tributary.Sandbox.Cin7Core.Cin7SandboxContact { Name = "Reception", Default = true }],
        });
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var emarsys = SandboxConfig.For(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var config = new Tributary.Host.Configuration.TributaryConfig
        {
            FilePath = emarsys.FilePath,
            StatePath = emarsys.StatePath,
            Source = new Cin7CoreConfig
            {
                Url = h.Sandbox.Cin7CoreUrl,
                AccountId = h.Options.Cin7Core.AccountId,
                ApplicationKey = h.Options.Cin7Core.ApplicationKey,
                WebhookKey = "hook-key",
            },
            Destinations = emarsys.Destinations,
            Sync = emarsys.Sync,
        };
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        var report = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var contacts = await h.ReadContactsAsync([$"{withEmail}", $"{withoutEmail}"]);
        contacts[$"{withEmail}"]["3"].ShouldBe("ann@example.com");
        contacts.ShouldNotContainKey($"{withoutEmail}");
        var row = await runtime.Store.GetOutboxAsync("emarsys", EntityKind.Customer, $"{withoutEmail}", CancellationToken.None);
        row!.LastError.ShouldBe("no email address");
        report.Counters.Quarantined.ShouldBe(1);

        await using var server = await Tributary.Host.Server.HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System,
            NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient();
        using var wrong = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, "/webhooks/cin7core"))
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        wrong.Headers.Add("X-Tributary-Webhook-Key", "guess");
        ((int)(await http.SendAsync(wrong)).StatusCode).ShouldBe(401);
        (await runtime.Store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Cin7CoreToDotdigital_ContactsFromTheCustomersContacts_OrdersAsInsight_WholesaleLeftOut()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        h.Options.Dotdigital.LowTierPerMinute = 0;
        h.Options.Dotdigital.MediumTierPerMinute = 0;
        h.Options.Dotdigital.HighTierPerMinute = 0;
        h.Options.Cin7Core.RequestsPerMinute = 0;
        var cin7 = h.Sandbox.Cin7Core;
        var ann = cin7.AddCustomer(new Cin7SandboxCustomer
        {
            Name = "Ann Lee",
            Contacts = [new Cin7SandboxContact { Name = "Ann Lee", Email = "Ann@Example.com", Default = true }],
        });
        var shop = cin7.AddCustomer(new Cin7SandboxCustomer
        {
            Name = "Corner Shop Ltd",
            Contacts = [new Cin7SandboxContact { Name = "Buyer", Email = "buyer@corner.example", Default = true }],
        });
        var now = h.Clock.GetUtcNow();
        var retail = cin7.AddSale(new Cin7SandboxSale
        {
            CustomerId = ann,
            CustomerName = "Ann Lee",
            Email = "ann@example.com",
            SourceChannel = "Shopify",
            Status = "ORDERED",
            OrderDate = now,
            Lines = [new Cin7SandboxSaleLine("TEE-1", 2, 25m, "Tee")],
            Fulfilments = [new Cin7SandboxFulfilment { Number = 1, Shipped = true, ShipmentDate = now, Lines = [new Cin7SandboxSaleLine("TEE-1", 1, 25m)] }],
        });
        var wholesale = cin7.AddSale(new Cin7SandboxSale
        {
            CustomerId = shop,
            CustomerName = "Corner Shop Ltd",
            Email = "buyer@corner.example",
            Status = "ORDERED",
            OrderDate = now,
            Lines = [new Cin7SandboxSaleLine("TEE-1", 100, 10m, "Tee")],
        });
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var config = SandboxConfig.ForCin7CoreDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync(orders: true));
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        var report = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var again = await runtime.Pipeline.RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None);

        var contact = h.Sandbox.Dotdigital.FindContact("ann@example.com");
        contact.ShouldNotBeNull();
        contact.EmailStatus.ShouldBe("unsubscribed");
        contact.DataFields["FIRSTNAME"].ShouldBe("Ann");
        var orders = h.Sandbox.Dotdigital.Collections["Orders"].Records;
        orders.Keys.ShouldContain($"{retail}");
        orders.Keys.ShouldNotContain($"{wholesale}");
        report.Counters.SkippedReasons.Keys.ShouldContain(k => k.Contains("wholesale"));
        report.Counters.Dead.ShouldBe(0);
        again.Counters.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Cin7CoreStock_AllocatedWholesaleAndQuarantinedUnitsNeverBackInStock_ARealReceiptIs()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        h.Options.Cin7Core.RequestsPerMinute = 0;
        var cin7 = h.Sandbox.Cin7Core;
        cin7.AddProduct(new Cin7SandboxProduct { Sku = "TEE-1", Name = "Tee", PriceTiers = new() { ["Tier 1"] = 25m } });
        cin7.SetStock(new Cin7SandboxStock("TEE-1", "Main Warehouse", OnHand: 5, Allocated: 5));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var baseline = SandboxConfig.ForCin7Core(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var config = new TributaryConfig
        {
            FilePath = baseline.FilePath,
            StatePath = baseline.StatePath,
            Source = baseline.Source,
            Destinations = baseline.Destinations,
            Sync = new SyncConfig { Entities = [EntityKind.Stock], RetryBaseDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(100) },
        };
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        async Task<StockState> PassAsync()
        {
            h.Clock.Advance(TimeSpan.FromSeconds(2));
            await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
            var state = await runtime.Store.GetRuleStateAsync("stock", EntityKind.Stock, ["TEE-1"], CancellationToken.None);
            return StockState.FromFields(state.GetValueOrDefault("TEE-1"));
        }

        (await PassAsync()).Ats.ShouldBe(0);

        // On hand rises, but every new unit is allocated to open orders.
        cin7.SetStock(new Cin7SandboxStock("TEE-1", "Main Warehouse", OnHand: 40, Allocated: 40));
        (await PassAsync()).BackInStockCrossings.ShouldBe(0);
        // Units arrive, but only where the shop cannot sell them.
        cin7.SetStock(new Cin7SandboxStock("TEE-1", "Wholesale Warehouse", OnHand: 100, Allocated: 0));
        cin7.SetStock(new Cin7SandboxStock("TEE-1", "Quarantine", OnHand: 30, Allocated: 0));
        var held = await PassAsync();
        held.Ats.ShouldBe(0);
        held.BackInStockCrossings.ShouldBe(0);

        // A real receipt into the sellable warehouse.
        cin7.SetStock(new Cin7SandboxStock("TEE-1", "Main Warehouse", OnHand: 52, Allocated: 40));
        var received = await PassAsync();

        received.Ats.ShouldBe(12);
        received.BackInStockCrossings.ShouldBe(1);
    }

    [Fact]
    public async Task Cin7CoreBackfill_EveryEntity_NoThrottlingAndOneCallPerPageNeeded_AtThePaceTheLimitAllows()
    {
        var clock = new TestClock(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero), ClockMode.Jump) { JumpLimit = TimeSpan.FromSeconds(30) };
        var options = new SandboxOptions();
        await using var sandbox = await SandboxServer.StartAsync(options, clock, CancellationToken.None);
        var cin7 = sandbox.Cin7Core;
        for (var i = 0; i < 2500; i++)
        {
            cin7.AddCustomer(new Cin7SandboxCustomer
            {
                Name = $"Customer {i}",
                Contacts = [new Cin7SandboxContact { Name = $"Customer {i}", Email = $"c{i}@example.com", Default = true }],
            });
        }

        for (var i = 0; i < 1200; i++)
        {
            cin7.AddProduct(new Cin7SandboxProduct { Sku = $"SKU-{i:D5}", Name = $"Product {i}", PriceTiers = new() { ["Tier 1"] = 10m } });
            if (i % 2 == 0)
            {
                cin7.SetStock(new Cin7SandboxStock($"SKU-{i:D5}", "Main Warehouse", OnHand: 3, Allocated: 1));
            }
        }

        const int Sales = 20;
        for (var i = 0; i < Sales; i++)
        {
            cin7.AddSale(new Cin7SandboxSale { SourceChannel = "Shopify", OrderDate = clock.GetUtcNow(), Lines = [new Cin7SandboxSaleLine("SKU-00000", 1, 10m)] });
        }

        var dir = Directory.CreateTempSubdirectory("tributary-e2e-").FullName;
        try
        {
            var sync = new SyncConfig { Entities = [EntityKind.Customer, EntityKind.Order, EntityKind.Product, EntityKind.Stock], PageSize = 500 };
            var config = SandboxConfig.ForCin7Core(sandbox, options, Path.Combine(dir, "state.db"), sync);
            await using var runtime = await PipelineFactory.CreateAsync(config, clock, NullLoggerFactory.Instance, CancellationToken.None);
            var started = clock.GetUtcNow();

            var report = await runtime.Pipeline.RunPassAsync(new PassOptions(Full: true, DryRun: true), null, CancellationToken.None);

            var elapsed = clock.GetUtcNow() - started;
            // Pages at Limit=1000: customers 3, sales 1 (+1 detail per sale), products 2, availability 1 (+ the product list
            // again for sold-out SKUs, 2); one server-clock call per entity and one for the base currency.
            var expected = 3 + (1 + Sales) + 2 + (1 + 2) + 4 + 1;
            report.Counters.Read.ShouldBe(2500 + Sales + 1200 + 1200);
            cin7.Throttled.ShouldBe(0);
            cin7.RequestCount.ShouldBe(expected);
            // Paced at 57 calls a minute, one at a time: no faster (no 503) and no slower than that pace requires.
            elapsed.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(60.0 / 57 * expected) + TimeSpan.FromSeconds(1));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
