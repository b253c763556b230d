using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Emarsys;

[Connector]
public class EmarsysDestinationTests
{
    [Fact]
    public async Task DeliverAsync_NewThenChanged_CreatesThenUpdatesOnlyChanges()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        var d = f.Destination;
        var first = d.Project(new Customer
        {
            SourceId = "CT-1", Email = "ann@example.com", FirstName = "Ann", LastName = "Lee",
            Consents = new Dictionary<string, Consent> { [ConsentChannels.Email] = new(ConsentStatus.Subscribed) },
        });

        var created = await d.DeliverAsync(EntityKind.Customer, [Item("CT-1", first.Fields)], CancellationToken.None);
        var updated = await d.DeliverAsync(EntityKind.Customer,
            [Item("CT-1", new Dictionary<string, string?> { ["1"] = "Anna", ["31"] = "2" })], CancellationToken.None);

        created.Failures.ShouldBeEmpty();
        updated.Failures.ShouldBeEmpty();
        var contact = f.Emulator.FindByField("9001", "CT-1").ShouldNotBeNull();
        contact.Fields["1"].ShouldBe("Anna");
        contact.Fields["2"].ShouldBe("Lee");
        contact.Fields["3"].ShouldBe("ann@example.com");
        contact.Fields["31"].ShouldBe("2");
        created.DestinationIds.ShouldNotBeNull()["CT-1"].ShouldBe(contact.Id.ToString());
        f.Emulator.ContactWriteRequests.ShouldBe(2);
    }

    [Fact]
    public async Task DeliverAsync_ALaterCallOfTheBatchFailsPassingly_OnlyItsContactsRetry_TheFirstCallsStayAccepted()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(destination: o => o.MaxBatchSize = 2);
        var items = Enumerable.Range(1, 4).Select(i => f.Destination.Project(new Customer { SourceId = $"CT-{i}", Email = $"c{i}@example.com" }))
            .Select((p, i) => Item($"CT-{i + 1}", p.Fields)).ToList();
        // The request after the first contact write (the second write: CT-3, CT-4) meets a 500.
        f.Emulator.ContactWriteObserved = n =>
        {
            if (n == 1)
            {
                f.Emulator.Faults.FailNext(1);
            }
        };

        var result = await f.Destination.DeliverAsync(EntityKind.Customer, items, CancellationToken.None);

        result.Failures.Keys.Order().ShouldBe(["CT-3", "CT-4"]);
        result.Failures.Values.ShouldAllBe(x => x.Kind == FailureKind.Transient);
        f.Emulator.FindByField("9001", "CT-1").ShouldNotBeNull();
        f.Emulator.FindByField("9001", "CT-2").ShouldNotBeNull();
    }

    [Theory]
    [InlineData(ExistingContactHandling.Quarantine)]
    [InlineData(ExistingContactHandling.Create)]
    public async Task DeliverAsync_ContactWithTheEmailMadeInEmarsys_QuarantinedNamingIt_OrASecondOneMade_AsConfigured(ExistingContactHandling mode)
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(destination: o => o.ExistingByEmail = mode,
            delivered: Tributary.Tests.Support.DeliveredStates.None);
        var form = f.Emulator.CreateContactInEmarsys(new Dictionary<string, string> { ["3"] = "ann@example.com", ["31"] = "1" });
        var ann = f.Destination.Project(new Customer { SourceId = "CT-1", Email = "ann@example.com", FirstName = "Ann" });
        var bo = f.Destination.Project(new Customer { SourceId = "CT-2", Email = "bo@example.com", FirstName = "Bo" });

        var result = await f.Destination.DeliverAsync(EntityKind.Customer, [Item("CT-1", ann.Fields), Item("CT-2", bo.Fields)], CancellationToken.None);

        f.Emulator.FindByField("9001", "CT-2").ShouldNotBeNull("the other customer is delivered either way");
        var withAnnsEmail = f.Emulator.Contacts.Where(c => c.Fields.GetValueOrDefault("3") == "ann@example.com").ToList();
        if (mode == ExistingContactHandling.Quarantine)
        {
            var failure = result.Failures["CT-1"];
            failure.Kind.ShouldBe(FailureKind.Invalid);
            failure.Message.ShouldContain($"contact {form}");
            failure.Message.ShouldContain("existingByEmail: adopt");
            withAnnsEmail.Single().Fields.GetValueOrDefault("9001").ShouldBeNull("nothing is taken over while it waits");
        }
        else
        {
            result.Failures.ShouldBeEmpty();
            withAnnsEmail.Count.ShouldBe(2, "create makes a second contact beside the one made in Emarsys");
            withAnnsEmail.Single(c => c.Id == form).Fields["31"].ShouldBe("1");
        }
    }

    [Fact]
    public async Task DeliverAsync_OneRejectedKey_OneItemFailureAndOthersStored()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        f.Emulator.RejectKey("CT-2", 2007, "Invalid field id: 1");
        var items = Enumerable.Range(1, 3)
            .Select(i => Item($"CT-{i}", new Dictionary<string, string?> { ["3"] = $"c{i}@example.com", ["31"] = "1" }))
            .ToList();

        var result = await f.Destination.DeliverAsync(EntityKind.Customer, items, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.Key.ShouldBe("CT-2");
        failure.Value.Kind.ShouldBe(FailureKind.Invalid);
        failure.Value.Code.ShouldBe("2007");
        f.Emulator.FindByField("9001", "CT-1").ShouldNotBeNull();
        f.Emulator.FindByField("9001", "CT-3").ShouldNotBeNull();
        f.Emulator.FindByField("9001", "CT-2").ShouldBeNull();
        f.Emulator.ContactWriteRequests.ShouldBe(1);
    }

    [Fact]
    public async Task DeliverAsync_UnknownOptIn_ClearsAndNeverOptsIn()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        var projection = f.Destination.Project(new Customer { SourceId = "CT-1", Email = "ann@example.com" });

        await f.Destination.DeliverAsync(EntityKind.Customer, [Item("CT-1", projection.Fields)], CancellationToken.None);

        f.Emulator.FindByField("9001", "CT-1").ShouldNotBeNull().Fields.ContainsKey("31").ShouldBeFalse();
    }

    [Fact]
    public async Task DeliverAsync_ServerError_ThrowsTransient()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        f.Emulator.Faults.FailNext(1);

        var ex = await Should.ThrowAsync<EmarsysException>(() =>
            f.Destination.DeliverAsync(EntityKind.Customer, [Item("CT-1", new Dictionary<string, string?>())], CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Transient);
    }

    [Fact]
    public async Task DeliverAsync_MoreItemsThanBatchSize_SplitsIntoCalls()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(destination: o => o.MaxBatchSize = 2);
        var items = Enumerable.Range(1, 5).Select(i => Item($"CT-{i}", new Dictionary<string, string?> { ["1"] = "N" })).ToList();

        var result = await f.Destination.DeliverAsync(EntityKind.Customer, items, CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        f.Emulator.Contacts.Count.ShouldBe(5);
        f.Emulator.ContactWriteRequests.ShouldBe(3);
    }

    [Fact]
    public async Task CheckAsync_EverythingConfigured_IsOk()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();

        var report = await f.Destination.CheckAsync(CancellationToken.None);

        report.Checks.Where(c => !c.Ok).ShouldBeEmpty();
        report.Ok.ShouldBeTrue();
        report.Checks.ShouldContain(c => c.Name == "clock" && c.Ok);
    }

    [Fact]
    public async Task CheckAsync_MissingKeyField_FailsWithFix()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(o => o.CustomFields = new() { [9002] = new("loyalty_tier") });

        var report = await f.Destination.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeFalse();
        var line = report.Checks.Single(c => c.Name == "key field");
        line.Ok.ShouldBeFalse();
        line.Message.ShouldContain("9001");
        line.Message.ShouldContain("Fix:");
    }

    [Fact]
    public async Task CheckAsync_MissingMappedAttributeField_FailsWithFix()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(destination: o => o.Attributes["shoeSize"] = "7777");

        var report = await f.Destination.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeFalse();
        report.Checks.Single(c => !c.Ok).Message.ShouldContain("7777");
    }

    [Fact]
    public async Task CheckAsync_WrongSecret_ReportsCredentialsWithFix()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(client: o => o.Secret = "nope");

        var report = await f.Destination.CheckAsync(CancellationToken.None);

        report.Ok.ShouldBeFalse();
        var line = report.Checks.ShouldHaveSingleItem();
        line.Name.ShouldBe("credentials");
        line.Message.ShouldContain("Fix:");
    }

    [Fact]
    public async Task CheckAsync_LocalClockOffButAccepted_FlagsSkew()
    {
        // The client clock is 3 minutes behind: still inside Emarsys's 5-minute window, but beyond the check's margin.
        await using var f = await EmarsysConnectorFixture.StartAsync();
        var skewed = new TestClock(f.Clock.GetUtcNow().AddMinutes(-3));
        var options = new EmarsysClientOptions { ApiUrl = f.Server.EmarsysUrl, User = f.Emulator.Options.User, Secret = f.Emulator.Options.Secret };
        var destination = EmarsysDestination.Create(options, new EmarsysDestinationOptions(), skewed);

        var report = await destination.CheckAsync(CancellationToken.None);

        report.Checks.Single(c => c.Name == "clock").Ok.ShouldBeFalse();
    }

    private static DeliveryItem Item(string key, IReadOnlyDictionary<string, string?> changes) => new(key, changes, changes);
}
