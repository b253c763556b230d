using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Commercetools;
using Tributary.Connectors.Dotdigital;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Sandbox.Generator;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// commercetools into Dotdigital through the real pipeline and the emulator: contacts and consent, orders, catalogue and stock,
/// partial import failures and their replay, and what a pass with no change costs.
/// </summary>
[EndToEnd]
public sealed class DotdigitalTests
{
    private static async Task<PassReport> PassAsync(TributaryConfig config, PassOptions? pass = null)
    {
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        return await runtime.Pipeline.RunPassAsync(pass ?? new PassOptions(), null, CancellationToken.None);
    }

    private static void TiersOff(SandboxHarness h)
    {
        h.Options.Dotdigital.LowTierPerMinute = 0;
        h.Options.Dotdigital.MediumTierPerMinute = 0;
        h.Options.Dotdigital.HighTierPerMinute = 0;
    }

    /// <summary>The sandbox Dotdigital config with the commercetools stock channels set and other entities.</summary>
    private static TributaryConfig CatalogueConfig(SandboxHarness h)
    {
        var baseline = SandboxConfig.ForDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var ct = baseline.Connector<CommercetoolsConfig>()!;
        return new TributaryConfig
        {
            FilePath = baseline.FilePath,
            PipelineName = baseline.PipelineName,
            StatePath = baseline.StatePath,
            Source = new CommercetoolsConfig
            {
                ApiUrl = ct.ApiUrl,
                AuthUrl = ct.AuthUrl,
                ProjectKey = ct.ProjectKey,
                ClientId = ct.ClientId,
                ClientSecret = ct.ClientSecret,
                StockChannels = [ShopGenerator.WebChannelKey, ShopGenerator.StoreChannelKey],
            },
            Destinations = baseline.Destinations,
            Sync = new SyncConfig
            {
                Entities = [EntityKind.Product, EntityKind.Stock],
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                RetryMaxDelay = TimeSpan.FromMilliseconds(100),
            },
        };
    }

    [Fact]
    public async Task CommercetoolsToDotdigital_ConsentNeverUpgraded_AndANoChangePassCostsNothing()
    {
        await using var h = await SandboxHarness.StartAsync(120);
        TiersOff(h);
        var config = SandboxConfig.ForDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync());

        await PassAsync(config);
        var requests = h.Sandbox.Dotdigital.RequestCount;
        var again = await PassAsync(config, new PassOptions(Full: true));

        again.Counters.Calls.ShouldBe(0);
        h.Sandbox.Dotdigital.RequestCount.ShouldBe(requests);
        foreach (var customer in h.ValidCustomers())
        {
            var contact = h.Sandbox.Dotdigital.FindContact(customer.Email.Trim().ToLowerInvariant());
            contact.ShouldNotBeNull($"contact for customer {customer.Id}");
            var optIn = customer.CustomFields.TryGetValue("marketingOptIn", out var v) ? v : null;
            contact.EmailStatus.ShouldBe(optIn is true ? "subscribed" : "unsubscribed", $"customer {customer.Id}");
            contact.DataFields["FIRSTNAME"].ShouldBe(customer.FirstName);
        }

        h.Sandbox.Dotdigital.Contacts.Count.ShouldBe(h.ValidCustomers().Count);
    }

    [Fact]
    public async Task SignedUpInDotdigital_ShopHasNoAnswer_FirstDeliveryAdoptsTheContact_StatusKept_ALaterShopOptOutIsWritten()
    {
        await using var h = await SandboxHarness.StartAsync(30);
        TiersOff(h);
        var unknown = h.ValidCustomers().Where(c => !c.CustomFields.ContainsKey("marketingOptIn")).Take(2).ToList();
        unknown.Count.ShouldBe(2, "the generated shop has customers without an answer");
        var (signedUp, brandNew) = (unknown[0], unknown[1]);
        var email = signedUp.Email.Trim().ToLowerInvariant();
        // The person signed up through a Dotdigital form before the shop was connected.
        var contactId = h.Sandbox.Dotdigital.AddContact(email, "subscribed");
        var config = SandboxConfig.ForDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync());

        var report = await PassAsync(config);

        var adopted = h.Sandbox.Dotdigital.FindContact(email).ShouldNotBeNull();
        adopted.ContactId.ShouldBe(contactId, "the existing contact is adopted, no second one is made");
        adopted.EmailStatus.ShouldBe("subscribed", "the shop's \"don't know\" is never written over the form's opt-in");
        adopted.DataFields["FIRSTNAME"].ShouldBe(signedUp.FirstName, "the contact's other details are still updated");
        h.Sandbox.Dotdigital.FindContact(brandNew.Email.Trim()).ShouldNotBeNull().EmailStatus.ShouldBe("unsubscribed", "a new contact without an answer is not marketable");
        report.Counters.Notes.Keys.ShouldContain(n => n == "dotdigital: Dotdigital already holds a contact with this address");
        report.Counters.Notes["dotdigital: Dotdigital already holds a contact with this address"].ShouldBe(1, "counted once, for the one adopted contact");
        h.Sandbox.Dotdigital.Contacts.Count(c => c.Email == email).ShouldBe(1);

        // Later the shop records an explicit opt-out: that answer is written.
        h.Sandbox.Commercetools.UpdateCustomer(signedUp.Id!, c => c.CustomFields["marketingOptIn"] = false).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await PassAsync(config);
        h.Sandbox.Dotdigital.FindContact(email)!.EmailStatus.ShouldBe("unsubscribed");
    }

    [Fact]
    public async Task UnsubscribedInDotdigital_SourceChangesLater_StaysUnsubscribed()
    {
        await using var h = await SandboxHarness.StartAsync(30);
        TiersOff(h);
        var config = SandboxConfig.ForDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync());
        await PassAsync(config);
        var customer = h.ValidCustomers().First(c => c.CustomFields.TryGetValue("marketingOptIn", out var v) && v is true);
        var email = customer.Email.Trim().ToLowerInvariant();
        h.Sandbox.Dotdigital.FindContact(email)!.EmailStatus.ShouldBe("subscribed");

        h.Sandbox.Dotdigital.SetEmailStatus(email, "unsubscribed");
        h.Sandbox.Commercetools.UpdateCustomer(customer.Id!, c => c.FirstName = "Renamed").ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await PassAsync(config);
        await PassAsync(config, new PassOptions(Full: true));

        var contact = h.Sandbox.Dotdigital.FindContact(email)!;
        contact.DataFields["FIRSTNAME"].ShouldBe("Renamed");
        contact.EmailStatus.ShouldBe("unsubscribed");
    }

    [Fact]
    public async Task EmailChangedAtTheSource_TheSameContactTakesTheNewAddress_OneContact_StatusUnchanged()
    {
        await using var h = await SandboxHarness.StartAsync(30);
        TiersOff(h);
        var config = SandboxConfig.ForDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync());
        await PassAsync(config);
        var count = h.Sandbox.Dotdigital.Contacts.Count;
        // More email changes than the bulk threshold in one pass: each still addresses its own contact by id.
        var movers = h.ValidCustomers().Take(DotdigitalDestinationOptions.DefaultBulkThreshold + 2).ToList();
        var oldEmails = movers.ToDictionary(c => c.Id!, c => c.Email.Trim().ToLowerInvariant());
        h.Sandbox.Dotdigital.SetEmailStatus(oldEmails[movers[0].Id!], "unsubscribed");
        var before = movers.ToDictionary(c => c.Id!, c => h.Sandbox.Dotdigital.FindContact(oldEmails[c.Id!])!);
        foreach (var customer in movers)
        {
            h.Sandbox.Commercetools.UpdateCustomer(customer.Id!, c => c.Email = $"moved.{customer.Id}@example.com").ShouldBeTrue();
        }

        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var report = await PassAsync(config);

        report.Counters.Quarantined.ShouldBe(0);
        h.Sandbox.Dotdigital.Contacts.Count.ShouldBe(count, "an email change never creates a second contact");
        foreach (var customer in movers)
        {
            h.Sandbox.Dotdigital.FindContact(oldEmails[customer.Id!]).ShouldBeNull();
            var moved = h.Sandbox.Dotdigital.FindContact($"moved.{customer.Id}@example.com").ShouldNotBeNull();
            moved.ContactId.ShouldBe(before[customer.Id!].ContactId);
            moved.EmailStatus.ShouldBe(before[customer.Id!].EmailStatus,
                "the email change carries no status: what the contact had, it keeps");
        }
    }

    [Fact]
    public async Task EmailChangedToAnotherContactsAddress_QuarantinedNamingBothContacts_NothingMerged()
    {
        await using var h = await SandboxHarness.StartAsync(10);
        TiersOff(h);
        var config = SandboxConfig.ForDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync());
        await PassAsync(config);
        var (mover, owner) = (h.ValidCustomers()[0], h.ValidCustomers()[1]);
        var moverEmail = mover.Email.Trim().ToLowerInvariant();
        var moverContact = h.Sandbox.Dotdigital.FindContact(moverEmail)!.ContactId;
        var ownerEmail = owner.Email.Trim().ToLowerInvariant();
        var ownerContact = h.Sandbox.Dotdigital.FindContact(ownerEmail)!.ContactId;
        var count = h.Sandbox.Dotdigital.Contacts.Count;
        h.Sandbox.Commercetools.UpdateCustomer(mover.Id!, c => c.Email = ownerEmail).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var row = (await runtime.Store.GetOutboxAsync("dotdigital", EntityKind.Customer, mover.Id!, CancellationToken.None)).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError.ShouldNotBeNull().ShouldContain($"{moverContact}");
        row.LastError.ShouldContain($"{ownerContact}");
        row.LastError.ShouldNotContain(ownerEmail);
        h.Sandbox.Dotdigital.Contacts.Count.ShouldBe(count);
        h.Sandbox.Dotdigital.FindContact(ownerEmail)!.ContactId.ShouldBe(ownerContact);
        h.Sandbox.Dotdigital.FindContact(moverEmail)!.ContactId.ShouldBe(moverContact);
    }

    [Fact]
    public async Task ImportPartialFailure_QuarantinedWithTheRecordsReason_FixedAtSourceAndReplayed_Delivered()
    {
        await using var h = await SandboxHarness.StartAsync(60);
        TiersOff(h);
        var config = SandboxConfig.ForDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var rejected = h.ValidCustomers()[7];
        var badEmail = rejected.Email.Trim().ToLowerInvariant();
        h.Sandbox.Dotdigital.RejectEmail(badEmail, "invalidEmail", $"Invalid value for 'email': {badEmail}");
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        var report = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);

        // More than the bulk threshold: one import; the one record it refused is visible with the platform's reason, masked.
        report.Counters.Quarantined.ShouldBe(h.InvalidCustomers().Count + 1);
        var row = (await runtime.Store.GetOutboxAsync("dotdigital", EntityKind.Customer, rejected.Id!, CancellationToken.None)).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError.ShouldNotBeNull().ShouldContain("invalidEmail");
        row.LastError.ShouldNotContain(badEmail);
        h.Sandbox.Dotdigital.FindContact(badEmail).ShouldBeNull();
        h.Sandbox.Dotdigital.Contacts.Count.ShouldBe(h.ValidCustomers().Count - 1);

        h.Sandbox.Commercetools.UpdateCustomer(rejected.Id!, c => c.Email = "fixed.address@example.com").ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var replay = await runtime.Pipeline.ReplayAsync(OutboxStatus.Quarantined, [rejected.Id!], null, CancellationToken.None);

        replay.Requeued.ShouldBe(1);
        (await runtime.Store.GetOutboxAsync("dotdigital", EntityKind.Customer, rejected.Id!, CancellationToken.None)).ShouldBeNull();
        h.Sandbox.Dotdigital.FindContact("fixed.address@example.com").ShouldNotBeNull().DataFields["FIRSTNAME"].ShouldBe(rejected.FirstName);
    }

    [Fact]
    public async Task ProductsAndStock_CatalogueEqualsTheSource_StockAndPriceChangesReachIt()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        TiersOff(h);
        var generator = new ShopGenerator(5);
        var products = generator.Products(30);
        var channels = ShopGenerator.Channels();
        var inventory = generator.Inventory(products, channels);
        h.Sandbox.Commercetools.AddChannels(channels);
        h.Sandbox.Commercetools.AddProducts(products);
        h.Sandbox.Commercetools.AddInventory(inventory);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await using var runtime = await PipelineFactory.CreateAsync(CatalogueConfig(h), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var storefront = channels.Where(c => c.Key is ShopGenerator.WebChannelKey or ShopGenerator.StoreChannelKey).Select(c => c.Id).ToHashSet();
        var expectedStock = inventory.Where(e => e.SupplyChannelId is not null && storefront.Contains(e.SupplyChannelId))
            .GroupBy(e => e.Sku).ToDictionary(g => g.Key, g => (decimal)g.Sum(e => e.AvailableQuantity));
        var variants = products.SelectMany(p => p.AllVariants.Select(v => (Product: p, Variant: v))).ToDictionary(x => x.Variant.Sku!);
        var catalogue = h.Sandbox.Dotdigital.Collections["Catalog_Default"];
        catalogue.Scope.ShouldBe("account");
        // Every source SKU is in the catalogue, or quarantined with the reason (the generator makes some unsellable).
        var quarantined = (await runtime.Store.ListAsync(OutboxStatus.Quarantined, "dotdigital", 1000, CancellationToken.None))
            .Where(q => q.Entity == EntityKind.Product).ToList();
        quarantined.ShouldAllBe(q => !string.IsNullOrEmpty(q.LastError));
        catalogue.Records.Keys.Concat(quarantined.Select(q => q.Key)).Order(StringComparer.Ordinal).ToList()
            .ShouldBe(variants.Keys.Order(StringComparer.Ordinal).ToList());
        catalogue.Records.Count.ShouldBeGreaterThan(quarantined.Count);
        foreach (var (sku, record) in catalogue.Records)
        {
            using var json = System.Text.Json.JsonDocument.Parse(record.Json);
            var root = json.RootElement;
            var (product, variant) = variants[sku];
            root.GetProperty("id").GetString().ShouldBe(sku);
            root.GetProperty("sku").GetString().ShouldBe(sku);
            product.Name.Values.ShouldContain(root.GetProperty("name").GetString());
            var currency = root.GetProperty("currency").GetString();
            variant.Prices.Where(p => p.Value.CurrencyCode == currency).Select(p => p.Value.CentAmount / 100m)
                .ShouldContain(root.GetProperty("price").GetDecimal(), $"price of {sku}");
            root.GetProperty("status").GetString().ShouldBe("Enabled");
            if (expectedStock.TryGetValue(sku, out var stock))
            {
                root.GetProperty("stock").GetDecimal().ShouldBe(stock, $"stock of {sku}");
            }
        }

        var changed = expectedStock.Keys.First(catalogue.Records.ContainsKey);
        h.Sandbox.Commercetools.SetStock(changed, ShopGenerator.WebChannelKey, 9, 9).ShouldBeTrue();
        h.Sandbox.Commercetools.SetStock(changed, ShopGenerator.StoreChannelKey, 0, 0).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        Read(h, changed).GetProperty("stock").GetDecimal().ShouldBe(9m);

        // A product change rewrites the whole record and keeps the stock the last stock level set.
        var currencyOfRecord = Read(h, changed).GetProperty("currency").GetString()!;
        h.Sandbox.Commercetools.SetPrice(changed, currencyOfRecord, 12.34m).ShouldBeTrue();
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var after = Read(h, changed);
        after.GetProperty("price").GetDecimal().ShouldBe(12.34m);
        after.GetProperty("stock").GetDecimal().ShouldBe(9m);

        var requests = h.Sandbox.Dotdigital.RequestCount;
        var again = await runtime.Pipeline.RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None);
        again.Counters.Calls.ShouldBe(0);
        h.Sandbox.Dotdigital.RequestCount.ShouldBe(requests);
    }

    private static System.Text.Json.JsonElement Read(SandboxHarness h, string sku) =>
        System.Text.Json.JsonDocument.Parse(h.Sandbox.Dotdigital.Collections["Catalog_Default"].Records[sku].Json).RootElement.Clone();

    [Fact]
    public async Task CommercetoolsOrdersToDotdigital_OneInsightRecordPerInScopeOrder_AfterItsContact()
    {
        await using var h = await SandboxHarness.StartAsync(60);
        h.SeedOrders(80);
        TiersOff(h);
        var config = SandboxConfig.ForDotdigital(h.Sandbox, h.Options, h.StatePath, h.Sync(orders: true));
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

        var report = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var again = await runtime.Pipeline.RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None);

        var orders = h.Sandbox.Dotdigital.Collections["Orders"];
        var validCustomers = h.ValidCustomers().Select(c => c.Id!).ToHashSet();
        var expected = h.Sandbox.Commercetools.Orders
            .Where(o => o.Store is not ("marketplace" or "b2b")
                && !(o.CustomFields.TryGetValue("salesChannel", out var ch) && ch is string c && !c.Equals("dtc", StringComparison.OrdinalIgnoreCase))
                && o.CustomerId is not null && validCustomers.Contains(o.CustomerId))
            .Select(o => o.Id!)
            .ToHashSet();
        expected.ShouldNotBeEmpty();
        orders.Records.Select(r => r.Key).Where(expected.Contains).Count().ShouldBe(expected.Count);
        again.Counters.Calls.ShouldBe(0);
        var dead = await runtime.Store.ListAsync(OutboxStatus.Dead, null, 100, CancellationToken.None);
        dead.Select(d => $"{d.Entity} {d.Key}: {d.LastError}").ShouldBeEmpty();
        report.Counters.Dead.ShouldBe(0);
        // Guest orders whose email is no Dotdigital contact cannot be stored there: quarantined with the platform's words.
        var guests = h.Sandbox.Commercetools.Orders.Where(o => o.CustomerId is null).Select(o => o.Id!).ToHashSet();
        var quarantined = await runtime.Store.ListAsync(OutboxStatus.Quarantined, "dotdigital", 1000, CancellationToken.None);
        quarantined.Where(q => q.Entity == EntityKind.Order && q.LastError!.Contains("contactNotFound")).ShouldAllBe(q => guests.Contains(q.Key));
    }
}
