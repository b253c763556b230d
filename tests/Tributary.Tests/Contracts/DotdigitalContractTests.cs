using System.Text.Json.Nodes;
using Tributary.Connectors.Dotdigital;
using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;
using Tributary.Sandbox;
using Tributary.Tests.Support;

namespace Tributary.Tests.Contracts;

/// <summary>
/// Every call the Dotdigital destination makes, held to Dotdigital's published OpenAPI documents: the request body against the
/// operation's request schema, the emulator's answer against the operation's response schema for that status.
/// </summary>
[Connector]
public class DotdigitalContractTests
{
    private static readonly DateTimeOffset Placed = new(2026, 5, 1, 9, 12, 0, TimeSpan.Zero);

    /// <summary>The documents, most specific first (the v2 swagger holds everything, in less detail).</summary>
    public static PublishedOperations Operations => new(
        OpenApiDocument.Load("dotdigital", "dotdigital-contacts-service.json"),
        OpenApiDocument.Load("dotdigital", "dotdigital-insight-data-service.json"),
        OpenApiDocument.Load("dotdigital", "programs.yaml"),
        OpenApiDocument.Load("dotdigital", "Dotdigital-dotdigital-preferences-and-subscriptions-2.0.0-resolved.yaml"),
        OpenApiDocument.Load("dotdigital", "Dotdigital-dotdigital-lists-address-books-2.0.0-resolved.yaml"),
        OpenApiDocument.Load("dotdigital", "accounts-and-utilities.yaml"),
        OpenApiDocument.Load("dotdigital", "dotdigital-v2-api-swagger.json"));

    /// <summary>
    /// Where a published document contradicts itself, what is checked instead (each case is named in the connector's README).
    /// </summary>
    private static readonly Dictionary<string, string> Conflicts = new(StringComparer.Ordinal)
    {
        // The record bodies are declared "type: string" with, as the example, the text of a JSON object: the body is that object.
        ["PUT /insightData/v3/contacts/{identifier}/{value}/{collectionName}/{recordId} request"] = "object",
        ["PUT /insightData/v3/account/{collectionName}/{recordId} request"] = "object",
        // The enrolment answer's schema types contacts and addressBooks as arrays; its example answers null for both, and so
        // does the emulator (a reader must bear null).
        ["POST /v2/programs/enrolments 201 answer"] = "null lists",
        // The lists document gives the 204 of a removal a JSON body ({}); the v2 swagger gives it none, as a 204 has: no body.
        ["DELETE /v2/address-books/{addressBookId}/contacts/{contactId} 204 answer"] = "no body",
    };

    [Fact]
    public async Task Deliver_EveryCall_IsAPublishedOperation_WithConformingRequestAndAnswer()
    {
        var calls = await DeliverEverythingAsync();

        var checkedOperations = new SortedSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var call in calls)
        {
            var path = ApiPath(call.Path);
            var found = Operations.Find(call.Method, path);
            if (found is not { } operation)
            {
                problems.Add($"{call.Method} {path}: no published operation");
                continue;
            }

            var name = $"{call.Method} {operation.Template}";
            checkedOperations.Add(name);
            var op = operation.Document.Operation(operation.Template, call.Method);
            if (Conflicts.ContainsKey($"{name} request"))
            {
                JsonNode.Parse(call.RequestBody).ShouldBeOfType<JsonObject>($"{name} sends a JSON object");
            }
            else if (op["requestBody"]?["content"]?["application/json"]?["schema"] is not null)
            {
                problems.AddRange(OpenApiDocument.Violations(operation.Document.RequestSchema(operation.Template, call.Method), JsonNode.Parse(call.RequestBody))
                    .Select(v => $"{name} request: {v}"));
            }
            else if (call.RequestBody.Length > 0)
            {
                problems.Add($"{name}: sends a body the operation does not take");
            }

            var status = call.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (op["responses"]?[status] is null)
            {
                problems.Add($"{name}: answered {status}, which the operation does not document");
            }
            else if (Conflicts.GetValueOrDefault($"{name} {status} answer") == "no body")
            {
                call.ResponseBody.ShouldBeEmpty($"{name} answers {status} without a body");
            }
            else if (op["responses"]![status]!["content"]?["application/json"]?["schema"] is not null)
            {
                var answer = JsonNode.Parse(call.ResponseBody);
                if (Conflicts.ContainsKey($"{name} {status} answer") && answer is JsonObject enrolment)
                {
                    enrolment["contacts"].ShouldBeNull();
                    enrolment["addressBooks"].ShouldBeNull();
                    enrolment.Remove("contacts");
                    enrolment.Remove("addressBooks");
                }

                problems.AddRange(OpenApiDocument.Violations(operation.Document.ResponseSchema(operation.Template, call.Method, status), answer)
                    .Select(v => $"{name} {status} answer: {v}"));
            }
        }

        problems.ShouldBeEmpty(string.Join('\n', problems));
        checkedOperations.ShouldBe(new SortedSet<string>(StringComparer.Ordinal)
        {
            "GET /v2/account-info",
            "GET /v2/data-fields",
            "GET /contacts/v3/{identifier}/{value}",
            "PATCH /contacts/v3/{identifier}/{value}",
            "PUT /contacts/v3/import",
            "GET /contacts/v3/import/{importId}",
            "GET /v2/contacts/unsubscribed-since/{date}",
            "GET /v2/contacts/suppressed-since/{date}",
            "PUT /insightData/v3/contacts/{identifier}/{value}/{collectionName}/{recordId}",
            "PUT /insightData/v3/account/{collectionName}/{recordId}",
            "PUT /insightData/v3/import",
            "GET /insightData/v3/import/{importId}",
            "GET /v2/programs",
            "POST /v2/programs/enrolments",
            "DELETE /v2/address-books/{addressBookId}/contacts/{contactId}",
        }, ignoreOrder: true);
    }

    [Fact]
    public void Validator_RefusesAContactPatchThatBreaksTheSchema()
    {
        var document = OpenApiDocument.Load("dotdigital", "dotdigital-contacts-service.json");
        var schema = document.RequestSchema("/contacts/v3/{identifier}/{value}", "PATCH");

        OpenApiDocument.Violations(schema, JsonNode.Parse("""{"identifiers":{"email":"ann@example.com"},"channelProperties":{"email":{"status":"subscribed"}}}"""))
            .ShouldBeEmpty();
        OpenApiDocument.Violations(schema, JsonNode.Parse("""{"identifiers":{"email":"ann@example.com"},"channelProperties":{"email":{"status":"optedIn"}}}"""))
            .ShouldNotBeEmpty();
    }

    /// <summary>The path below the emulator's prefix and region, as the published documents write it.</summary>
    private static string ApiPath(string path)
    {
        var rest = path[(path.IndexOf("/dotdigital/", StringComparison.Ordinal) + "/dotdigital".Length)..];
        return System.Text.RegularExpressions.Regex.Replace(rest, "^/r[0-9]+/", "/");
    }

    private static async Task<IReadOnlyList<RecordedCall>> DeliverEverythingAsync()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero), ClockMode.Wall);
        var sandbox = new SandboxOptions();
        sandbox.Dotdigital.LowTierPerMinute = 0;
        sandbox.Dotdigital.MediumTierPerMinute = 0;
        sandbox.Dotdigital.HighTierPerMinute = 0;
        await using var server = await SandboxServer.StartAsync(sandbox, clock, CancellationToken.None);
        var recorder = new ContractRecorder();
        var client = new DotdigitalClientOptions
        {
            BootstrapUrl = server.DotdigitalUrl, ApiUser = sandbox.Dotdigital.ApiUser, Password = sandbox.Dotdigital.Password,
            ImportPollInterval = TimeSpan.Zero,
        };
        server.Dotdigital.SetProgram(77);
        DotdigitalDestinationOptions Options(int bulkThreshold) => new()
        {
            RequestsPerMinute = 0, AdaptToRateLimitHeaders = false, ListIds = [12, 5], DeliverStock = true, BulkThreshold = bulkThreshold,
            GuestOrders = GuestOrderHandling.CreateContact, Programs = { [CommerceEventType.CustomerCreated] = 77 },
        };

        // One record per call (single writes), then the same kinds through the bulk imports.
        var single = DotdigitalDestination.Create(client, Options(bulkThreshold: 20), clock, recorder);
        var bulk = DotdigitalDestination.Create(client, Options(bulkThreshold: 1), clock, recorder);
        await DeliverAsync(single, EntityKind.Customer, Ann);
        await DeliverAsync(single, EntityKind.Customer, Ann with { Email = "ann.lee@example.com", FirstName = null });
        await DeliverAsync(bulk, EntityKind.Customer, Ann with { SourceId = "CT-2", Email = "bo@example.com" },
            Ann with { SourceId = "CT-3", Email = "cy@example.com", Consents = new Dictionary<string, Consent> { [ConsentChannels.Email] = new(ConsentStatus.Unsubscribed) } });
        var order = new Order
        {
            SourceId = "o-1", OrderNumber = "42", CustomerId = "CT-1", Email = "ann.lee@example.com", Currency = "EUR", Status = OrderStatus.Paid,
            Total = new Money(59.98m, "EUR"), PlacedAt = Placed, Store = "eu",
            Lines = [new OrderLine("L1", "SKU-1", "P-1", 2, new Money(29.99m, "EUR"), new Money(59.98m, "EUR"), Name: "Trail Shoe")],
        };
        await DeliverAsync(single, EntityKind.Order, order);
        await DeliverAsync(bulk, EntityKind.Order, order with { SourceId = "o-2" }, order with { SourceId = "o-3", CustomerId = null, Email = "guest@example.com" });
        var product = new Product
        {
            Sku = "SKU-1", ProductId = "P-1", Brand = "Acme", CategoryPath = ["Shoes"], ImageUrl = "https://img.example/1.jpg",
            Prices = [new ProductPrice(new Money(29.90m, "EUR"), new Money(19.50m, "EUR"))],
            Names = new Dictionary<string, string> { ["en"] = "Trail Shoe" },
            Urls = new Dictionary<string, string> { ["en"] = "https://shop.example/p/1" },
        };
        await DeliverAsync(single, EntityKind.Product, product);
        await DeliverAsync(bulk, EntityKind.Product, product with { Sku = "SKU-2" }, product with { Sku = "SKU-3", Active = false });
        await DeliverAsync(single, EntityKind.Stock, new StockLevel { Sku = "SKU-1", AvailableToSell = 7 });
        await DeliverAsync(single, EntityKind.Event, new CommerceEvent { Type = CommerceEventType.CustomerCreated, DedupeKey = "CustomerCreated:CT-1", CustomerId = "CT-1" });
        // A list rule that no longer holds: the contact is taken out of that address book (v2; v3 only adds).
        var ruled = Options(bulkThreshold: 20);
        ruled.ListIds = [];
        ruled.ListRules = [new Tributary.Core.Rules.ListRule("99", Stores: ["eu"]), new Tributary.Core.Rules.ListRule("12")];
        var lists = DotdigitalDestination.Create(client, ruled, clock, recorder,
            DeliveredStates.One("CT-1", new Dictionary<string, string?> { [DotdigitalDestination.ListsField] = "5,12,99" }));
        await DeliverAsync(lists, EntityKind.Customer, Ann with { Email = "ann.lee@example.com" });
        (await single.CheckAsync(CancellationToken.None)).ShouldNotBeNull();
        return recorder.Calls;
    }

    private static Customer Ann => new()
    {
        SourceId = "CT-1", Email = "ann@example.com", FirstName = "Ann", LastName = "Lee",
        Consents = new Dictionary<string, Consent> { [ConsentChannels.Email] = new(ConsentStatus.Subscribed) },
    };

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
