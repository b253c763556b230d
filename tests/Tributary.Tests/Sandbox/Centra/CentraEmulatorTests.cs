using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tributary.Sandbox;
using Tributary.Sandbox.Centra;
using Tributary.Tests.Sandbox.Commercetools;

namespace Tributary.Tests.Sandbox.Centra;

[Connector]
public sealed class CentraEmulatorTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(SandboxServer server, string? token,
        string operation, string query, string variables = "{}")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.CentraUrl.AbsoluteUri.TrimEnd('/') + "/graphql"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Content = new StringContent($$"""{"operationName":"{{operation}}","query":{{JsonSerializer.Serialize(query)}},"variables":{{variables}}}""",
            Encoding.UTF8, "application/json");
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static Task<SandboxServer> StartAsync(TimeProvider time, Action<CentraEmulatorOptions>? configure = null)
    {
        var options = new SandboxOptions();
        configure?.Invoke(options.Centra);
        return SandboxServer.StartAsync(options, time, CancellationToken.None);
    }

    [Fact]
    public async Task Graphql_WithoutToken_Answers401WithAnAuthenticationError()
    {
        await using var server = await StartAsync(TimeProvider.System);

        var (status, body, _) = await PostAsync(server, null, "Stores", "query Stores { stores { id } }");

        status.ShouldBe(HttpStatusCode.Unauthorized);
        body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("category").GetString().ShouldBe("authentication");
    }

    [Fact]
    public async Task Graphql_UnknownOperation_Answers200WithAGraphQlError()
    {
        await using var server = await StartAsync(TimeProvider.System);

        var (status, body, _) = await PostAsync(server, server.Centra.Options.Token, "Carts", "query Carts { carts { id } }");

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("data").ValueKind.ShouldBe(JsonValueKind.Null);
        body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("category").GetString().ShouldBe("graphql");
    }

    [Fact]
    public async Task Graphql_Customers_AnswersDataWithComplexityAndPermissions()
    {
        await using var server = await StartAsync(TimeProvider.System);
        server.Centra.AddCustomer(new CentraSandboxCustomer { Email = "a@example.com", Newsletter = true });
        server.Centra.AddCustomer(new CentraSandboxCustomer { Email = "b@example.com" });

        var (_, body, _) = await PostAsync(server, server.Centra.Options.Token, "Customers",
            "query Customers($where: CustomerFilter, $limit: Int!) { customers(where: $where, limit: $limit) { id } }",
            """{"where":{"id":{"greaterThan":1}},"limit":10}""");

        var customers = body.GetProperty("data").GetProperty("customers");
        customers.GetArrayLength().ShouldBe(1);
        customers[0].GetProperty("email").GetString().ShouldBe("b@example.com");
        customers[0].GetProperty("newsletter").ValueKind.ShouldBe(JsonValueKind.Null);
        body.GetProperty("extensions").GetProperty("complexity").GetInt32().ShouldBeGreaterThan(0);
        body.GetProperty("extensions").GetProperty("permissionsUsed")[0].GetString().ShouldBe("Customer:read");
    }

    [Fact]
    public async Task Graphql_MoreThanTheWindowAllows_Answers429WithRetryAfterAtTheRefillTime()
    {
        var time = new TestClock(Start);
        await using var server = await StartAsync(time, o => o.RequestsPerWindow = 3);
        var token = server.Centra.Options.Token;
        for (var i = 0; i < 3; i++)
        {
            (await PostAsync(server, token, "Stores", "query Stores { stores { id } }")).Status.ShouldBe(HttpStatusCode.OK);
        }

        var (status, body, response) = await PostAsync(server, token, "Stores", "query Stores { stores { id } }");

        status.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Date.ShouldBe(Start.AddSeconds(4));
        body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("category").GetString().ShouldBe("rate-limit");
        server.Centra.Throttled.ShouldBe(1);
        time.Advance(TimeSpan.FromSeconds(4));
        (await PostAsync(server, token, "Stores", "query Stores { stores { id } }")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Graphql_RateLimits_ReportsTheConfiguredQuotas()
    {
        await using var server = await StartAsync(TimeProvider.System);

        var (_, body, _) = await PostAsync(server, server.Centra.Options.Token, "RateLimits", "query RateLimits { rateLimits { type } }");

        var limits = body.GetProperty("data").GetProperty("rateLimits").EnumerateArray().ToList();
        var shortWindow = limits.Single(l => l.GetProperty("type").GetString() == "REQUEST_COUNT" && l.GetProperty("intervalSeconds").GetString() == "TEN_SECONDS");
        shortWindow.GetProperty("quota").GetInt32().ShouldBe(60);
        shortWindow.GetProperty("usedQuota").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task MergeCustomers_Guest_BecomesAnUnregisteredCustomerWithTheSurvivorsEmail()
    {
        var time = new TestClock(Start);
        await using var server = await StartAsync(time);
        var survivor = server.Centra.AddCustomer(new CentraSandboxCustomer { Email = "ann@example.com" });
        var merged = server.Centra.AddCustomer(new CentraSandboxCustomer { Email = "guest@example.com" });
        time.Advance(TimeSpan.FromMinutes(1));

        server.Centra.MergeCustomers(survivor, merged).ShouldBeTrue();

        var m = server.Centra.GetCustomer(merged)!;
        m.Registered.ShouldBeFalse();
        m.Email.ShouldBe("ann@example.com");
        m.UpdatedAt.ShouldBe(Start.AddMinutes(1));
        server.Centra.GetCustomer(survivor)!.Registered.ShouldBeTrue();
        server.Centra.MergeCustomers(survivor, 999).ShouldBeFalse();
    }

    [Fact]
    public async Task SendWebhookAsync_Target_ReceivesTheSignedFormBody()
    {
        await using var server = await StartAsync(TimeProvider.System);
        var handler = new CapturingHandler();
        using var http = new HttpClient(handler);

        var status = await server.Centra.SendWebhookAsync(http, new Uri("http://receiver.test/hooks/centra"), [new CentraWebhookEvent("order", "update", "1001")],
            CancellationToken.None);

        status.ShouldBe(200);
        handler.Body!.ShouldStartWith("payload=%7B%22events%22");
        handler.ContentType.ShouldBe("application/x-www-form-urlencoded");
        handler.Signature!.ShouldMatch("^t=[0-9]+,v1=[0-9a-f]{64}$");
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public string? Body { get; private set; }

        public string? ContentType { get; private set; }

        public string? Signature { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Body = await request.Content!.ReadAsStringAsync(cancellationToken);
            ContentType = request.Content.Headers.ContentType?.MediaType;
            Signature = request.Headers.GetValues("X-Centra-Signature").Single();
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
