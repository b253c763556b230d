using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// A destination address with a path too many answers 404 to every call: that stops the kind it serves at once with the address
/// to use, its rows wait pending (never dead), and the other kinds of the same pass still go out.
/// </summary>
[EndToEnd]
public class WrongAddressTests
{
    private static string Trimmed(Uri url) => url.ToString().TrimEnd('/');

    [Fact]
    public async Task Pass_SalesDataHostAnswers404_ContactsAndEventsStillDelivered_SalesRowsWaitPendingUntilFixed()
    {
        await using var h = await SandboxHarness.StartAsync(20);
        var sync = h.Sync(orders: true);
        await h.PassAsync(sync: sync);
        var customer = h.ValidCustomers()[0];
        h.Sandbox.Commercetools.AddOrder(LiveOrder(customer));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var wrong = With(h.Config(sync), salesDataUrl: new Uri(Trimmed(h.Sandbox.EmarsysUrl) + "/hapi"), apiUrl: null);
        var counters = new PassCounters();

        PipelineHaltedException halted;
        await using (var runtime = await PipelineFactory.CreateAsync(wrong, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None))
        {
            halted = await Should.ThrowAsync<PipelineHaltedException>(() => runtime.Pipeline.RunPassAsync(new PassOptions(), counters, CancellationToken.None));
            var lanes = await runtime.Store.CountLanesAsync(CancellationToken.None);
            lanes.ShouldNotContain(l => l.Status == OutboxStatus.Dead);
            lanes.Where(l => l.Status == OutboxStatus.Pending).Sum(l => l.Count).ShouldBeGreaterThan(0);
        }

        halted.Message.ShouldContain("Emarsys answered 404 at");
        halted.Message.ShouldContain($"set salesDataUrl (destinations.emarsys.salesDataUrl in the config) to {Trimmed(h.Sandbox.EmarsysUrl)}");
        h.Sandbox.Emarsys.SalesRows.ShouldBeEmpty();
        // The same pass still delivered the other kinds: the order's events and the buyer's new order summary on the contact.
        h.Sandbox.Emarsys.Triggers.ShouldContain(t => t.TriggerId == $"OrderPlaced:{OrderId}");
        (await h.ReadContactsAsync([customer.Id!]))[customer.Id!]["9003"].ShouldBe("1");
        foreach (var r in counters.Rows)
        {
            (r.Sent + r.Parked + r.Quarantined + r.Dead + r.Pending).ShouldBe(r.Staged + r.Carried, $"{r.Destination} {r.Kind} balances");
        }

        counters.Rows.Single(r => r.Kind == EntityKind.Order).Pending.ShouldBeGreaterThan(0);

        var fixedPass = await h.PassAsync(sync: sync);

        fixedPass.Counters.Dead.ShouldBe(0);
        h.Sandbox.Emarsys.SalesRows.Where(r => r["order"] == "WRONG-1").Select(r => r["item"]).ShouldBe(["SKU-000101", "SKU-000102"], ignoreOrder: true);
    }

    [Fact]
    public async Task Pass_ApiUrlEndingInApi_StopsAtOnceWithTheUrlToUse_NothingDead_DeliveredOnceFixed()
    {
        await using var h = await SandboxHarness.StartAsync(60);
        var sync = h.Sync(batchSize: 10);
        var wrong = With(h.Config(sync), salesDataUrl: null, apiUrl: new Uri(Trimmed(h.Sandbox.EmarsysUrl) + "/api"));
        h.Sandbox.Emarsys.ResetCounters();

        await using (var runtime = await PipelineFactory.CreateAsync(wrong, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None))
        {
            var halted = await Should.ThrowAsync<PipelineHaltedException>(() => runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None));

            halted.Message.ShouldContain($"Emarsys answered 404 at {Trimmed(h.Sandbox.EmarsysUrl)}/api/api/v2/contact");
            halted.Message.ShouldContain($"set apiUrl (destinations.emarsys.apiUrl in the config) to {Trimmed(h.Sandbox.EmarsysUrl)}");
            var lanes = await runtime.Store.CountLanesAsync(CancellationToken.None);
            lanes.ShouldNotContain(l => l.Status == OutboxStatus.Dead);
            lanes.ShouldContain(l => l.Status == OutboxStatus.Pending && l.Count > 0);
        }

        // Stopped at once: one refused call, not a retry of every batch until it goes dead.
        h.Sandbox.Emarsys.RequestCount.ShouldBe(1);

        var report = await h.PassAsync(sync: sync);

        report.Counters.Dead.ShouldBe(0);
        h.Sandbox.Emarsys.Contacts.Count.ShouldBe(h.ValidCustomers().Count);
    }

    private const string OrderId = "wrong-address-order";

    private static SandboxOrder LiveOrder(SandboxCustomer customer) => new()
    {
        Id = OrderId,
        OrderNumber = "WRONG-1",
        CustomerId = customer.Id,
        CustomerEmail = customer.Email,
        OrderState = "Confirmed",
        PaymentState = "Paid",
        Store = "eu",
        TotalPrice = SandboxMoney.Of(60, "EUR"),
        LineItems =
        [
            new SandboxLineItem { Id = "line-a", Sku = "SKU-000101", Name = { ["en"] = "Shirt" }, Price = SandboxMoney.Of(20, "EUR"), Quantity = 1, TotalPrice = SandboxMoney.Of(20, "EUR") },
            new SandboxLineItem { Id = "line-b", Sku = "SKU-000102", Name = { ["en"] = "Socks" }, Price = SandboxMoney.Of(10, "EUR"), Quantity = 4, TotalPrice = SandboxMoney.Of(40, "EUR") },
        ],
    };

    /// <summary>The sandbox config with the Emarsys addresses replaced where given.</summary>
    private static TributaryConfig With(TributaryConfig config, Uri? salesDataUrl, Uri? apiUrl)
    {
        var e = config.Destinations.OfType<EmarsysConfig>().Single();
        var changed = new EmarsysConfig
        {
            ApiUrl = apiUrl ?? e.ApiUrl,
            User = e.User,
            Secret = e.Secret,
            RequestsPerMinute = e.RequestsPerMinute,
            SalesDataUrl = salesDataUrl ?? e.SalesDataUrl,
            MerchantId = e.MerchantId,
            SalesDataToken = e.SalesDataToken,
            EventIds = e.EventIds,
            SummaryFields = e.SummaryFields,
        };
        return new TributaryConfig
        {
            FilePath = config.FilePath,
            PipelineName = config.PipelineName,
            StatePath = config.StatePath,
            Source = config.Source,
            Destinations = [changed],
            Sync = config.Sync,
            Dashboard = config.Dashboard,
            Sandbox = config.Sandbox,
        };
    }
}
