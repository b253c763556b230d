using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Sandbox.Cin7Core;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// Tributary's own "notify me" list: a source without shopper lists (Cin7 Core) still sends back-in-stock to the shoppers who
/// asked, once each, through <c>POST /subscriptions/back-in-stock</c>; bad requests are refused with the reason and store nothing.
/// </summary>
[EndToEnd]
public sealed class NotifyMeTests
{
    private const string Key = "pk_test_0123456789abcdef";
    private const string Shop = "https://shop.example.com";

    [Fact]
    public async Task NotifyMe_OnASourceWithoutWatchers_FiresOnceForEachShopperWhoAsked_BadRequestsRefusedAndNothingStored()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        h.Options.Cin7Core.RequestsPerMinute = 0;
        var cin7 = h.Sandbox.Cin7Core;
        var ann = $"{cin7.AddCustomer(Customer("Ann Lee", "ann@example.com"))}";
        var bob = $"{cin7.AddCustomer(Customer("Bob Roe", "bob@example.com"))}";
        cin7.AddProduct(new Cin7SandboxProduct { Sku = "TEE-1", Name = "Tee", PriceTiers = new() { ["Tier 1"] = 25m } });
        cin7.SetStock(new Cin7SandboxStock("TEE-1", "Main Warehouse", OnHand: 0, Allocated: 0));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var baseline = SandboxConfig.ForCin7Core(h.Sandbox, h.Options, h.StatePath, h.Sync());
        var config = new TributaryConfig
        {
            FilePath = baseline.FilePath,
            StatePath = baseline.StatePath,
            Source = baseline.Source,
            Destinations = baseline.Destinations,
            Sync = new SyncConfig
            {
                Entities = [EntityKind.Customer, EntityKind.Stock], RetryBaseDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(100),
            },
            Storefront = new StorefrontConfig { Keys = [Key], Origins = [Shop], RequestsPerMinute = 20 },
        };
        await using var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        async Task PassAsync()
        {
            h.Clock.Advance(TimeSpan.FromSeconds(2));
            (await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None)).ShouldBalance();
        }

        await PassAsync();
        await using var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        using var http = new HttpClient();
        var endpoint = new Uri(server.BaseUrl, "/subscriptions/back-in-stock");
        async Task<(HttpStatusCode Status, string Body)> AskAsync(string json, string? key = Key, string? origin = Shop)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            if (key is not null)
            {
                request.Headers.Add("X-Storefront-Key", key);
            }

            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var annAsks = $$"""{"sku":"TEE-1","customerId":"{{ann}}"}""";
        (await AskAsync(annAsks, key: "pk_guess_0000000000000")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await AskAsync(annAsks, key: null)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await AskAsync(annAsks, origin: "https://evil.example.net")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await AskAsync($$"""{"sku":"TEE-1","customerId":"{{ann}}","pad":"{{new string('x', 5000)}}"}""")).Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var malformed = await AskAsync("{not json");
        malformed.Status.ShouldBe(HttpStatusCode.BadRequest);
        malformed.Body.ShouldContain("not valid JSON");
        (await AskAsync("""{"sku":"TEE-1"}""")).Body.ShouldContain("customerId");
        (await AskAsync("""{"sku":"TEE-1","email":"not-an-address"}""")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await AskAsync($$"""{"sku":"NO-SUCH-SKU","customerId":"{{ann}}"}""")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await AskAsync("""{"sku":"TEE-1","email":"stranger@example.com"}""")).Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await AskAsync("""{"sku":"TEE-1","customerId":"no-such-customer"}""")).Status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await runtime.Store.GetRuleStateAsync(SyncPipeline.NotifyMeRule, EntityKind.Stock, ["TEE-1", "NO-SUCH-SKU"], CancellationToken.None))
            .ShouldBeEmpty("no refused request stored anything");

        var first = await AskAsync(annAsks);
        first.Status.ShouldBe(HttpStatusCode.Created, first.Body);
        (await AskAsync(annAsks)).Status.ShouldBe(HttpStatusCode.OK, "asking twice is one request");
        // By address, as a guest checkout form would: matched on the address the customer was synced with, in any case.
        (await AskAsync("""{"sku":"TEE-1","email":"Bob@Example.com"}""")).Status.ShouldBe(HttpStatusCode.Created);
        // A server-side call (no Origin) is taken.
        (await AskAsync(annAsks, origin: null)).Status.ShouldBe(HttpStatusCode.OK);

        await PassAsync();
        h.Sandbox.Emarsys.Triggers.ShouldBeEmpty("nothing is back in stock yet");
        cin7.SetStock(new Cin7SandboxStock("TEE-1", "Main Warehouse", OnHand: 10, Allocated: 0));
        await PassAsync();
        await PassAsync();

        var triggers = h.Sandbox.Emarsys.Triggers.Where(t => t.ExternalId is not null).OrderBy(t => t.ExternalId, StringComparer.Ordinal).ToList();
        triggers.Select(t => t.ExternalId).ShouldBe(new[] { ann, bob }.Order(StringComparer.Ordinal).ToList());
        triggers.ShouldAllBe(t => t.EventId == 1010 && t.TriggerId!.StartsWith("BackInStock:TEE-1:1:", StringComparison.Ordinal));

        // Sold out and back again: the requests were answered, so nobody hears twice.
        cin7.SetStock(new Cin7SandboxStock("TEE-1", "Main Warehouse", OnHand: 0, Allocated: 0));
        await PassAsync();
        cin7.SetStock(new Cin7SandboxStock("TEE-1", "Main Warehouse", OnHand: 8, Allocated: 0));
        await PassAsync();
        await PassAsync();
        h.Sandbox.Emarsys.Triggers.Count(t => t.ExternalId is not null).ShouldBe(2);

        // A flood from one address is cut off with 429 once the minute's 20 requests are spent.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            statuses.Add((await AskAsync(annAsks)).Status);
        }

        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
        statuses.Take(5).ShouldAllBe(s => s != HttpStatusCode.TooManyRequests, "the first requests of the minute were within the limit");
    }

    private static Cin7SandboxCustomer Customer(string name, string email) => new()
    {
        Name = name,
        Contacts = [new Cin7SandboxContact { Name = name, Email = email, Default = true }],
    };
}
