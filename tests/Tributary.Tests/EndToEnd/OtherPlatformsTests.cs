using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Sandbox.Centra;

namespace Tributary.Tests.EndToEnd;

/// <summary>The same engine with the other connectors: Centra and Cin7 Core as sources (Dotdigital: DotdigitalTests).</summary>
public sealed class OtherPlatformsTests
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
}

public sealed class Cin7CoreToEmarsysTests
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
            Cin7Core = new Tributary.Host.Configuration.Cin7CoreConfig
            {
                Url = h.Sandbox.Cin7CoreUrl,
                AccountId = h.Options.Cin7Core.AccountId,
                ApplicationKey = h.Options.Cin7Core.ApplicationKey,
                WebhookKey = "hook-key",
            },
            Emarsys = emarsys.Emarsys,
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
}
