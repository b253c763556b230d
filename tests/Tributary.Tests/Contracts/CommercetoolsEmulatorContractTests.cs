using System.Net;
using System.Text.Json.Nodes;
using Tributary.Sandbox.Commercetools;
using Tributary.Sandbox.Generator;
using Tributary.Tests.Sandbox.Commercetools;

namespace Tributary.Tests.Contracts;

/// <summary>
/// The commercetools emulator's answers, on every endpoint the connector reads, held to the published OpenAPI document:
/// each body against the response schema, references expanded only when asked, paging as documented, errors in the documented
/// envelope.
/// </summary>
[Connector]
public class CommercetoolsEmulatorContractTests
{
    private static readonly DateTimeOffset Start = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Theory]
    [InlineData("demo", "Project")]
    [InlineData("demo/customers?limit=20&withTotal=true&sort=id%20asc", "CustomerPagedQueryResponse")]
    [InlineData("demo/orders?limit=20&sort=id%20asc&expand=paymentInfo.payments%5B%2A%5D", "OrderPagedQueryResponse")]
    [InlineData("demo/orders?limit=20&sort=id%20asc", "OrderPagedQueryResponse")]
    [InlineData("demo/product-projections?limit=20&sort=id%20asc", "ProductProjectionPagedQueryResponse")]
    [InlineData("demo/product-projections?limit=20&staged=true", "ProductProjectionPagedQueryResponse")]
    [InlineData("demo/inventory?limit=20&sort=sku%20asc", "InventoryPagedQueryResponse")]
    [InlineData("demo/channels?limit=20", "ChannelPagedQueryResponse")]
    [InlineData("demo/shopping-lists?limit=20", "ShoppingListPagedQueryResponse")]
    [InlineData("demo/shopping-lists?limit=20&expand=lineItems%5B%2A%5D.variant", "ShoppingListPagedQueryResponse")]
    [InlineData("demo/messages?limit=20&sort=createdAt%20asc", "MessagePagedQueryResponse")]
    public async Task Answer_OfEveryEndpointTheConnectorReads_ConformsToThePublishedSchema(string path, string component)
    {
        await using var h = await SeededAsync();

        var (response, body) = await h.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = JsonNode.Parse(body.GetRawText())!;
        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema(component), answer, $"GET {path}");
        if (answer["results"] is JsonArray results)
        {
            results.Count.ShouldBeGreaterThan(0, $"GET {path} served nothing to check");
        }

        if (component == "MessagePagedQueryResponse")
        {
            // The base Message leaves each type's own fields to its subtype: check each against "<type>Message".
            foreach (var message in answer["results"]!.AsArray())
            {
                var type = message!["type"]!.GetValue<string>();
                OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema(type + "Message"), message, $"message {type}");
            }
        }
    }

    [Fact]
    public async Task Answer_ByIdEndpoints_ConformToThePublishedSchema()
    {
        await using var h = await SeededAsync();
        var (_, customers) = await h.GetAsync("demo/customers?limit=1");
        var (_, orders) = await h.GetAsync("demo/orders?limit=1");
        var customerId = customers.GetProperty("results")[0].GetProperty("id").GetString();
        var orderId = orders.GetProperty("results")[0].GetProperty("id").GetString();

        var (_, customer) = await h.GetAsync($"demo/customers/{customerId}");
        var (_, order) = await h.GetAsync($"demo/orders/{orderId}?expand=paymentInfo.payments%5B%2A%5D");

        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("Customer"), JsonNode.Parse(customer.GetRawText()), "the customer");
        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("Order"), JsonNode.Parse(order.GetRawText()), "the order");
    }

    [Fact]
    public async Task Orders_PaymentsAreExpandedOnlyWhenAsked()
    {
        await using var h = await SeededAsync();

        var (_, plain) = await h.GetAsync("demo/orders?limit=500");
        var (_, expanded) = await h.GetAsync("demo/orders?limit=500&expand=paymentInfo.payments%5B%2A%5D");

        var plainPayments = Payments(plain).ToList();
        var expandedPayments = Payments(expanded).ToList();
        plainPayments.ShouldNotBeEmpty();
        plainPayments.ShouldAllBe(p => p["obj"] == null);
        expandedPayments.Count.ShouldBe(plainPayments.Count);
        expandedPayments.ShouldAllBe(p => p["obj"] != null && p["obj"]!["id"]!.GetValue<string>() == p["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Paging_LimitOffsetCountAndTotal_AsDocumented()
    {
        await using var h = await SeededAsync();

        var (_, all) = await h.GetAsync("demo/customers?limit=500&sort=id%20asc&withTotal=true");
        var (_, page) = await h.GetAsync("demo/customers?limit=2&offset=1&sort=id%20asc&withTotal=true");
        var (_, noTotal) = await h.GetAsync("demo/customers?limit=2&withTotal=false");

        var ids = all.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        ids.ShouldBe(ids.Order(StringComparer.Ordinal).ToList());
        page.GetProperty("limit").GetInt32().ShouldBe(2);
        page.GetProperty("offset").GetInt32().ShouldBe(1);
        page.GetProperty("count").GetInt32().ShouldBe(2);
        page.GetProperty("total").GetInt32().ShouldBe(ids.Count);
        page.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldBe(ids.Skip(1).Take(2));
        noTotal.TryGetProperty("total", out _).ShouldBeFalse("total is left out when withTotal=false");
    }

    [Theory]
    [InlineData("demo/customers?limit=501")]
    [InlineData("demo/customers?offset=10001")]
    [InlineData("demo/customers?where=" + "email%20%3D%3D")]
    [InlineData("demo/customers/does-not-exist")]
    public async Task Errors_AreTheDocumentedEnvelope(string path)
    {
        await using var h = await SeededAsync();

        var (response, body) = await h.GetAsync(path);

        ((int)response.StatusCode).ShouldBeInRange(400, 499);
        var error = JsonNode.Parse(body.GetRawText());
        OpenApiDocument.ShouldConform(CommercetoolsPayloads.Api.ComponentSchema("ErrorResponse"), error, $"GET {path}");
        error!["statusCode"]!.GetValue<int>().ShouldBe((int)response.StatusCode);
        var code = error["errors"]!.AsArray().ShouldHaveSingleItem()!["code"]!.GetValue<string>();
        code.ShouldBe(response.StatusCode == HttpStatusCode.NotFound ? "ResourceNotFound" : "InvalidInput");
    }

    [Fact]
    public async Task Token_AnswersTheDocumentedFieldsIncludingTheGrantedScope()
    {
        await using var h = await SeededAsync();

        using var response = await h.RequestTokenAsync(scope: "view_customers:demo");

        var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        token["access_token"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        token["token_type"]!.GetValue<string>().ShouldBe("Bearer");
        token["expires_in"]!.GetValue<long>().ShouldBeGreaterThan(0);
        token["scope"]!.GetValue<string>().ShouldBe("view_customers:demo");
    }

    private static IEnumerable<JsonNode> Payments(System.Text.Json.JsonElement page) =>
        JsonNode.Parse(page.GetRawText())!["results"]!.AsArray()
            .SelectMany(o => o!["paymentInfo"]?["payments"]?.AsArray() ?? [])
            .Select(p => p!);

    private static async Task<EmulatorHarness> SeededAsync()
    {
        var h = await EmulatorHarness.StartAsync(new TestClock(Start));
        h.Emulator.MessagesEnabled = true;
        var generator = new ShopGenerator(7);
        var customers = generator.Customers(6);
        h.Emulator.AddCustomers(customers);
        var channels = ShopGenerator.Channels();
        var products = generator.Products(4);
        h.Emulator.AddChannels(channels);
        h.Emulator.AddProducts(products);
        h.Emulator.AddInventory(generator.Inventory(products, channels));
        var orders = generator.Orders(customers, 6);
        h.Emulator.AddPayments(generator.Payments);
        h.Emulator.AddOrders(orders);
        h.Emulator.AddShoppingLists([new SandboxShoppingList
        {
            CustomerId = customers[0].Id ?? "c-1", Name = { ["en"] = "Notify me" },
            LineItems = [new SandboxShoppingListLine("l-1", products[0].Id ?? "p-1", 1, products[0].MasterVariant.Sku!, Start)],
        }]);
        var ann = h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com", Start));
        h.Emulator.RecordMessage("customer", ann, "CustomerLastNameSet");
        return h;
    }
}
