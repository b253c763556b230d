using System.Net;
using System.Text.Json;
using Tributary.Connectors.Cin7Core;
using Tributary.Sandbox;
using Tributary.Sandbox.Cin7Core;
using Tributary.Tests.Sandbox.Commercetools;

namespace Tributary.Tests.Sandbox.Cin7Core;

[Connector]
public sealed class Cin7CoreEmulatorTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static Task<SandboxServer> StartAsync(TimeProvider time, Action<Cin7CoreEmulatorOptions>? configure = null)
    {
        var options = new SandboxOptions();
        configure?.Invoke(options.Cin7Core);
        return SandboxServer.StartAsync(options, time, CancellationToken.None);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(SandboxServer server, string pathAndQuery, bool auth = true,
        string? applicationKey = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Cin7CoreUrl, pathAndQuery));
        if (auth)
        {
            request.Headers.Add("api-auth-accountid", server.Cin7Core.Options.AccountId);
            request.Headers.Add("api-auth-applicationkey", applicationKey ?? server.Cin7Core.Options.ApplicationKey);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void SeedCustomers(SandboxServer server, int count, DateTimeOffset at)
    {
        for (var i = 0; i < count; i++)
        {
            server.Cin7Core.AddCustomer(new Cin7SandboxCustomer { Name = $"Customer {i:00}", LastModifiedOn = at.AddMinutes(i) });
        }
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "wrong-key")]
    public async Task Get_MissingOrWrongKeys_Answers403WithAnErrorBody(bool auth, string? key)
    {
        await using var server = await StartAsync(TimeProvider.System);

        var (status, body) = await GetAsync(server, "customer", auth, key);

        status.ShouldBe(HttpStatusCode.Forbidden);
        body[0].GetProperty("ErrorCode").GetInt32().ShouldBe(403);
        body[0].GetProperty("Exception").GetString().ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("SaleList", HttpStatusCode.OK)]
    [InlineData("saleList", HttpStatusCode.OK)]
    [InlineData("salelist", HttpStatusCode.OK)]
    [InlineData("Ref/ProductAvailability", HttpStatusCode.OK)]
    [InlineData("ProductAvailability", HttpStatusCode.OK)]
    [InlineData("Products", HttpStatusCode.NotFound)]
    public async Task Get_PathInAnyCase_ServedAndWrongPluralIs404(string path, HttpStatusCode expected)
    {
        await using var server = await StartAsync(TimeProvider.System);

        (await GetAsync(server, path)).Status.ShouldBe(expected);
    }

    [Fact]
    public async Task Customer_PageAndLimit_GivesThePageAndTheTotal()
    {
        await using var server = await StartAsync(TimeProvider.System);
        SeedCustomers(server, 25, Start);

        var (status, body) = await GetAsync(server, "customer?Page=3&Limit=10");

        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("Total").GetInt32().ShouldBe(25);
        body.GetProperty("Page").GetInt32().ShouldBe(3);
        body.GetProperty("CustomerList").GetArrayLength().ShouldBe(5);
    }

    [Fact]
    public async Task Customer_LimitAbove1000_Answers400()
    {
        await using var server = await StartAsync(TimeProvider.System);

        var (status, body) = await GetAsync(server, "customer?Limit=1001");

        status.ShouldBe(HttpStatusCode.BadRequest);
        body[0].GetProperty("ErrorCode").GetInt32().ShouldBe(400);
    }

    [Fact]
    public async Task Customer_ModifiedSince_OnlyLaterCustomersWithUtcTimes()
    {
        await using var server = await StartAsync(TimeProvider.System);
        SeedCustomers(server, 10, Start);

        var (_, body) = await GetAsync(server, "customer?ModifiedSince=2024-03-01T10:07:00");

        body.GetProperty("Total").GetInt32().ShouldBe(3);
        body.GetProperty("CustomerList")[0].GetProperty("LastModifiedOn").GetString()!.ShouldEndWith("Z");
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Limiter_61stCallInAMinute_RefusedUntilTheMinuteHasPassed(int refusal)
    {
        var clock = new TestClock(Start);
        await using var server = await StartAsync(clock, o => o.RateLimitStatus = refusal);

        for (var i = 0; i < 60; i++)
        {
            (await GetAsync(server, "me")).Status.ShouldBe(HttpStatusCode.OK);
            clock.Advance(TimeSpan.FromMilliseconds(500));
        }

        var (status, body) = await GetAsync(server, "me");
        clock.Advance(TimeSpan.FromSeconds(30.5));
        var after = (await GetAsync(server, "me")).Status;

        ((int)status).ShouldBe(refusal);
        body[0].GetProperty("Exception").GetString()!.ShouldContain("60 calls per minute");
        server.Cin7Core.Throttled.ShouldBe(1);
        after.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sale_UnknownId_Answers404WithAnErrorBody()
    {
        await using var server = await StartAsync(TimeProvider.System);

        var (status, body) = await GetAsync(server, $"sale?ID={Guid.NewGuid()}");

        status.ShouldBe(HttpStatusCode.NotFound);
        body[0].GetProperty("ErrorCode").GetInt32().ShouldBe(404);
    }

    [Fact]
    public async Task SendWebhookAsync_HeaderAuth_AcceptedByTheAuthenticator()
    {
        await using var server = await StartAsync(TimeProvider.System);
        var saleId = server.Cin7Core.AddSale(new Cin7SandboxSale { Lines = [new("SKU-1", 1, 10m)] });
        server.Cin7Core.AddWebhook(new Cin7SandboxWebhook
        {
            Type = "Sale/ShipmentAuthorized",
            ExternalUrl = new Uri("https://receiver.example/hooks/cin7"),
            ExternalHeaders = { [Cin7CoreWebhookOptions.DefaultHeaderName] = "hook-secret" },
        });
        var authenticator = new Cin7CoreWebhookAuthenticator(new Cin7CoreWebhookOptions { Secret = "hook-secret" });
        var receiver = new Receiver(request =>
        {
            var body = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
            var result = authenticator.Authenticate(name => request.Headers.TryGetValues(name, out var v) ? v.First() : null, System.Text.Encoding.UTF8.GetBytes(body));
            return result.IsValid && result.Hints.Single().Id == saleId.ToString() ? HttpStatusCode.OK : HttpStatusCode.Unauthorized;
        });
        using var http = new HttpClient(receiver);

        var delivery = (await server.Cin7Core.SendWebhookAsync(http, "Sale/ShipmentAuthorised", server.Cin7Core.SalePayload("Sale/ShipmentAuthorised", saleId),
            CancellationToken.None)).ShouldHaveSingleItem();

        delivery.Delivered.ShouldBeTrue();
        delivery.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task SendWebhookAsync_SixFailedAttempts_DeactivatesTheWebhook()
    {
        await using var server = await StartAsync(TimeProvider.System);
        var id = server.Cin7Core.AddWebhook(new Cin7SandboxWebhook
        {
            Type = "Customer/Updated",
            ExternalUrl = new Uri("https://receiver.example/hooks/cin7"),
            ExternalAuthorizationType = "basicauth",
            ExternalUserName = "cin7",
            ExternalPassword = "pw",
        });
        var seen = new List<string?>();
        var receiver = new Receiver(request =>
        {
            seen.Add(request.Headers.Authorization?.Scheme);
            return HttpStatusCode.InternalServerError;
        });
        using var http = new HttpClient(receiver);

        var first = (await server.Cin7Core.SendWebhookAsync(http, "Customer/Updated", Cin7CoreEmulator.CustomerPayload(Guid.NewGuid()), CancellationToken.None))
            .ShouldHaveSingleItem();
        var second = await server.Cin7Core.SendWebhookAsync(http, "Customer/Updated", Cin7CoreEmulator.CustomerPayload(Guid.NewGuid()), CancellationToken.None);

        first.Attempts.ShouldBe(6);
        first.Statuses.ShouldAllBe(s => s == 500);
        first.Deactivated.ShouldBeTrue();
        server.Cin7Core.GetWebhook(id)!.IsActive.ShouldBeFalse();
        second.ShouldBeEmpty();
        seen.ShouldAllBe(s => s == "Basic");
    }

    private sealed class Receiver(Func<HttpRequestMessage, HttpStatusCode> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(answer(request)));
    }
}
