using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors;

/// <summary>How a destination holds a person's email marketing consent.</summary>
public enum HeldConsent
{
    /// <summary>Marketable.</summary>
    OptedIn,
    /// <summary>Explicitly opted out.</summary>
    OptedOut,
    /// <summary>Neither.</summary>
    NotSet,
}

/// <summary>What a destination holds for one customer, read back through its emulator.</summary>
public sealed record HeldContact(string? Email, string? FirstName, string? LastName, HeldConsent Consent);

/// <summary>A destination running against its emulator, with the handles the compliance suite needs.</summary>
public interface IDestinationUnderTest : IAsyncDisposable
{
    /// <summary>The destination, pointed at the emulator.</summary>
    IDestinationConnector Destination { get; }

    /// <summary>What the destination holds for the customer; null when nothing.</summary>
    HeldContact? Read(Customer customer);

    /// <summary>Makes the emulator reject every write of this customer as a per-item error.</summary>
    void Reject(Customer customer);

    /// <summary>The next call gets the platform's rate-limit answer.</summary>
    void RateLimitNextCall();

    /// <summary>The next call gets a 5xx.</summary>
    void FailNextCall();
}

/// <summary>
/// The behaviour every destination connector shares, run against each one's emulator: round trip, partial updates, consent,
/// quarantine, per-item failures and the classification of whole-call failures.
/// </summary>
[Connector]
public abstract class DestinationComplianceTests
{
    /// <summary>Starts the emulator and a destination pointed at it (with a wrong secret when asked).</summary>
    protected abstract Task<IDestinationUnderTest> StartAsync(bool wrongCredentials = false);

    [Fact]
    public async Task DeliverAsync_NewCustomer_ReadsBackEqual()
    {
        await using var sut = await StartAsync();
        var customer = Person("C-1", "Ann.Lee@Example.com", "Ann", "Lee", ConsentStatus.Subscribed);

        var result = await DeliverAsync(sut, customer);

        result.Failures.ShouldBeEmpty();
        var held = sut.Read(customer).ShouldNotBeNull();
        held.Email.ShouldBe("ann.lee@example.com");
        held.FirstName.ShouldBe("Ann");
        held.LastName.ShouldBe("Lee");
        held.Consent.ShouldBe(HeldConsent.OptedIn);
    }

    [Fact]
    public async Task DeliverAsync_OnlyChangedFields_UpdatesThemAndKeepsTheRest()
    {
        await using var sut = await StartAsync();
        var before = Person("C-1", "ann@example.com", "Ann", "Lee", ConsentStatus.Subscribed);
        var delivered = sut.Destination.Project(before).Fields;
        await DeliverAsync(sut, before);
        var after = before with { FirstName = "Anna" };
        var projected = sut.Destination.Project(after).Fields;
        var changes = FieldDiff.Changes(projected, delivered);

        var result = await sut.Destination.DeliverAsync(EntityKind.Customer, [new DeliveryItem("C-1", changes, projected)], CancellationToken.None);

        result.Failures.ShouldBeEmpty();
        changes.Values.ShouldNotContain("Lee");
        var held = sut.Read(after).ShouldNotBeNull();
        held.FirstName.ShouldBe("Anna");
        held.LastName.ShouldBe("Lee");
        held.Consent.ShouldBe(HeldConsent.OptedIn);
    }

    [Fact]
    public async Task DeliverAsync_Unsubscribed_HeldAsOptedOut()
    {
        await using var sut = await StartAsync();
        var customer = Person("C-1", "ann@example.com", "Ann", "Lee", ConsentStatus.Unsubscribed);

        await DeliverAsync(sut, customer);

        sut.Read(customer).ShouldNotBeNull().Consent.ShouldBe(HeldConsent.OptedOut);
    }

    [Fact]
    public async Task DeliverAsync_OptInThenUnsubscribed_HeldAsOptedOut()
    {
        await using var sut = await StartAsync();
        var customer = Person("C-1", "ann@example.com", "Ann", "Lee", ConsentStatus.Subscribed);
        var delivered = sut.Destination.Project(customer).Fields;
        await DeliverAsync(sut, customer);
        var withdrawn = customer with { Consents = Consents(ConsentStatus.Unsubscribed) };
        var projected = sut.Destination.Project(withdrawn).Fields;

        await sut.Destination.DeliverAsync(EntityKind.Customer,
            [new DeliveryItem("C-1", FieldDiff.Changes(projected, delivered), projected)], CancellationToken.None);

        sut.Read(customer).ShouldNotBeNull().Consent.ShouldBe(HeldConsent.OptedOut);
    }

    [Fact]
    public async Task DeliverAsync_UnknownConsent_NeverHeldAsOptedIn()
    {
        await using var sut = await StartAsync();
        var customer = Person("C-1", "ann@example.com", "Ann", "Lee", ConsentStatus.Unknown);

        await DeliverAsync(sut, customer);

        sut.Read(customer).ShouldNotBeNull().Consent.ShouldNotBe(HeldConsent.OptedIn);
    }

    [Fact]
    public async Task Project_InvalidEmail_QuarantinedWithReason()
    {
        await using var sut = await StartAsync();

        var projection = sut.Destination.Project(Person("C-1", "ann.example.com", "Ann", "Lee", ConsentStatus.Subscribed));

        projection.QuarantineReason.ShouldNotBeNullOrWhiteSpace();
        projection.QuarantineReason.ShouldContain("email");
        projection.QuarantineReason.ShouldNotContain("ann.example.com");
    }

    [Fact]
    public async Task DeliverAsync_OneRejected_ItemFailureByKeyAndOthersStored()
    {
        await using var sut = await StartAsync();
        var customers = Enumerable.Range(1, 3).Select(i => Person($"C-{i}", $"c{i}@example.com", $"N{i}", "L", ConsentStatus.Subscribed)).ToList();
        sut.Reject(customers[1]);
        var items = customers.Select(c => Item(sut, c)).ToList();

        var result = await sut.Destination.DeliverAsync(EntityKind.Customer, items, CancellationToken.None);

        var failure = result.Failures.ShouldHaveSingleItem();
        failure.Key.ShouldBe("C-2");
        failure.Value.Kind.ShouldBe(FailureKind.Invalid);
        failure.Value.Message.ShouldNotContain("c2@example.com");
        sut.Read(customers[0]).ShouldNotBeNull();
        sut.Read(customers[2]).ShouldNotBeNull();
        sut.Read(customers[1]).ShouldBeNull();
    }

    [Fact]
    public async Task DeliverAsync_RateLimited_ThrowsRateLimitedWithRetryAfter()
    {
        await using var sut = await StartAsync();
        sut.RateLimitNextCall();

        var ex = await Should.ThrowAsync<PlatformException>(() => DeliverAsync(sut, Person("C-1", "ann@example.com", "Ann", "Lee", ConsentStatus.Subscribed)));

        ex.Kind.ShouldBe(FailureKind.RateLimited);
        ex.RetryAfter.ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
    }

    [Fact]
    public async Task DeliverAsync_ServerError_ThrowsTransient()
    {
        await using var sut = await StartAsync();
        sut.FailNextCall();

        var ex = await Should.ThrowAsync<PlatformException>(() => DeliverAsync(sut, Person("C-1", "ann@example.com", "Ann", "Lee", ConsentStatus.Subscribed)));

        ex.Kind.ShouldBe(FailureKind.Transient);
    }

    [Fact]
    public async Task DeliverAsync_WrongCredentials_ThrowsAuthWithoutTheSecret()
    {
        await using var sut = await StartAsync(wrongCredentials: true);

        var ex = await Should.ThrowAsync<PlatformException>(() => DeliverAsync(sut, Person("C-1", "ann@example.com", "Ann", "Lee", ConsentStatus.Subscribed)));

        ex.Kind.ShouldBe(FailureKind.Auth);
        ex.Message.ShouldNotContain(WrongSecret);
    }

    /// <summary>The wrong secret subclasses configure; it must never show up in a message.</summary>
    protected const string WrongSecret = "not-the-secret-42";

    private static Task<DeliveryResult> DeliverAsync(IDestinationUnderTest sut, Customer customer) =>
        sut.Destination.DeliverAsync(EntityKind.Customer, [Item(sut, customer)], CancellationToken.None);

    // A first delivery, as the engine builds it: everything projected except the values the source does not have.
    private static DeliveryItem Item(IDestinationUnderTest sut, Customer customer)
    {
        var fields = sut.Destination.Project(customer).Fields;
        return new DeliveryItem(customer.Key, FieldDiff.Changes(fields, null), fields);
    }

    private static Customer Person(string id, string email, string first, string last, ConsentStatus consent) => new()
    {
        SourceId = id, Email = email, FirstName = first, LastName = last, Consents = Consents(consent),
    };

    private static Dictionary<string, Consent> Consents(ConsentStatus status) =>
        status == ConsentStatus.Unknown ? [] : new() { [ConsentChannels.Email] = new Consent(status) };
}
