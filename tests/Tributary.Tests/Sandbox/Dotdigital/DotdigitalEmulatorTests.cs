using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tributary.Sandbox;
using Tributary.Sandbox.Dotdigital;
using Tributary.Tests.Sandbox.Emarsys;

namespace Tributary.Tests.Sandbox.Dotdigital;

[Connector]
public class DotdigitalEmulatorTests
{
    [Fact]
    public async Task AccountInfo_OnBootstrap_NamesTheRegionEndpointOfThisEmulator()
    {
        await using var f = await Harness.StartAsync();

        using var doc = await f.JsonAsync(HttpMethod.Get, "v2/account-info", region: null);

        var endpoint = doc.RootElement.GetProperty("properties").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "ApiEndpoint").GetProperty("value").GetString();
        endpoint.ShouldBe(f.Server.DotdigitalUrl + "/r2");
    }

    [Theory]
    [InlineData("r1", null, HttpStatusCode.Unauthorized)]
    [InlineData("r2", "wrong", HttpStatusCode.Unauthorized)]
    [InlineData("r2", null, HttpStatusCode.OK)]
    public async Task DataFields_RegionAndCredentials_OnlyTheAccountRegionWithTheRightPassword(string region, string? password, HttpStatusCode expected)
    {
        await using var f = await Harness.StartAsync();

        using var response = await f.SendAsync(HttpMethod.Get, "v2/data-fields", null, region, password);

        response.StatusCode.ShouldBe(expected);
    }

    [Fact]
    public async Task Patch_NewContactWithoutStatus_SubscribedAsTheApiDefaults()
    {
        await using var f = await Harness.StartAsync();

        using var response = await f.SendAsync(HttpMethod.Patch, "contacts/v3/email/Ann%40Example.com", """{"dataFields":{"firstName":"Ann"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var contact = f.Emulator.FindContact("ann@example.com").ShouldNotBeNull();
        contact.EmailStatus.ShouldBe("subscribed");
        contact.DataFields["FIRSTNAME"].ShouldBe("Ann");
    }

    // Contacts API 3.4.3, channelPropertiesWithResubscribe: resubscribeWithNoChallenge "default": true. Leaving the options out
    // resubscribes an opted-out contact at once; only an explicit false asks for a challenge.
    [Theory]
    [InlineData("""{"channelProperties":{"email":{"status":"subscribed"}}}""", "subscribed")]
    [InlineData("""{"channelProperties":{"email":{"status":"subscribed","resubscribeOptions":{"resubscribeWithNoChallenge":true}}}}""", "subscribed")]
    [InlineData("""{"channelProperties":{"email":{"status":"subscribed","resubscribeOptions":{"resubscribeWithNoChallenge":false}}}}""", "pendingOptIn")]
    public async Task Patch_SubscribedOnUnsubscribed_ResubscribesByDefault_ChallengeOnlyWhenAskedFor(string body, string expected)
    {
        await using var f = await Harness.StartAsync();
        (await f.SendAsync(HttpMethod.Patch, "contacts/v3/email/ann@example.com", """{"channelProperties":{"email":{"status":"unsubscribed"}}}""")).Dispose();

        using var response = await f.SendAsync(HttpMethod.Patch, "contacts/v3/email/ann@example.com", body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        f.Emulator.FindContact("ann@example.com")!.EmailStatus.ShouldBe(expected);
    }

    // Contacts API 3.4.3, PATCH /contacts/v3/{identifier}/{value}: a contact addressed by contactId takes the body's new email
    // identifier; an identifier that already belongs to another contact answers 409 contacts:idAlreadyExists.
    [Fact]
    public async Task Patch_ByContactIdWithANewEmail_ChangesTheSameContact_AddressOfAnotherContact_409()
    {
        await using var f = await Harness.StartAsync();
        (await f.SendAsync(HttpMethod.Patch, "contacts/v3/email/ann@example.com", """{"channelProperties":{"email":{"status":"unsubscribed"}}}""")).Dispose();
        (await f.SendAsync(HttpMethod.Patch, "contacts/v3/email/bob@example.com", "{}")).Dispose();
        var id = f.Emulator.FindContact("ann@example.com")!.ContactId;

        using var changed = await f.SendAsync(HttpMethod.Patch, $"contacts/v3/contactId/{id}", """{"identifiers":{"email":"ann.new@example.com"}}""");
        using var taken = await f.SendAsync(HttpMethod.Patch, $"contacts/v3/contactId/{id}", """{"identifiers":{"email":"bob@example.com"}}""");

        changed.StatusCode.ShouldBe(HttpStatusCode.OK);
        f.Emulator.Contacts.Count.ShouldBe(2);
        f.Emulator.FindContact("ann@example.com").ShouldBeNull();
        var ann = f.Emulator.FindContact("ann.new@example.com").ShouldNotBeNull();
        ann.ContactId.ShouldBe(id);
        ann.EmailStatus.ShouldBe("unsubscribed", "changing the email identifier keeps the channel status");
        taken.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await taken.Content.ReadAsStringAsync()).ShouldContain("idAlreadyExists");
        f.Emulator.FindContact("bob@example.com")!.ContactId.ShouldNotBe(id);
    }

    [Fact]
    public async Task Patch_UnknownDataField_400AndNothingStored()
    {
        await using var f = await Harness.StartAsync();

        using var response = await f.SendAsync(HttpMethod.Patch, "contacts/v3/email/ann@example.com", """{"dataFields":{"SHOE_SIZE":"42"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        f.Emulator.Contacts.ShouldBeEmpty();
    }

    [Fact]
    public async Task InsightPut_TypeOfAKeyChanges_400WithValidationError()
    {
        await using var f = await Harness.StartAsync();
        using var import = await f.JsonAsync(HttpMethod.Put, "insightData/v3/import",
            """{"collectionName":"Catalog_Default","collectionScope":"account","collectionType":"catalog","records":[{"key":"SKU-1","json":{"price":10.5,"tags":["a"]}}]}""");

        using var mismatch = await f.SendAsync(HttpMethod.Put, "insightData/v3/account/Catalog_Default/SKU-2", """{"price":"10.50"}""");
        using var nested = await f.SendAsync(HttpMethod.Put, "insightData/v3/account/Catalog_Default/SKU-3", """{"tags":[["a"]]}""");
        using var fine = await f.SendAsync(HttpMethod.Put, "insightData/v3/account/Catalog_Default/SKU-4", """{"price":3,"name":"new key"}""");

        mismatch.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await mismatch.Content.ReadAsStringAsync()).ShouldContain("ERROR_TRANSACTIONAL_DATA_VALIDATION_FAILED");
        nested.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        fine.StatusCode.ShouldBe(HttpStatusCode.Created);
        f.Emulator.Collections["Catalog_Default"].Records.Keys.Order().ShouldBe(["SKU-1", "SKU-4"]);
    }

    [Fact]
    public async Task InsightImport_UnknownContactAndTypeChange_FailuresInTheStatus()
    {
        await using var f = await Harness.StartAsync();
        (await f.SendAsync(HttpMethod.Patch, "contacts/v3/email/ann@example.com", "{}")).Dispose();
        using var accepted = await f.JsonAsync(HttpMethod.Put, "insightData/v3/import", """
            {"collectionName":"Orders","collectionScope":"contact","collectionType":"orders","records":[
              {"key":"1","contactIdentity":{"identifier":"email","value":"ann@example.com"},"json":{"orderTotal":10}},
              {"key":"2","contactIdentity":{"identifier":"email","value":"bob@example.com"},"json":{"orderTotal":10}},
              {"key":"3","contactIdentity":{"identifier":"email","value":"ann@example.com"},"json":{"orderTotal":"10"}}]}
            """);
        var id = accepted.RootElement.GetProperty("importId").GetString();

        using var first = await f.JsonAsync(HttpMethod.Get, $"insightData/v3/import/{id}");
        using var done = await f.JsonAsync(HttpMethod.Get, $"insightData/v3/import/{id}");

        first.RootElement.GetProperty("status").GetString().ShouldBe("Processing");
        done.RootElement.GetProperty("status").GetString().ShouldBe("Complete"); // the published enum; the example's "Finished" stays an option
        done.RootElement.GetProperty("failures").EnumerateArray()
            .Select(x => $"{x.GetProperty("key").GetString()}:{x.GetProperty("failureReason").GetString()}")
            .ShouldBe(["2:ContactEmailDoesNotExist", "3:JsonValueIncompatibleWithSchema"]);
    }

    [Fact]
    public async Task Import_LowTierSpent_429WithHeadersUntilTheMinuteEnds()
    {
        await using var f = await Harness.StartAsync(o => o.LowTierPerMinute = 1);
        const string body = """{"mergeOption":"overwrite","contacts":[]}""";
        (await f.SendAsync(HttpMethod.Put, "contacts/v3/import", body)).Dispose();
        f.Clock.Advance(TimeSpan.FromSeconds(50));

        using var limited = await f.SendAsync(HttpMethod.Put, "contacts/v3/import", body);
        f.Clock.Advance(TimeSpan.FromSeconds(10));
        using var again = await f.SendAsync(HttpMethod.Put, "contacts/v3/import", body);

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.GetValues("X-RateLimit-Reset").Single().ShouldBe("10");
        limited.Headers.GetValues("X-RateLimit-Scope").Single().ShouldBe("lowCallRate");
        limited.Headers.GetValues("X-RateLimit-Remaining").Single().ShouldBe("0");
        again.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Theory]
    [InlineData("Active", 30, HttpStatusCode.BadRequest)]
    [InlineData("Draft", 1, HttpStatusCode.UnprocessableEntity)]
    [InlineData("Active", 1, HttpStatusCode.Created)]
    public async Task Enrol_ProgramStateAndSize_AsTheSpecSays(string status, int contacts, HttpStatusCode expected)
    {
        await using var f = await Harness.StartAsync();
        f.Emulator.SetProgram(9, status);
        (await f.SendAsync(HttpMethod.Patch, "contacts/v3/email/ann@example.com", "{}")).Dispose();
        var id = f.Emulator.FindContact("ann@example.com")!.ContactId;
        var ids = string.Join(',', Enumerable.Repeat(id, contacts));

        using var response = await f.SendAsync(HttpMethod.Post, "v2/programs/enrolments", $$"""{"programId":9,"contacts":[{{ids}}],"addressBooks":[]}""");

        response.StatusCode.ShouldBe(expected);
        f.Emulator.Enrolments.Count.ShouldBe(expected == HttpStatusCode.Created ? 1 : 0);
    }

    private sealed class Harness : IAsyncDisposable
    {
        private readonly HttpClient _http = new();

        private Harness(SandboxServer server, TestClock clock)
        {
            Server = server;
            Clock = clock;
        }

        public SandboxServer Server { get; }

        public DotdigitalEmulator Emulator => Server.Dotdigital;

        public TestClock Clock { get; }

        public static async Task<Harness> StartAsync(Action<DotdigitalEmulatorOptions>? configure = null)
        {
            var clock = new TestClock(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
            var options = new SandboxOptions();
            options.Dotdigital.LowTierPerMinute = 0;
            options.Dotdigital.MediumTierPerMinute = 0;
            options.Dotdigital.HighTierPerMinute = 0;
            configure?.Invoke(options.Dotdigital);
            return new Harness(await SandboxServer.StartAsync(options, clock, CancellationToken.None), clock);
        }

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string? region = "r2", string? password = null)
        {
            var prefix = region is null ? string.Empty : region + "/";
            using var request = new HttpRequestMessage(method, new Uri($"{Server.DotdigitalUrl}/{prefix}{path}"));
            var credentials = $"{Emulator.Options.ApiUser}:{password ?? Emulator.Options.Password}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            return await _http.SendAsync(request);
        }

        public async Task<JsonDocument> JsonAsync(HttpMethod method, string path, string? body = null, string? region = "r2")
        {
            using var response = await SendAsync(method, path, body, region);
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await Server.DisposeAsync();
        }
    }
}
