using Tributary.Connectors.Commercetools;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Sandbox.Commercetools;
using Tributary.Tests.Sandbox.Commercetools;

namespace Tributary.Tests.Connectors.Commercetools;

[Connector]
public sealed class CommercetoolsSourceMappingTests
{
    private static readonly DateTimeOffset Start = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static CommercetoolsSource Source(EmulatorHarness h, CommercetoolsSourceOptions? sourceOptions = null) =>
        CommercetoolsSource.Create(new CommercetoolsClientOptions
        {
            ApiUrl = h.Server.CommercetoolsUrl,
            AuthUrl = h.Server.CommercetoolsUrl,
            ProjectKey = "demo",
            ClientId = "sandbox-client",
            ClientSecret = "sandbox-secret",
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        }, sourceOptions ?? new CommercetoolsSourceOptions(), TimeProvider.System);

    private static async Task<SourcePage> ReadOnePageAsync(ISourceConnector source)
    {
        await foreach (var page in source.ReadAsync(new SourceReadRequest(EntityKind.Customer, null, null, null), CancellationToken.None))
        {
            return page;
        }

        throw new InvalidOperationException("no page");
    }

    private static async Task<Customer> ReadOneAsync(EmulatorHarness h, string id, CommercetoolsSourceOptions? options = null)
    {
        using var source = Source(h, options);
        return (Customer)(await source.GetAsync(EntityKind.Customer, id, CancellationToken.None))!;
    }

    [Theory]
    [InlineData(true, ConsentStatus.Subscribed)]
    [InlineData(false, ConsentStatus.Unsubscribed)]
    [InlineData(null, ConsentStatus.Unknown)]
    [InlineData("yes", ConsentStatus.Subscribed)]
    [InlineData("opted_out", ConsentStatus.Unsubscribed)]
    [InlineData("perhaps", ConsentStatus.Unknown)]
    public async Task Map_ConsentField_MapsToConsentStatusWithProvenance(object? value, ConsentStatus expected)
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com", configure: c =>
        {
            c.CustomTypeId = "type-1";
            if (value is not null)
            {
                c.CustomFields["marketingOptIn"] = value;
            }
        }));

        var customer = await ReadOneAsync(h, id);

        var consent = customer.ConsentFor(ConsentChannels.Email);
        consent.Status.ShouldBe(expected);
        consent.Source.ShouldBe("commercetools:custom.marketingOptIn");
    }

    [Fact]
    public async Task Map_ConsentDateField_SetsConsentTime()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com", configure: c =>
        {
            c.CustomFields["newsletter"] = "subscribed";
            c.CustomFields["newsletterAt"] = "2029-12-24T10:00:00.000Z";
        }));

        var customer = await ReadOneAsync(h, id, new CommercetoolsSourceOptions { ConsentField = "newsletter", ConsentDateField = "newsletterAt" });

        customer.ConsentFor(ConsentChannels.Email).ShouldBe(new Consent(ConsentStatus.Subscribed, "commercetools:custom.newsletter",
            new DateTimeOffset(2029, 12, 24, 10, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Map_ConfiguredAttributes_ReadFromCustomFieldsByName()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddCustomer(EmulatorHarness.Customer("ann@example.com", configure: c =>
        {
            c.CustomFields["tier"] = "gold";
            c.CustomFields["points"] = 1250L;
            c.CustomFields["vip"] = true;
        }));
        var options = new CommercetoolsSourceOptions
        {
            Attributes = new Dictionary<string, string> { ["loyaltyTier"] = "tier", ["loyaltyPoints"] = "points", ["vip"] = "vip", ["segment"] = "segment" },
        };

        var customer = await ReadOneAsync(h, id, options);

        customer.Attributes.ShouldBe(new Dictionary<string, string?>
        {
            ["loyaltyTier"] = "gold", ["loyaltyPoints"] = "1250", ["vip"] = "true", ["segment"] = null,
        }, ignoreOrder: true);
    }

    [Fact]
    public async Task Map_FullRecord_CopiesIdentityNamesStorePhoneAndTimes()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var id = h.Emulator.AddCustomer(new SandboxCustomer
        {
            Email = " Ann.Lee@Example.com ",
            FirstName = "Ann",
            LastName = "Lee",
            DateOfBirth = "1990-02-03",
            CustomerNumber = "CN7",
            Locale = "de-DE",
            Stores = ["eu", "uk"],
            Version = 4,
            Addresses = [new SandboxAddress { Id = "a1", Country = "DE", Phone = "+49 1" }, new SandboxAddress { Id = "a2", Country = "DE", Mobile = "+49 2" }],
            DefaultBillingAddressId = "a2",
            CreatedAt = Start.AddDays(-3),
            LastModifiedAt = Start,
        });

        var c = await ReadOneAsync(h, id);

        c.SourceId.ShouldBe(id);
        c.SourceVersion.ShouldBe(4);
        c.Email.ShouldBe(" Ann.Lee@Example.com ");
        c.DateOfBirth.ShouldBe(new DateOnly(1990, 2, 3));
        c.CustomerNumber.ShouldBe("CN7");
        c.Locale.ShouldBe("de-DE");
        c.Store.ShouldBe("eu");
        c.Phone.ShouldBe("+49 2");
        c.CreatedAt.ShouldBe(Start.AddDays(-3));
        c.ModifiedAt.ShouldBe(Start);
    }

    [Fact]
    public async Task ReadAsync_MalformedDateOfBirth_RejectsThatRecordAndReadsTheRest()
    {
        await using var h = await EmulatorHarness.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            h.Emulator.AddCustomer(EmulatorHarness.Customer($"c{i}@example.com", configure: c => c.DateOfBirth = "1990-01-0" + (i + 1)));
        }

        var bad = h.Emulator.AddCustomer(EmulatorHarness.Customer("bad@example.com", configure: c => c.DateOfBirth = "31/02/1990"));
        using var source = Source(h);

        var page = await ReadOnePageAsync(source);

        page.Records.Count.ShouldBe(5);
        page.Records.ShouldNotContain(r => r.Key == bad);
        var rejection = page.Rejected.ShouldHaveSingleItem();
        rejection.Key.ShouldBe(bad);
        rejection.Reason.ShouldContain("dateOfBirth");
        rejection.Raw!.ShouldNotContain("bad@example.com");
        rejection.Raw!.ShouldNotContain("31/02/1990");
        page.LastKey.ShouldBe(h.Emulator.Customers[^1].Id);
    }

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        await using var h = await EmulatorHarness.StartAsync();
        using var source = Source(h);

        (await source.GetAsync(EntityKind.Customer, Guid.NewGuid().ToString(), CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task GetClockAsync_ReturnsTheServerClockFromTheDateHeader()
    {
        var time = new TestClock(Start);
        await using var h = await EmulatorHarness.StartAsync(time);
        using var source = Source(h);

        (await source.GetClockAsync(CancellationToken.None)).ShouldBe(Start);
    }

    [Fact]
    public async Task CheckAsync_EverythingInPlace_ReportsOk()
    {
        await using var h = await EmulatorHarness.StartAsync(configure: o => o.Scopes = ["view_customers"]);
        using var source = Source(h);

        var report = await source.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeTrue();
        report.Checks.Select(c => c.Name).ShouldBe(["credentials", "project", "customers"]);
    }

    [Fact]
    public async Task CheckAsync_MissingCustomerScope_SaysWhichScopeToAdd()
    {
        await using var h = await EmulatorHarness.StartAsync(configure: o => o.Scopes = ["view_orders"]);
        using var source = Source(h);

        var report = await source.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeFalse();
        var line = report.Checks.Single(c => !c.Ok);
        line.Name.ShouldBe("customers");
        line.Message.ShouldContain("view_customers:demo");
    }

    [Fact]
    public async Task CheckAsync_ScopesShortOfTheConfiguredEntities_ListsWhatTheTokenHoldsAndWhatEachEntityNeeds()
    {
        await using var h = await EmulatorHarness.StartAsync(configure: o => o.Scopes = ["view_customers", "view_orders"]);
        using var source = Source(h, new CommercetoolsSourceOptions
        {
            CheckedEntities = [EntityKind.Customer, EntityKind.Order, EntityKind.Stock],
        });

        var report = await source.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeFalse();
        report.Checks.Where(c => c.Ok).Select(c => c.Name).ShouldBe(["credentials", "project", "orders"]);
        report.Checks.Where(c => !c.Ok).Select(c => c.Name).ShouldBe(["payments", "inventory", "channels", "shopping lists"]);
        var payments = report.Checks.Single(c => c.Name == "payments").Message;
        payments.ShouldContain("lacks the scope view_payments:demo");
        payments.ShouldContain("it holds: view_customers:demo view_orders:demo");
        report.Checks.Single(c => c.Name == "inventory").Message.ShouldContain("view_products:demo");
        report.Checks.Single(c => c.Name == "shopping lists").Message.ShouldContain("view_shopping_lists:demo");
    }

    [Fact]
    public async Task CheckAsync_WrongProjectKey_SaysToFixTheProjectKey()
    {
        await using var h = await EmulatorHarness.StartAsync();
        using var source = CommercetoolsSource.Create(new CommercetoolsClientOptions
        {
            ApiUrl = h.Server.CommercetoolsUrl,
            AuthUrl = h.Server.CommercetoolsUrl,
            ProjectKey = "Demo Shop",
            ClientId = "sandbox-client",
            ClientSecret = "sandbox-secret",
        }, new CommercetoolsSourceOptions(), TimeProvider.System);

        var report = await source.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeFalse();
        report.Checks.Single(c => !c.Ok).Message.ShouldContain("ProjectKey");
    }

    [Fact]
    public async Task CheckAsync_WrongSecret_ReportsCredentialsWithTheFix()
    {
        await using var h = await EmulatorHarness.StartAsync();
        using var source = CommercetoolsSource.Create(new CommercetoolsClientOptions
        {
            ApiUrl = h.Server.CommercetoolsUrl,
            AuthUrl = h.Server.CommercetoolsUrl,
            ProjectKey = "demo",
            ClientId = "sandbox-client",
            ClientSecret = "wrong",
        }, new CommercetoolsSourceOptions(), TimeProvider.System);

        var report = await source.CheckAsync(CancellationToken.None);

        var line = report.Checks.ShouldHaveSingleItem();
        line.Name.ShouldBe("credentials");
        line.Ok.ShouldBeFalse();
        line.Message.ShouldContain("ClientSecret");
    }
}
