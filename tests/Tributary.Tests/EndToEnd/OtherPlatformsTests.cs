using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;

namespace Tributary.Tests.EndToEnd;

/// <summary>The same engine with the other connectors: commercetools into Dotdigital.</summary>
public sealed class OtherPlatformsTests
{
    private static async Task<PassReport> PassAsync(TributaryConfig config, PassOptions? pass = null)
    {
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        return await runtime.Pipeline.RunPassAsync(pass ?? new PassOptions(), null, CancellationToken.None);
    }

    [Fact]
    public async Task CommercetoolsToDotdigital_ConsentNeverUpgraded_AndANoChangePassCostsNothing()
    {
        await using var h = await SandboxHarness.StartAsync(120);
        h.Options.Dotdigital.LowTierPerMinute = 0;
        h.Options.Dotdigital.MediumTierPerMinute = 0;
        h.Options.Dotdigital.HighTierPerMinute = 0;
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
}

public sealed class DotdigitalOrdersTests
{
    [Fact]
    public async Task CommercetoolsOrdersToDotdigital_OneInsightRecordPerInScopeOrder_AfterItsContact()
    {
        await using var h = await SandboxHarness.StartAsync(60);
        h.SeedOrders(80);
        h.Options.Dotdigital.LowTierPerMinute = 0;
        h.Options.Dotdigital.MediumTierPerMinute = 0;
        h.Options.Dotdigital.HighTierPerMinute = 0;
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
        var dead = await runtime.Store.ListAsync(Tributary.Core.Contracts.OutboxStatus.Dead, null, 100, CancellationToken.None);
        dead.Select(d => $"{d.Entity} {d.Key}: {d.LastError}").ShouldBeEmpty();
        report.Counters.Dead.ShouldBe(0);
        // Guest orders whose email is no Dotdigital contact cannot be stored there: quarantined with the platform's words.
        var guests = h.Sandbox.Commercetools.Orders.Where(o => o.CustomerId is null).Select(o => o.Id!).ToHashSet();
        var quarantined = await runtime.Store.ListAsync(Tributary.Core.Contracts.OutboxStatus.Quarantined, "dotdigital", 1000, CancellationToken.None);
        quarantined.Where(q => q.Entity == EntityKind.Order && q.LastError!.Contains("contactNotFound")).ShouldAllBe(q => guests.Contains(q.Key));
    }
}
