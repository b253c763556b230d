using Tributary.Connectors.Cin7Core;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Sandbox;
using Tributary.Sandbox.Cin7Core;
using static Tributary.Tests.Connectors.Cin7Core.Cin7CoreTestHost;

namespace Tributary.Tests.Connectors.Cin7Core;

[Connector]
public sealed class Cin7CoreSourceTests
{
    internal static async Task<List<CanonicalRecord>> ReadAllAsync(ISourceConnector source, EntityKind entity, int pageSize = 100)
    {
        var records = new List<CanonicalRecord>();
        await foreach (var page in source.ReadAsync(new SourceReadRequest(entity, null, null, null, pageSize), CancellationToken.None))
        {
            page.Rejected.ShouldBeEmpty();
            records.AddRange(page.Records);
        }

        return records;
    }

    private static void SeedCustomers(SandboxServer server, int count)
    {
        for (var i = 0; i < count; i++)
        {
            server.Cin7Core.AddCustomer(Customer($"Customer {i:0000}", Contact($"c{i}@example.com", isDefault: true)));
        }
    }

    [Theory]
    [InlineData(FailureKind.RateLimited, 503, null)]
    [InlineData(FailureKind.RateLimited, 429, null)]
    [InlineData(FailureKind.RateLimited, 200, 503)]
    [InlineData(FailureKind.RateLimited, 500, 503)]
    [InlineData(FailureKind.Auth, 403, 403)]
    [InlineData(FailureKind.Auth, 401, null)]
    [InlineData(FailureKind.NotFound, 404, null)]
    [InlineData(FailureKind.Config, 405, null)]
    [InlineData(FailureKind.Invalid, 400, 400)]
    [InlineData(FailureKind.Invalid, 200, 400)]
    [InlineData(FailureKind.Transient, 500, null)]
    [InlineData(FailureKind.Transient, 502, null)]
    [InlineData(FailureKind.Transient, 504, null)]
    public void Classify_StatusAndErrorCode_GivesTheKind(FailureKind expected, int status, int? errorCode) =>
        Cin7CoreException.Classify(status, errorCode).ShouldBe(expected);

    [Fact]
    public async Task ReadAsync_503WithoutRetries_ThrowsRateLimitedNotAnOutage()
    {
        await using var server = await StartAsync();
        SeedCustomers(server, 3);
        using var source = Source(server, o => o.MaxRetries = 0);
        server.Cin7Core.Faults.RateLimitNext(1);

        var e = await Should.ThrowAsync<Cin7CoreException>(() => ReadAllAsync(source, EntityKind.Customer));

        e.Kind.ShouldBe(FailureKind.RateLimited);
        e.StatusCode.ShouldBe(503);
        e.PlatformCode.ShouldBe("503");
        e.RetryAfter.ShouldBe(source.Client.Options.RateLimitedWait);
        source.Client.Budget.ThrottledEvents.ShouldBe(1);
    }

    [Fact]
    public async Task ReadAsync_ThrottledWith429_IsRateLimitedToo()
    {
        await using var server = await StartAsync(o => { o.RateLimitStatus = 429; o.RequestsPerMinute = 1; });
        SeedCustomers(server, 3);
        using var source = Source(server, o => o.MaxRetries = 0);
        await source.GetClockAsync(CancellationToken.None);

        var e = await Should.ThrowAsync<Cin7CoreException>(() => ReadAllAsync(source, EntityKind.Customer));

        e.Kind.ShouldBe(FailureKind.RateLimited);
        e.StatusCode.ShouldBe(429);
        server.Cin7Core.Throttled.ShouldBe(1);
    }

    [Fact]
    public async Task ReadAsync_Injected503s_PausesRetriesAndCompletes()
    {
        await using var server = await StartAsync();
        SeedCustomers(server, 30);
        using var source = Source(server, o => o.PageLimit = 10);
        server.Cin7Core.Faults.RateLimitNext(2);

        var records = await ReadAllAsync(source, EntityKind.Customer, pageSize: 7);

        records.Select(r => r.Key).Distinct().Count().ShouldBe(30);
        source.Client.RateLimitedAnswers.ShouldBe(2);
        source.Client.Budget.ThrottledEvents.ShouldBe(2);
        server.Cin7Core.RequestCount.ShouldBe(3 + 2);
    }

    [Fact]
    public async Task ReadAsync_InjectedServerErrors_RetriedAsTransient()
    {
        await using var server = await StartAsync();
        SeedCustomers(server, 5);
        using var source = Source(server);
        server.Cin7Core.Faults.FailNext(2);

        (await ReadAllAsync(source, EntityKind.Customer)).Count.ShouldBe(5);
        source.Client.RateLimitedAnswers.ShouldBe(0);
    }

    [Fact]
    public async Task ReadAsync_WrongApplicationKey_ThrowsAuthWithoutTheKey()
    {
        await using var server = await StartAsync();
        using var source = Source(server, o => o.ApplicationKey = "not-the-application-key");

        var e = await Should.ThrowAsync<Cin7CoreException>(() => ReadAllAsync(source, EntityKind.Customer));

        e.Kind.ShouldBe(FailureKind.Auth);
        e.StatusCode.ShouldBe(403);
        e.Message.ShouldNotContain("not-the-application-key");
        e.Message.ShouldNotContain(server.Cin7Core.Options.AccountId);
        e.Message.ShouldContain("Fix:");
        (await source.CheckAsync(CancellationToken.None)).Ok.ShouldBeFalse();
    }

    [Fact]
    public async Task ReadAsync_1000CustomersBackfill_OneCallAtTheMaximumLimitAndNo503()
    {
        await using var server = await StartAsync();
        SeedCustomers(server, 1000);
        using var source = Source(server, o => o.RateBurst = 1);

        var pages = new List<SourcePage>();
        await foreach (var page in source.ReadAsync(new SourceReadRequest(EntityKind.Customer, null, null, null, 100), CancellationToken.None))
        {
            pages.Add(page);
        }

        pages.Count.ShouldBe(10);
        pages.SelectMany(p => p.Records).Select(r => r.Key).Distinct().Count().ShouldBe(1000);
        server.Cin7Core.RequestCount.ShouldBe(1);
        server.Cin7Core.Throttled.ShouldBe(0);
        source.Client.RateLimitedAnswers.ShouldBe(0);
    }

    [Fact]
    public async Task ReadAsync_1000CustomersInPagesOf10_PacedUnderTheLimitWithNoWastedCall()
    {
        var clock = new TestClock(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero), ClockMode.Jump);
        await using var server = await StartAsync(time: clock);
        SeedCustomers(server, 1000);
        // Defaults of the budget (60 a minute with headroom, no burst); only the list Limit is small, to force 100 calls.
        using var source = Source(server, o => { o.PageLimit = 10; o.RateBurst = 1; o.RequestTimeout = TimeSpan.FromMinutes(10); }, time: clock);

        var records = await ReadAllAsync(source, EntityKind.Customer, pageSize: 250);

        records.Select(r => r.Key).Distinct().Count().ShouldBe(1000);
        server.Cin7Core.RequestCount.ShouldBe(100);
        server.Cin7Core.Throttled.ShouldBe(0);
        source.Client.RateLimitedAnswers.ShouldBe(0);
        source.Client.Budget.Granted.ShouldBe(100);
    }

    [Fact]
    public async Task ReadAsync_ContactsWithAndWithoutDefault_EmailFromTheChosenContactOrNull()
    {
        await using var server = await StartAsync();
        var withDefault = server.Cin7Core.AddCustomer(Customer("A", Contact("first@example.com"), Contact("default@example.com", isDefault: true)));
        var noDefault = server.Cin7Core.AddCustomer(Customer("B", Contact(null, name: "No Mail"), Contact("second@example.com", name: "Bo Berg")));
        var defaultWithoutEmail = server.Cin7Core.AddCustomer(Customer("C", Contact(null, isDefault: true), Contact("other@example.com")));
        var none = server.Cin7Core.AddCustomer(Customer("D", Contact(null, isDefault: true)));
        var noContacts = server.Cin7Core.AddCustomer(Customer("E"));
        using var source = Source(server);

        var byKey = (await ReadAllAsync(source, EntityKind.Customer)).Cast<Customer>().ToDictionary(c => c.Key);

        byKey[Key(withDefault)].Email.ShouldBe("default@example.com");
        byKey[Key(noDefault)].Email.ShouldBe("second@example.com");
        byKey[Key(noDefault)].FirstName.ShouldBe("Bo");
        byKey[Key(noDefault)].LastName.ShouldBe("Berg");
        byKey[Key(defaultWithoutEmail)].Email.ShouldBe("other@example.com");
        byKey[Key(none)].Email.ShouldBeNull();
        byKey[Key(noContacts)].Email.ShouldBeNull();
        byKey.Count.ShouldBe(5);
    }

    [Fact]
    public async Task ReadAsync_DefaultOnlyChoice_DefaultWithoutEmailGivesNull()
    {
        await using var server = await StartAsync();
        var id = server.Cin7Core.AddCustomer(Customer("C", Contact(null, isDefault: true), Contact("other@example.com")));
        using var source = Source(server, sourceOptions: new Cin7CoreSourceOptions { EmailContact = Cin7CoreContactChoice.DefaultOnly });

        var customer = (Customer)(await source.GetAsync(EntityKind.Customer, Key(id), CancellationToken.None))!;

        customer.Email.ShouldBeNull();
    }

    [Fact]
    public async Task ReadAsync_FirstWithEmailChoice_IgnoresTheDefaultFlag()
    {
        await using var server = await StartAsync();
        var id = server.Cin7Core.AddCustomer(Customer("A", Contact("first@example.com"), Contact("default@example.com", isDefault: true)));
        using var source = Source(server, sourceOptions: new Cin7CoreSourceOptions { EmailContact = Cin7CoreContactChoice.FirstWithEmail });

        ((Customer)(await source.GetAsync(EntityKind.Customer, Key(id), CancellationToken.None))!).Email.ShouldBe("first@example.com");
    }

    [Fact]
    public async Task ReadAsync_NoConsentFieldConfigured_ConsentUnknownEvenWithAYesAttribute()
    {
        await using var server = await StartAsync();
        var c = Customer("A", Contact("a@example.com", isDefault: true));
        c.AdditionalAttributes["AdditionalAttribute1"] = "Yes";
        server.Cin7Core.AddCustomer(c);
        using var source = Source(server);

        var customer = (Customer)(await ReadAllAsync(source, EntityKind.Customer)).ShouldHaveSingleItem();

        customer.ConsentFor(ConsentChannels.Email).Status.ShouldBe(ConsentStatus.Unknown);
    }

    [Fact]
    public async Task GetAsync_NotAGuid_ReturnsNullWithoutACall()
    {
        await using var server = await StartAsync();
        using var source = Source(server);

        (await source.GetAsync(EntityKind.Customer, "42", CancellationToken.None)).ShouldBeNull();
        (await source.GetAsync(EntityKind.Order, "SO-1", CancellationToken.None)).ShouldBeNull();
        server.Cin7Core.RequestCount.ShouldBe(0);
    }

    internal static string Key(Guid id) => id.ToString();
}
