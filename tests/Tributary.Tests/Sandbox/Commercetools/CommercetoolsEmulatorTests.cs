using System.Net;
using System.Text.Json;

namespace Tributary.Tests.Sandbox.Commercetools;

[Connector]
public sealed partial class CommercetoolsEmulatorTests
{
    private static readonly DateTimeOffset Start = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public async Task Token_ValidCredentials_ReturnsBearerTokenWithLifetimeAndScopes()
    {
        await using var h = await EmulatorHarness.StartAsync();
        using var response = await h.RequestTokenAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        doc.RootElement.GetProperty("token_type").GetString().ShouldBe("Bearer");
        doc.RootElement.GetProperty("expires_in").GetInt32().ShouldBe(172800);
        doc.RootElement.GetProperty("scope").GetString().ShouldBe("manage_project:demo");
        doc.RootElement.GetProperty("access_token").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Token_WrongSecret_Returns401InvalidClientEnvelope()
    {
        await using var h = await EmulatorHarness.StartAsync();
        using var response = await h.RequestTokenAsync(secret: "wrong");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        doc.RootElement.GetProperty("statusCode").GetInt32().ShouldBe(401);
        doc.RootElement.GetProperty("error").GetString().ShouldBe("invalid_client");
        doc.RootElement.GetProperty("error_description").GetString().ShouldNotBeNullOrEmpty();
        doc.RootElement.GetProperty("errors")[0].GetProperty("code").GetString().ShouldBe("invalid_client");
    }

    [Fact]
    public async Task Token_ScopeTheClientLacks_Returns400InvalidScope()
    {
        await using var h = await EmulatorHarness.StartAsync(configure: o => o.Scopes = ["view_customers"]);
        using var response = await h.RequestTokenAsync(scope: "view_orders:demo");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("invalid_scope");
    }

    [Fact]
    public async Task Customers_NoToken_Returns401InvalidToken()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var (response, body) = await h.SendAsync(HttpMethod.Get, "demo/customers", token: null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        body.GetProperty("error").GetString().ShouldBe("invalid_token");
    }

    [Fact]
    public async Task Customers_TokenPastItsLifetime_Returns401()
    {
        var time = new TestClock(Start);
        await using var h = await EmulatorHarness.StartAsync(time, o => o.TokenLifetimeSeconds = 60);
        var token = await h.TokenAsync();
        (await h.SendAsync(HttpMethod.Get, "demo/customers", token)).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        time.Advance(TimeSpan.FromSeconds(60));

        (await h.SendAsync(HttpMethod.Get, "demo/customers", token)).Response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ExpireAllTokens_IssuedToken_IsRejected()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var token = await h.TokenAsync();
        h.Emulator.ExpireAllTokens();

        (await h.SendAsync(HttpMethod.Get, "demo/customers", token)).Response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Customers_TokenWithoutCustomerScope_Returns403InsufficientScope()
    {
        await using var h = await EmulatorHarness.StartAsync(configure: o => o.Scopes = ["view_orders"]);
        var (response, body) = await h.GetAsync("demo/customers");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        body.GetProperty("errors")[0].GetProperty("code").GetString().ShouldBe("insufficient_scope");
        body.GetProperty("message").GetString()!.ShouldContain("view_customers:demo");
    }

    [Fact]
    public async Task DateHeader_AnyResponse_ComesFromTheEmulatorClock()
    {
        var time = new TestClock(Start);
        await using var h = await EmulatorHarness.StartAsync(time);

        var (response, _) = await h.GetAsync("demo/customers?limit=0");

        response.Headers.Date.ShouldBe(Start);
    }

    [Fact]
    public async Task Faults_ServerErrorInjected_AnswersErrorEnvelope()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var token = await h.TokenAsync();
        h.Emulator.Faults.FailNext(1);

        var (response, body) = await h.SendAsync(HttpMethod.Get, "demo/customers", token);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("statusCode").GetInt32().ShouldBe(503);
        body.GetProperty("errors")[0].GetProperty("code").GetString().ShouldBe("OverCapacity");
    }

    [Fact]
    public async Task Faults_RateLimitInjected_Answers429WithRetryAfter()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var token = await h.TokenAsync();
        h.Emulator.Faults.Options.RetryAfterSeconds = 3;
        h.Emulator.Faults.RateLimitNext(1);

        var (response, _) = await h.SendAsync(HttpMethod.Get, "demo/customers", token);

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Create_NewCustomer_Returns201WithCustomerInRealShape()
    {
        var time = new TestClock(Start);
        await using var h = await EmulatorHarness.StartAsync(time);
        const string draft = """
            {"email":"ann@example.com","firstName":"Ann","dateOfBirth":"1990-02-03","key":"ann",
             "addresses":[{"country":"DE","phone":"+49 30 1234"}],"defaultBillingAddress":0,
             "stores":[{"typeId":"store","key":"eu"}],
             "custom":{"type":{"typeId":"type","key":"customer-marketing"},"fields":{"marketingOptIn":true}}}
            """;

        var (response, body) = await h.SendAsync(HttpMethod.Post, "demo/customers", await h.TokenAsync(), draft);

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var c = body.GetProperty("customer");
        Guid.TryParse(c.GetProperty("id").GetString(), out _).ShouldBeTrue();
        c.GetProperty("version").GetInt64().ShouldBe(1);
        c.GetProperty("createdAt").GetString().ShouldBe("2030-05-06T07:08:09.000Z");
        c.GetProperty("dateOfBirth").GetString().ShouldBe("1990-02-03");
        c.GetProperty("stores")[0].GetProperty("key").GetString().ShouldBe("eu");
        c.GetProperty("defaultBillingAddressId").GetString().ShouldBe(c.GetProperty("addresses")[0].GetProperty("id").GetString());
        c.GetProperty("custom").GetProperty("fields").GetProperty("marketingOptIn").GetBoolean().ShouldBeTrue();
        c.GetProperty("authenticationMode").GetString().ShouldBe("Password");
    }

    [Fact]
    public async Task Create_EmailAlreadyUsedInOtherCase_Returns400DuplicateField()
    {
        await using var h = await EmulatorHarness.StartAsync();
        h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com"));

        var (response, body) = await h.SendAsync(HttpMethod.Post, "demo/customers", await h.TokenAsync(), """{"email":"Ann@Example.com"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = body.GetProperty("errors")[0];
        error.GetProperty("code").GetString().ShouldBe("DuplicateField");
        error.GetProperty("field").GetString().ShouldBe("email");
    }

    [Fact]
    public async Task Update_CurrentVersion_AppliesActionsAndBumpsVersionAndModifiedTime()
    {
        var time = new TestClock(Start);
        await using var h = await EmulatorHarness.StartAsync(time);
        var id = h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com"));
        time.Advance(TimeSpan.FromMinutes(5));
        const string update = """
            {"version":1,"actions":[{"action":"setFirstName","firstName":"Anna"},{"action":"setCustomField","name":"loyaltyTier","value":"gold"},
             {"action":"changeEmail","email":"anna@example.com"},{"action":"setDateOfBirth","dateOfBirth":"1991-01-01"}]}
            """;

        var (response, body) = await h.SendAsync(HttpMethod.Post, $"demo/customers/{id}", await h.TokenAsync(), update);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("version").GetInt64().ShouldBe(2);
        body.GetProperty("lastModifiedAt").GetString().ShouldBe("2030-05-06T07:13:09.000Z");
        var stored = h.Emulator.GetCustomer(id)!;
        stored.FirstName.ShouldBe("Anna");
        stored.Email.ShouldBe("anna@example.com");
        stored.CustomFields["loyaltyTier"].ShouldBe("gold");
    }

    [Fact]
    public async Task Update_StaleVersion_Returns409WithCurrentVersion()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com"));
        h.Emulator.UpdateCustomer(id, c => c.LastName = "Li").ShouldBeTrue();

        var (response, body) = await h.SendAsync(HttpMethod.Post, $"demo/customers/{id}", await h.TokenAsync(),
            """{"version":1,"actions":[{"action":"setLastName","lastName":"Lo"}]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var error = body.GetProperty("errors")[0];
        error.GetProperty("code").GetString().ShouldBe("ConcurrentModification");
        error.GetProperty("currentVersion").GetInt64().ShouldBe(2);
        h.Emulator.GetCustomer(id)!.LastName.ShouldBe("Li");
    }

    [Fact]
    public async Task Delete_StaleThenCurrentVersion_ConflictsThenDeletes()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com", configure: c => c.Version = 3));
        var token = await h.TokenAsync();

        (await h.SendAsync(HttpMethod.Delete, $"demo/customers/{id}?version=2", token)).Response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await h.SendAsync(HttpMethod.Delete, $"demo/customers/{id}?version=3", token)).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        h.Emulator.GetCustomer(id).ShouldBeNull();
    }

    [Fact]
    public async Task GetByKey_Unknown_Returns404ResourceNotFound()
    {
        await using var h = await EmulatorHarness.StartAsync();
        h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com", configure: c => c.Key = "ann"));

        (await h.GetAsync("demo/customers/key=ann")).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var (response, body) = await h.GetAsync("demo/customers/key=bob");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        body.GetProperty("errors")[0].GetProperty("code").GetString().ShouldBe("ResourceNotFound");
    }
}
