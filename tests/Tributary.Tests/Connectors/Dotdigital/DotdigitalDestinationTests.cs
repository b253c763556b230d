using System.Text.Json;
using Tributary.Connectors.Dotdigital;
using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Dotdigital;

[Connector]
public partial class DotdigitalDestinationTests
{
    private const long WelcomeProgram = 77;

    [Fact]
    public async Task DeliverAsync_BatchAboveThreshold_ImportsAndMapsPartialFailuresByKey()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(e => e.ImportPollsBeforeFinished = 2);
        var customers = Enumerable.Range(1, 25).Select(i => Person($"C-{i}", $"c{i}@example.com")).ToList();
        f.Emulator.RejectEmail("c4@example.com");
        f.Emulator.RejectEmail("c9@example.com", "consentRecordsNotApplied", "bad consent");

        var result = await f.Destination.DeliverAsync(EntityKind.Customer, customers.Select(c => Item(f, c)).ToList(), CancellationToken.None);

        result.Failures.Keys.Order().ShouldBe(["C-4", "C-9"]);
        result.Failures["C-4"].Kind.ShouldBe(FailureKind.Invalid);
        result.Failures["C-4"].Code.ShouldBe("invalidEmail");
        f.Emulator.Contacts.Count.ShouldBe(23);
        result.DestinationIds.ShouldNotBeNull()["C-1"].ShouldBe(f.Emulator.FindContact("c1@example.com")!.ContactId.ToString());
        // Discovery, the opt-outs read before subscribing anyone (unsubscribed-since, suppressed-since), one import, three polls.
        f.Emulator.RequestCount.ShouldBe(1 + 2 + 1 + 3);
    }

    [Fact]
    public async Task DeliverAsync_UnsubscribedInDotdigitalThenSubscribedResent_StaysUnsubscribed()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync();
        var ann = Person("C-1", "ann@example.com", ConsentStatus.Subscribed);
        await f.Destination.DeliverAsync(EntityKind.Customer, [Item(f, ann)], CancellationToken.None);
        f.Emulator.SetEmailStatus("ann@example.com", "unsubscribed"); // she used the unsubscribe link

        // A full resync (a heal pass after the ledger was reset) sends everything again, status included.
        await f.Destination.DeliverAsync(EntityKind.Customer, [Item(f, ann with { FirstName = "Anna" })], CancellationToken.None);

        var contact = f.Emulator.FindContact("ann@example.com").ShouldNotBeNull();
        contact.EmailStatus.ShouldBe("unsubscribed");
        contact.DataFields["FIRSTNAME"].ShouldBe("Anna");
    }

    [Fact]
    public async Task DeliverAsync_OptInNewerThanTheOptOutDotdigitalHolds_Resubscribes_OlderOne_KeptWithANote()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync();
        var ann = Person("C-1", "ann@example.com");
        var bob = Person("C-2", "bob@example.com");
        await f.Destination.DeliverAsync(EntityKind.Customer, [Item(f, ann), Item(f, bob)], CancellationToken.None);
        f.Emulator.SetEmailStatus("ann@example.com", "unsubscribed");
        f.Emulator.SetEmailStatus("bob@example.com", "unsubscribed");
        var optedOut = f.Emulator.FindContact("ann@example.com")!.OptedOutAt!.Value;

        // Ann ticks the box at checkout after she unsubscribed; Bob's opt-in is the one from before.
        var annAgain = ann with { Consents = new Dictionary<string, Consent> { [ConsentChannels.Email] = new(ConsentStatus.Subscribed, "checkout", optedOut.AddMinutes(5)) } };
        var bobAgain = bob with { Consents = new Dictionary<string, Consent> { [ConsentChannels.Email] = new(ConsentStatus.Subscribed, "signup", optedOut.AddDays(-30)) } };
        var result = await f.Destination.DeliverAsync(EntityKind.Customer, [Item(f, annAgain), Item(f, bobAgain)], CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        f.Emulator.FindContact("ann@example.com")!.EmailStatus.ShouldBe("subscribed", "her opt-in is newer than her opt-out");
        f.Emulator.FindContact("bob@example.com")!.EmailStatus.ShouldBe("unsubscribed", "an older opt-in never overrides a newer opt-out");
        result.Notes.ShouldNotBeNull().Keys.ShouldBe(["C-2"]);
        result.Notes["C-2"].ShouldContain("opt-out");
        result.Notes["C-2"].ShouldNotContain("bob@");
    }

    [Fact]
    public void Project_Customer_DataFieldsStatusAndLists()
    {
        var destination = Create(o => o.ListIds = [12, 5]);

        var fields = destination.Project(Person("C-1", " Ann@Example.COM ", ConsentStatus.Subscribed)).Fields;

        fields[DotdigitalDestination.EmailField].ShouldBe("ann@example.com");
        fields["dataFields.FIRSTNAME"].ShouldBe("Ann");
        fields["dataFields.FULLNAME"].ShouldBe("Ann Lee");
        fields[DotdigitalDestination.EmailStatusField].ShouldBe("subscribed");
        fields[DotdigitalDestination.ListsField].ShouldBe("5,12");
    }

    [Theory]
    [InlineData(UnknownConsentHandling.Unsubscribed, "unsubscribed")]
    [InlineData(UnknownConsentHandling.Omit, null)]
    public void Project_UnknownConsent_NeverSubscribed(UnknownConsentHandling handling, string? expected)
    {
        var destination = Create(o => o.UnknownConsent = handling);

        var fields = destination.Project(Person("C-1", "ann@example.com", ConsentStatus.Unknown)).Fields;

        fields.GetValueOrDefault(DotdigitalDestination.EmailStatusField).ShouldBe(expected);
    }

    [Fact]
    public async Task DeliverAsync_ListsConfigured_ContactAddedToLists()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(destination: o => o.ListIds = [345579]);

        await f.Destination.DeliverAsync(EntityKind.Customer, [Item(f, Person("C-1", "ann@example.com"))], CancellationToken.None);

        f.Emulator.FindContact("ann@example.com").ShouldNotBeNull().Lists.ShouldBe([345579L]);
    }

    [Fact]
    public async Task DeliverAsync_Orders_ContactScopedRecordsWithFixedSchema()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync();
        await f.Destination.DeliverAsync(EntityKind.Customer, [Item(f, Person("C-1", "ann@example.com"))], CancellationToken.None);
        var order = Purchase("O-1", "C-1", "Ann@example.com");

        var first = await f.Destination.DeliverAsync(EntityKind.Order, [ItemOf(f, order)], CancellationToken.None);
        var second = await f.Destination.DeliverAsync(EntityKind.Order,
            [ItemOf(f, order with { Status = OrderStatus.Cancelled, Lines = [] })], CancellationToken.None);

        first.Failures.ShouldBeEmpty();
        second.Failures.ShouldBeEmpty();
        var orders = f.Emulator.Collections["Orders"];
        orders.Scope.ShouldBe("contact");
        orders.Type.ShouldBe("orders");
        orders.Schema["orderTotal"].ShouldBe("Number");
        orders.Schema["purchaseDate"].ShouldBe("String");
        orders.Schema["products[].qty"].ShouldBe("Number");
        orders.Schema["products[].sku"].ShouldBe("String");
        var record = orders.Records.ShouldHaveSingleItem().Value;
        record.ContactId.ShouldBe(f.Emulator.FindContact("ann@example.com")!.ContactId);
        using var json = JsonDocument.Parse(record.Json);
        json.RootElement.GetProperty("orderStatus").GetString().ShouldBe("cancelled");
        json.RootElement.GetProperty("orderTotal").GetDecimal().ShouldBe(59.98m);
        json.RootElement.TryGetProperty("products", out _).ShouldBeFalse(); // empty arrays are never sent
    }

    [Fact]
    public async Task DeliverAsync_RecordWithTypeChange_InvalidItemFailureByKey()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync();
        await f.Destination.DeliverAsync(EntityKind.Customer, [Item(f, Person("C-1", "ann@example.com"))], CancellationToken.None);
        await f.Destination.DeliverAsync(EntityKind.Order, [ItemOf(f, Purchase("O-1", "C-1", "ann@example.com"))], CancellationToken.None);
        var drifted = new Dictionary<string, string?>(ItemOf(f, Purchase("O-2", "C-1", "ann@example.com")).Fields)
        {
            [DotdigitalDestination.RecordField] = """{"id":"O-2","orderTotal":"59.98","currency":"EUR"}""",
        };

        var result = await f.Destination.DeliverAsync(EntityKind.Order, [new DeliveryItem("O-2", drifted, drifted)], CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.Key.ShouldBe("O-2");
        failure.Value.Kind.ShouldBe(FailureKind.Invalid);
        failure.Value.Message.ShouldContain("orderTotal");
        f.Emulator.Collections["Orders"].Records.Keys.ShouldBe(["O-1"]);
    }

    [Fact]
    public async Task DeliverAsync_ManyProducts_ImportedIntoAccountCatalogueAcceptingComplete()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(e => e.InsightFinishedStatus = "Complete");
        var products = Enumerable.Range(1, 21).Select(i => new Product
        {
            Sku = $"SKU-{i}",
            Names = new Dictionary<string, string> { ["en"] = $"Shoe {i}" },
            Prices = [new ProductPrice(new Money(149m, "EUR"), new Money(129m, "EUR"))],
            ImageUrl = $"https://cdn.example.com/{i}.jpg",
            Active = i != 3,
            Attributes = new Dictionary<string, string?> { ["stock"] = "14" },
        }).ToList();

        var result = await f.Destination.DeliverAsync(EntityKind.Product, products.Select(p => ItemOf(f, p)).ToList(), CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        var catalogue = f.Emulator.Collections["Catalog_Default"];
        catalogue.Scope.ShouldBe("account");
        catalogue.Records.Count.ShouldBe(21);
        using var json = JsonDocument.Parse(catalogue.Records["SKU-3"].Json);
        json.RootElement.GetProperty("status").GetString().ShouldBe("Disabled");
        json.RootElement.GetProperty("specialPrice").GetDecimal().ShouldBe(129m);
        json.RootElement.GetProperty("imagePath").GetString().ShouldBe("https://cdn.example.com/3.jpg");
        json.RootElement.GetProperty("stock").GetDecimal().ShouldBe(14m);
    }

    [Fact]
    public async Task DeliverAsync_GuestOrderForUnknownContact_NotFoundByKey()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync();
        var guest = Purchase("O-9", null, "guest@example.com");

        var projection = f.Destination.Project(guest);
        var result = await f.Destination.DeliverAsync(EntityKind.Order, [ItemOf(f, guest)], CancellationToken.None);

        projection.DependsOn.ShouldBeNull();
        result.Failures["O-9"].Kind.ShouldBe(FailureKind.NotFound);
    }

    [Fact]
    public async Task DeliverAsync_Summary_WrittenOntoTheCustomersContact()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync();
        var summary = new CustomerSummary { CustomerId = "C-1", Currency = "EUR", OrderCount = 3, LifetimeValue = 240.5m, AverageOrderValue = 80.17m };
        var early = await f.Destination.DeliverAsync(EntityKind.CustomerSummary, [ItemOf(f, summary)], CancellationToken.None);
        await f.Destination.DeliverAsync(EntityKind.Customer, [Item(f, Person("C-1", "ann@example.com"))], CancellationToken.None);

        var result = await f.Destination.DeliverAsync(EntityKind.CustomerSummary, [ItemOf(f, summary)], CancellationToken.None);

        f.Destination.Project(summary).DependsOn.ShouldBe(new DependencyKey(EntityKind.Customer, "C-1"));
        early.Failures["C-1"].Kind.ShouldBe(FailureKind.NotFound);
        result.Failures.ShouldBeEmpty();
        var contact = f.Emulator.FindContact("ann@example.com").ShouldNotBeNull();
        contact.DataFields["ORDER_COUNT"].ShouldBe("3");
        contact.DataFields["LIFETIME_VALUE"].ShouldBe("240.50");
    }

    [Fact]
    public async Task DeliverAsync_EventsForOneProgram_EnrolledInChunksOf25()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(destination: o => o.Programs[CommerceEventType.CustomerCreated] = WelcomeProgram);
        f.Emulator.SetProgram(WelcomeProgram);
        var customers = Enumerable.Range(1, 30).Select(i => Person($"C-{i}", $"c{i}@example.com")).ToList();
        await f.Destination.DeliverAsync(EntityKind.Customer, customers.Select(c => Item(f, c)).ToList(), CancellationToken.None);
        var events = customers.Select(c => ItemOf(f, Welcome(c.SourceId))).ToList();

        var result = await f.Destination.DeliverAsync(EntityKind.Event, events, CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        f.Destination.Semantics(EntityKind.Event).ShouldBe(DeliverySemantics.AppendOnce);
        f.Emulator.Enrolments.Select(e => e.ContactIds.Count).ShouldBe([25, 5]);
        f.Emulator.Enrolments.SelectMany(e => e.ContactIds).Distinct().Count().ShouldBe(30);
    }

    [Fact]
    public async Task DeliverAsync_HourlyEnrolmentAllowanceSpent_LaterChunksRateLimitedPerItem()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(destination: o =>
        {
            o.Programs[CommerceEventType.CustomerCreated] = WelcomeProgram;
            o.EnrolmentCallsPerHour = 1;
        });
        f.Emulator.SetProgram(WelcomeProgram);
        var customers = Enumerable.Range(1, 27).Select(i => Person($"C-{i}", $"c{i}@example.com")).ToList();
        await f.Destination.DeliverAsync(EntityKind.Customer, customers.Select(c => Item(f, c)).ToList(), CancellationToken.None);

        var result = await f.Destination.DeliverAsync(EntityKind.Event, customers.Select(c => ItemOf(f, Welcome(c.SourceId))).ToList(), CancellationToken.None);
        var next = await Should.ThrowAsync<DotdigitalException>(() =>
            f.Destination.DeliverAsync(EntityKind.Event, [ItemOf(f, Welcome("C-26"))], CancellationToken.None));
        f.Clock.Advance(TimeSpan.FromHours(1));
        var later = await f.Destination.DeliverAsync(EntityKind.Event, [ItemOf(f, Welcome("C-26")), ItemOf(f, Welcome("C-27"))], CancellationToken.None);

        result.Failures.Count.ShouldBe(2);
        result.Failures.Values.ShouldAllBe(x => x.Kind == FailureKind.RateLimited);
        next.Kind.ShouldBe(FailureKind.RateLimited);
        next.RetryAfter.ShouldBe(TimeSpan.FromHours(1));
        later.Failures.ShouldBeEmpty();
        f.Emulator.Enrolments.Count.ShouldBe(2);
    }

    [Fact]
    public async Task DeliverAsync_InactiveProgram_ConfigFailurePerItem()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(destination: o => o.Programs[CommerceEventType.CustomerCreated] = WelcomeProgram);
        f.Emulator.SetProgram(WelcomeProgram, "Draft");
        await f.Destination.DeliverAsync(EntityKind.Customer, [Item(f, Person("C-1", "ann@example.com"))], CancellationToken.None);

        var result = await f.Destination.DeliverAsync(EntityKind.Event, [ItemOf(f, Welcome("C-1"))], CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem().Value;
        failure.Kind.ShouldBe(FailureKind.Config);
        failure.Code.ShouldBe("ERROR_PROGRAM_NOT_ACTIVE");
    }

    [Fact]
    public void Project_UnmappedEventType_NothingToSend()
    {
        var destination = Create(o => o.Programs[CommerceEventType.CustomerCreated] = WelcomeProgram);

        var projection = destination.Project(new CommerceEvent { Type = CommerceEventType.LowStock, DedupeKey = "LowStock:SKU-1", SubjectId = "SKU-1" });

        projection.QuarantineReason.ShouldBeNull();
        projection.Fields.ShouldBeEmpty();
    }

    [Fact]
    public async Task CheckAsync_InactiveProgramAndMissingField_FailsWithFixes()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(destination: o =>
        {
            o.Programs[CommerceEventType.CustomerCreated] = WelcomeProgram;
            o.Attributes["loyaltyTier"] = "LOYALTY_TIER";
        });
        f.Emulator.SetProgram(WelcomeProgram, "Deactivated");

        var report = await f.Destination.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeFalse();
        report.Checks.Single(c => c.Name == "credentials").Ok.ShouldBeTrue();
        report.Checks.Single(c => c.Name == "data fields").Message.ShouldContain("LOYALTY_TIER");
        report.Checks.Single(c => c.Name == "programs").Message.ShouldContain("Fix:");
    }

    private static DotdigitalDestination Create(Action<DotdigitalDestinationOptions> configure)
    {
        var options = new DotdigitalDestinationOptions();
        configure(options);
        var client = new DotdigitalClientOptions { ApiUser = "u", Password = "p" };
        return DotdigitalDestination.Create(client, options, TimeProvider.System);
    }

    private static Customer Person(string id, string email, ConsentStatus consent = ConsentStatus.Subscribed) => new()
    {
        SourceId = id, Email = email, FirstName = "Ann", LastName = "Lee",
        Consents = consent == ConsentStatus.Unknown ? [] : new Dictionary<string, Consent> { [ConsentChannels.Email] = new(consent) },
    };

    private static Order Purchase(string id, string? customerId, string email) => new()
    {
        SourceId = id, OrderNumber = id, CustomerId = customerId, Email = email, Currency = "EUR", Status = OrderStatus.Paid,
        Total = new Money(59.98m, "EUR"), PlacedAt = new DateTimeOffset(2026, 5, 1, 9, 12, 0, TimeSpan.Zero),
        Lines = [new OrderLine("L1", "SKU-1", "P-1", 2, new Money(29.99m, "EUR"), new Money(59.98m, "EUR"), Name: "Trail Shoe")],
    };

    private static CommerceEvent Welcome(string customerId) => new()
    {
        Type = CommerceEventType.CustomerCreated, DedupeKey = $"CustomerCreated:{customerId}", CustomerId = customerId,
    };

    private static DeliveryItem Item(DotdigitalConnectorFixture f, Customer customer) => ItemOf(f, customer);

    private static DeliveryItem ItemOf(DotdigitalConnectorFixture f, CanonicalRecord record)
    {
        var projection = f.Destination.Project(record);
        projection.QuarantineReason.ShouldBeNull();
        return new DeliveryItem(record.Key, FieldDiff.Changes(projection.Fields, null), projection.Fields);
    }
}
