using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Engine.Reconciliation;
using Tributary.Engine;
using Tributary.Host.Commands;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Sandbox.Commercetools;
using Tributary.Sandbox.Generator;

namespace Tributary.Tests.EndToEnd;

/// <summary>Reconciliation against the emulators: seeded drift is found, named, and repaired through the outbox.</summary>
[EndToEnd]
public sealed class ReconcileTests
{
    [Fact]
    public async Task Reconcile_DeletedContactAndMissedOrder_FoundAndRepaired()
    {
        await using var h = await SandboxHarness.StartAsync(120);
        h.SeedOrders(200);
        var sync = h.Sync(orders: true);
        await using var runtime = await h.OpenAsync(sync);
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var baseline = await ReconcileCommand.RunAsync(runtime, repair: false, TimeProvider.System, CancellationToken.None);
        baseline.Report.Repairable.ShouldBe(0, ReconciliationReportFile.ToJson(baseline.Report));
        var customers = baseline.Report.Entities.Single(e => e.Entity == EntityKind.Customer);
        customers.ComparedWith.ShouldBe("read API");
        customers.SourceRecords.ShouldBe(h.ValidCustomers().Count);
        customers.DestinationRecords.ShouldBe(customers.SourceRecords);

        // Drift 1: someone deletes a contact in Emarsys. Drift 2: an order the incremental sweep never saw (modified long ago).
        var victim = h.ValidCustomers()[3];
        var victimId = victim.Id!;
        var options = new EmarsysClientOptions { ApiUrl = h.Sandbox.EmarsysUrl, User = h.Options.Emarsys.User, Secret = h.Options.Emarsys.Secret! };
        using (var http = EmarsysClient.CreateHttpClient(options, h.Clock))
        {
            await new EmarsysClient(http, options, h.Clock).DeleteContactsAsync(SandboxHarness.KeyField, [victimId], CancellationToken.None);
        }

        var buyer = h.ValidCustomers()[5];
        var longAgo = h.Clock.GetUtcNow().AddHours(-6);
        var missedOrder = h.Sandbox.Commercetools.AddOrder(new SandboxOrder
        {
            OrderNumber = "MISSED-1",
            CustomerId = buyer.Id,
            CustomerEmail = buyer.Email,
            OrderState = "Confirmed",
            PaymentState = "Paid",
            Store = "eu",
            CreatedAt = longAgo,
            LastModifiedAt = longAgo,
            TotalPrice = SandboxMoney.Of(30, "EUR"),
            LineItems = [new SandboxLineItem { Id = "l1", Sku = "SKU-000101", Name = { ["en"] = "Shirt" }, Price = SandboxMoney.Of(30, "EUR"), Quantity = 1, TotalPrice = SandboxMoney.Of(30, "EUR") }],
        });
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        h.Sandbox.Emarsys.SalesRows.ShouldNotContain(r => r["order"] == "MISSED-1");

        var (drift, _) = await ReconcileCommand.RunAsync(runtime, repair: false, TimeProvider.System, CancellationToken.None);

        drift.Repairable.ShouldBe(2);
        var missing = drift.Entities.SelectMany(e => e.Differences).Where(d => d.Kind == DifferenceKind.MissingAtDestination).ToList();
        missing.ShouldContain(d => d.Entity == EntityKind.Customer && d.Key == victimId && d.Lane == null);
        missing.ShouldContain(d => d.Entity == EntityKind.Order && d.Key == missedOrder);
        var orderSums = drift.Entities.Single(e => e.Entity == EntityKind.Order).Sums.Single(s => s.Field == "order total EUR");
        var before = baseline.Report.Entities.Single(e => e.Entity == EntityKind.Order).Sums.Single(s => s.Field == "order total EUR");
        // Orders parked behind an invalid contact were already outside the destination's total; the missed order adds its 30.
        (orderSums.Difference - before.Difference).ShouldBe(30m);
        var latest = await ReconciliationReportFile.ReadAsync(ReconciliationReportFile.LatestPath(runtime.Config.StatePath), CancellationToken.None);
        latest!.Repairable.ShouldBe(2);

        var (after, repair) = await ReconcileCommand.RunAsync(runtime, repair: true, TimeProvider.System, CancellationToken.None);

        repair!.Staged.ShouldBe(2);
        after.Repairable.ShouldBe(0);
        var contact = (await h.ReadContactsAsync([victimId]))[victimId];
        SandboxHarness.ShouldMatch(contact, h.Sandbox.Commercetools.Customers.Single(c => c.Id == victimId));
        h.Sandbox.Emarsys.SalesRows.Count(r => r["order"] == "MISSED-1").ShouldBe(1);
    }

    [Fact]
    public async Task Reconcile_OptInCollectedInEmarsys_ReportedAsConsentDrift_RepairFixesTheNameAndKeepsTheOptIn()
    {
        await using var h = await SandboxHarness.StartAsync(40);
        await using var runtime = await h.OpenAsync();
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var shopper = h.ValidCustomers().First(c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is false);
        // The shop says no; later she subscribes through an Emarsys form, and someone edits her name in Emarsys by hand.
        h.Sandbox.Emarsys.SetFieldInEmarsys(SandboxHarness.KeyField, shopper.Id!, "31", "1").ShouldBeTrue();
        h.Sandbox.Emarsys.SetFieldInEmarsys(SandboxHarness.KeyField, shopper.Id!, "2", "Typo").ShouldBeTrue();

        var (drift, _) = await ReconcileCommand.RunAsync(runtime, repair: false, TimeProvider.System, CancellationToken.None);

        var customers = drift.Entities.Single(e => e.Entity == EntityKind.Customer);
        customers.ConsentDrift.ShouldBe(1);
        customers.FieldsDiffer.ShouldBe(1);
        customers.Differences.ShouldContain(d => d.Key == shopper.Id && d.Kind == DifferenceKind.ConsentDrift && d.Fields.SequenceEqual(new[] { "31" }));
        customers.Differences.ShouldContain(d => d.Key == shopper.Id && d.Kind == DifferenceKind.FieldsDiffer && d.Fields.SequenceEqual(new[] { "2" }));
        drift.Repairable.ShouldBe(1, "consent drift is never repaired");
        drift.Clean.ShouldBeFalse();

        var (after, repair) = await ReconcileCommand.RunAsync(runtime, repair: true, TimeProvider.System, CancellationToken.None);

        repair!.Staged.ShouldBe(1);
        var contact = (await h.ReadContactsAsync([shopper.Id!]))[shopper.Id!];
        contact["2"].ShouldBe(shopper.LastName);
        contact["31"].ShouldBe("1", "the repair re-sent the name, never the shop's older opt-out over the form's opt-in");
        after.Repairable.ShouldBe(0);
        after.Entities.Single(e => e.Entity == EntityKind.Customer).ConsentDrift.ShouldBe(1, "still reported, for the shop to decide");
    }

    [Fact]
    public async Task Repair_Dotdigital_ResendsTheChangedFields_NeverTheStatus_SoAnOptInMadeThereSurvives()
    {
        await using var h = await SandboxHarness.StartAsync(40);
        await using var runtime = await h.OpenDotdigitalAsync();
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var shopper = h.ValidCustomers().First(c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is false);
        var email = shopper.Email.Trim().ToLowerInvariant();
        h.Sandbox.Dotdigital.FindContact(email).ShouldNotBeNull().EmailStatus.ShouldBe("unsubscribed");
        // She subscribes through a Dotdigital form; the shop corrects her name, and the change is missed (no sweep ran).
        h.Sandbox.Dotdigital.SetEmailStatus(email, "subscribed");
        h.Sandbox.Commercetools.UpdateCustomer(shopper.Id!, c => c.FirstName = "Corrected").ShouldBeTrue();

        var (drift, _) = await ReconcileCommand.RunAsync(runtime, repair: false, TimeProvider.System, CancellationToken.None);
        drift.Repairable.ShouldBe(1, ReconciliationReportFile.ToJson(drift));
        var (_, repair) = await ReconcileCommand.RunAsync(runtime, repair: true, TimeProvider.System, CancellationToken.None);

        repair!.Staged.ShouldBe(1);
        var contact = h.Sandbox.Dotdigital.FindContact(email).ShouldNotBeNull();
        contact.DataFields["FIRSTNAME"].ShouldBe("Corrected");
        contact.EmailStatus.ShouldBe("subscribed", "the repair never re-sends the shop's older opt-out over the form's opt-in");
    }

    [Fact]
    public async Task Reconcile_PriceChangedAtSource_CatalogueAuditNamesItAndRepairFixesTheFeed()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        var generator = new ShopGenerator(5);
        var products = generator.Products(40);
        h.Sandbox.Commercetools.AddChannels(ShopGenerator.Channels());
        h.Sandbox.Commercetools.AddProducts(products);
        h.Sandbox.Commercetools.AddInventory(generator.Inventory(products, ShopGenerator.Channels()));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var baseline = SandboxConfig.For(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var config = new TributaryConfig
        {
            FilePath = baseline.FilePath,
            StatePath = baseline.StatePath,
            Source = baseline.Source,
            Destinations =
            [
                new EmarsysConfig
                {
                    ApiUrl = baseline.Connector<EmarsysConfig>()!.ApiUrl,
                    User = baseline.Connector<EmarsysConfig>()!.User,
                    Secret = baseline.Connector<EmarsysConfig>()!.Secret,
                    RequestsPerMinute = 0,
                    Catalogue = new EmarsysCatalogueOptions { Enabled = true },
                },
            ],
            Sync = new SyncConfig { Entities = [EntityKind.Product, EntityKind.Stock], RetryBaseDelay = TimeSpan.FromMilliseconds(10) },
        };
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var clean = await ReconcileCommand.RunAsync(runtime, repair: false, TimeProvider.System, CancellationToken.None);
        clean.Report.Repairable.ShouldBe(0, ReconciliationReportFile.ToJson(clean.Report));
        clean.Report.Catalogue!.Differences.ShouldBeEmpty();
        clean.Report.Catalogue.FeedItems.ShouldBe(clean.Report.Catalogue.SourceItems);

        var sku = (await runtime.Store.ReadDeliveredAsync("emarsys", EntityKind.Product, CancellationToken.None).FirstAsync()).Key;
        h.Sandbox.Commercetools.SetPrice(sku, "EUR", 12.34m).ShouldBeTrue();

        var (drift, _) = await ReconcileCommand.RunAsync(runtime, repair: false, TimeProvider.System, CancellationToken.None);

        var product = drift.Entities.Single(e => e.Entity == EntityKind.Product);
        product.FieldsDiffer.ShouldBe(1);
        product.Differences.Single().ShouldSatisfyAllConditions(
            d => d.Key.ShouldBe(sku),
            d => d.Fields.ShouldContain(EmarsysCatalogFeed.Price));
        product.Sums.Single(s => s.Field == EmarsysCatalogFeed.Price).Difference.ShouldNotBe(0m);
        var audit = drift.Catalogue!;
        audit.PriceDiffers.ShouldBe(1);
        audit.Differences.Single().ShouldBe(new CatalogueDifference(sku, "price differs", "12.34", audit.Differences.Single().Feed));

        var (after, repair) = await ReconcileCommand.RunAsync(runtime, repair: true, TimeProvider.System, CancellationToken.None);

        repair!.Staged.ShouldBe(1);
        after.Repairable.ShouldBe(0);
        after.Catalogue!.Differences.ShouldBeEmpty();
    }
}
