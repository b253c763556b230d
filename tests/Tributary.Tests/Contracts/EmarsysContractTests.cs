using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;
using Tributary.Core.Rules;
using Tributary.Sandbox;
using Tributary.Tests.Connectors.Emarsys;
using Tributary.Tests.Support;

namespace Tributary.Tests.Contracts;

/// <summary>
/// The Emarsys destination's calls held to Emarsys' published Postman collection. The collection names each endpoint's method,
/// path and headers and its batch limits, but carries no example bodies (every request's raw body is empty) and no example
/// answers, so bodies are checked against the endpoint descriptions there and the field names the connector's README records.
/// </summary>
[Connector]
public class EmarsysContractTests
{
    private static readonly DateTimeOffset Placed = new(2026, 5, 1, 9, 12, 0, TimeSpan.Zero);

    /// <summary>
    /// Calls the connector makes that the collection does not hold, each UNCONFIRMED in the README: the plain field list (the
    /// collection has only its per-language form, <c>field/translate/:languageId</c>, which answers the same field ids), and
    /// check's probe of the sales-data address (a GET; the collection lists only the POST upload there).
    /// </summary>
    private static readonly Dictionary<string, Regex> NotInCollection = new(StringComparer.Ordinal)
    {
        ["GET /api/v2/field"] = new("^GET /api/v2/field$"),
        ["GET /hapi/merchant/{{sales-merchant-id}}/sales-data/api"] = new("^GET /hapi/merchant/[^/]+/sales-data/api$"),
    };

    [Fact]
    public async Task Deliver_EveryCall_IsAnEndpointOfThePublishedCollection_WithItsHeaders()
    {
        var calls = await DeliverEverythingAsync();
        var endpoints = Endpoints();

        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            var path = call.Path[(call.Path.IndexOf("/emarsys/", StringComparison.Ordinal) + "/emarsys".Length)..];
            var name = $"{call.Method} {path}";
            var endpoint = endpoints.FirstOrDefault(e => e.Method == call.Method && e.Pattern.IsMatch(path));
            if (endpoint is null)
            {
                var known = NotInCollection.Where(n => n.Value.IsMatch(name)).Select(n => n.Key).FirstOrDefault();
                known.ShouldNotBeNull($"{name} is not an endpoint of the published collection");
                used.Add(known);
                continue;
            }

            used.Add($"{call.Method} {endpoint.Template}");
            foreach (var (header, value) in endpoint.Headers.Where(h => h.Key is "X-WSSE" or "Authorization"
                         || (h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && call.RequestBody.Length > 0)))
            {
                call.RequestHeaders.TryGetValue(header, out var sent).ShouldBeTrue($"{name} sends no {header} header");
                if (header.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    sent!.ShouldStartWith(value, Case.Insensitive, $"{name} content type");
                }
            }
        }

        used.ShouldBe(new SortedSet<string>(StringComparer.Ordinal)
        {
            "GET /api/v2/field",
            "GET /api/v2/settings",
            "GET /hapi/merchant/{{sales-merchant-id}}/sales-data/api",
            "POST /api/v2/contact/getdata",
            "PUT /api/v2/contact",
            "POST /api/v2/event/:eventId/trigger",
            "POST /hapi/merchant/{{sales-merchant-id}}/sales-data/api",
            "POST /api/v2/contactlist/:listId/add",
            "POST /api/v2/contactlist/:listId/delete",
        }, ignoreOrder: true);
    }

    [Fact]
    public void BatchLimits_AreTheCollectionsMaximumOf1000PerCall()
    {
        var descriptions = Items().ToDictionary(i => i["name"]!.GetValue<string>(), i => i["request"]?["description"]?.GetValue<string>() ?? string.Empty);

        descriptions["Update Contacts"].ShouldContain("The maximum batch size is 1000 contacts per call.");
        descriptions["Trigger External Events"].ShouldContain("The maximum number of objects per request is 1000.");
        EmarsysClient.MaxContactsPerCall.ShouldBeLessThanOrEqualTo(1000);
        EmarsysClient.MaxContactsPerTrigger.ShouldBeLessThanOrEqualTo(1000);
    }

    [Fact]
    public async Task Deliver_Bodies_CarryTheFieldNamesTheEndpointsDescribe()
    {
        var calls = await DeliverEverythingAsync();

        var upsert = JsonNode.Parse(calls.First(c => c.Method == "PUT" && c.Path.EndsWith("/api/v2/contact", StringComparison.Ordinal)).RequestBody)!;
        upsert["key_id"].ShouldNotBeNull();
        upsert["contacts"]!.AsArray().ShouldAllBe(c => c!["3"] != null);
        var getdata = JsonNode.Parse(calls.First(c => c.Path.EndsWith("/contact/getdata", StringComparison.Ordinal)).RequestBody)!;
        getdata["keyId"].ShouldNotBeNull();
        getdata["keyValues"].ShouldBeOfType<JsonArray>();
        getdata["fields"].ShouldBeOfType<JsonArray>();
        var trigger = JsonNode.Parse(calls.First(c => c.Path.EndsWith("/trigger", StringComparison.Ordinal)).RequestBody)!;
        trigger["key_id"].ShouldNotBeNull();
        var contact = trigger["contacts"]!.AsArray().First()!;
        contact["external_id"].ShouldNotBeNull();
        // Per-contact data, as the help centre's trigger example writes it; the collection's trigger has no body (UNCONFIRMED there).
        contact["data"]!["global"].ShouldNotBeNull();
        trigger["data"].ShouldBeNull();
        var sales = calls.First(c => c.Path.EndsWith("/sales-data/api", StringComparison.Ordinal));
        sales.RequestHeaders["Content-Type"].ShouldStartWith("text/csv");
        sales.RequestBody.Split('\n')[0].Split(',').ShouldBe(["order", "timestamp", "customer", "email", "item", "price", "quantity"]);
    }

    private sealed record Endpoint(string Method, string Template, Regex Pattern, IReadOnlyDictionary<string, string> Headers);

    private static IEnumerable<JsonNode> Items()
    {
        var collection = JsonNode.Parse(PublishedContracts.Read("emarsys", "Emarsys_postman_collection.json"))!;
        var stack = new Stack<JsonNode>(collection["item"]!.AsArray().Select(i => i!));
        while (stack.TryPop(out var item))
        {
            if (item["item"] is JsonArray children)
            {
                foreach (var child in children)
                {
                    stack.Push(child!);
                }
            }
            else
            {
                yield return item;
            }
        }
    }

    private static List<Endpoint> Endpoints() => Items()
        .Where(i => i["request"]?["url"]?["path"] is JsonArray)
        .Select(i =>
        {
            var request = i["request"]!;
            var segments = request["url"]!["path"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
            var template = "/" + string.Join('/', segments);
            var pattern = new Regex("^/" + string.Join('/', segments.Select(s => s.StartsWith(':') || s.StartsWith("{{", StringComparison.Ordinal) ? "[^/]+" : Regex.Escape(s))) + "$");
            var headers = (request["header"] as JsonArray ?? [])
                .GroupBy(h => h!["key"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First()!["value"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
            return new Endpoint(request["method"]!.GetValue<string>(), template, pattern, headers);
        })
        .ToList();

    private static Customer Ann => new()
    {
        SourceId = "CT-1", Email = "ann@example.com", FirstName = "Ann", LastName = "Lee",
        Consents = new Dictionary<string, Consent> { [ConsentChannels.Email] = new(ConsentStatus.Subscribed) },
    };

    private static async Task<IReadOnlyList<RecordedCall>> DeliverEverythingAsync()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero), ClockMode.Wall);
        var sandbox = new SandboxOptions();
        sandbox.Emarsys.RequestsPerMinute = 0;
        await using var server = await SandboxServer.StartAsync(sandbox, clock, CancellationToken.None);
        var recorder = new ContractRecorder();
        var destination = EmarsysDestination.Create(new EmarsysClientOptions
        {
            ApiUrl = server.EmarsysUrl, User = sandbox.Emarsys.User, Secret = sandbox.Emarsys.Secret,
            SalesDataUrl = server.EmarsysUrl, MerchantId = sandbox.Emarsys.MerchantId, SalesDataToken = sandbox.Emarsys.SalesDataToken,
        }, new EmarsysDestinationOptions
        {
            SalesGuestsByEmail = true,
            EventIds = { [CommerceEventType.ShipmentDispatched] = "1003", [CommerceEventType.OrderPlaced] = "1001" },
        }, clock, recorder);

        await DeliverAsync(destination, EntityKind.Customer, Ann, Ann with { SourceId = "CT-2", Email = "bo@example.com" });
        // List rules: CT-1 joins the list its rule now gives and leaves the one it was in.
        var (joined, left) = (server.Emarsys.CreateContactList("joined"), server.Emarsys.CreateContactList("left"));
        var lists = EmarsysDestination.Create(new EmarsysClientOptions { ApiUrl = server.EmarsysUrl, User = sandbox.Emarsys.User, Secret = sandbox.Emarsys.Secret },
            new EmarsysDestinationOptions { ListRules = [new ListRule(joined.ToString(CultureInfo.InvariantCulture))] }, clock, recorder,
            DeliveredStates.One("CT-1", new Dictionary<string, string?> { [EmarsysDestination.ListsField] = left.ToString(CultureInfo.InvariantCulture) }));
        await DeliverAsync(lists, EntityKind.Customer, Ann);
        server.Emarsys.ContactListMembers(joined, "9001").ShouldBe(["CT-1"]);
        await DeliverAsync(destination, EntityKind.Order, EmarsysSalesProjectionTests.Order());
        await DeliverAsync(destination, EntityKind.Event, EmarsysEventProjectionTests.Shipped());
        (await destination.CheckAsync(CancellationToken.None)).ShouldNotBeNull();
        return recorder.Calls;
    }

    private static async Task DeliverAsync(IDestinationConnector destination, EntityKind entity, params CanonicalRecord[] records)
    {
        var items = records.Select(r =>
        {
            var projection = destination.Project(r);
            projection.QuarantineReason.ShouldBeNull();
            return new DeliveryItem(r.Key, FieldDiff.Changes(projection.Fields, null), projection.Fields);
        }).ToList();
        var result = await destination.DeliverAsync(entity, items, CancellationToken.None);
        result.Failures.ShouldBeEmpty();
    }
}
