using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors.Emarsys;

[Unit]
public class EmarsysDestinationProjectionTests
{
    private static readonly EmarsysDestination Destination = EmarsysDestination.Create(
        new EmarsysClientOptions { User = "u", Secret = "s" }, new EmarsysDestinationOptions(), TimeProvider.System);

    [Theory]
    [InlineData(ConsentStatus.Subscribed, "1")]
    [InlineData(ConsentStatus.Unsubscribed, "2")]
    public void Project_ExplicitEmailConsent_MapsToOptIn(ConsentStatus status, string expected)
    {
        var projection = Destination.Project(Customer() with
        {
            Consents = new Dictionary<string, Consent> { [ConsentChannels.Email] = new(status) },
        });

        projection.Fields["31"].ShouldBe(expected);
    }

    [Fact]
    public void Project_UnknownEmailConsent_OptInFieldLeftOut_NeverWrittenEmpty()
    {
        var projection = Destination.Project(Customer() with
        {
            Consents = new Dictionary<string, Consent> { [ConsentChannels.Email] = Consent.Unknown },
        });

        projection.Fields.ContainsKey("31").ShouldBeFalse("Unknown is never written");
        projection.QuarantineReason.ShouldBeNull();
    }

    [Fact]
    public void Project_NoConsentAndSmsOnlyOptIn_IsNeverOptedIn()
    {
        var projection = Destination.Project(Customer() with
        {
            Consents = new Dictionary<string, Consent> { [ConsentChannels.Sms] = new(ConsentStatus.Subscribed) },
        });

        projection.Fields.ContainsKey("31").ShouldBeFalse("Unknown is never written");
        projection.QuarantineReason.ShouldBeNull();
    }

    [Fact]
    public void Project_InvalidEmail_QuarantinedWithMaskedReason()
    {
        var projection = Destination.Project(Customer() with { Email = "ann.lee@@example" });

        projection.QuarantineReason.ShouldNotBeNull().ShouldContain("invalid email");
        projection.QuarantineReason.ShouldNotContain("ann.lee");
        projection.Fields.ShouldBeEmpty();
    }

    [Fact]
    public void Project_MissingEmail_Quarantined() =>
        Destination.Project(Customer() with { Email = null }).QuarantineReason.ShouldBe("no email address");

    [Fact]
    public void Project_FullCustomer_MapsEveryField()
    {
        var projection = Destination.Project(Customer());

        projection.Fields.ShouldBe(new Dictionary<string, string?>
        {
            ["9001"] = "CT-981",
            ["1"] = "Ann",
            ["2"] = "Lee",
            ["3"] = "ann@example.com",
            ["4"] = "1990-04-02",
            ["15"] = "+4312345",
            // The mobile field (37) is projected, empty: this customer has a phone and no mobile number.
            ["37"] = null,
            ["9002"] = "gold",
        }, ignoreOrder: true);
    }

    [Fact]
    public void Project_MissingSourceValues_AreNull()
    {
        var projection = Destination.Project(new Customer { SourceId = "CT-1", Email = "x@example.com" });

        projection.Fields["1"].ShouldBeNull();
        projection.Fields["4"].ShouldBeNull();
        projection.Fields["15"].ShouldBeNull();
        projection.Fields["9002"].ShouldBeNull();
    }

    [Fact]
    public void Project_NotACustomer_Quarantined() =>
        Destination.Project(new Order { SourceId = "O-1", Currency = "EUR" }).QuarantineReason.ShouldNotBeNull();

    [Fact]
    public void Create_UnknownCanonicalField_Throws() =>
        Should.Throw<ArgumentException>(() => EmarsysDestination.Create(new EmarsysClientOptions { User = "u", Secret = "s" },
            new EmarsysDestinationOptions { Fields = new() { ["shoeSize"] = "7001" } }, TimeProvider.System));

    [Fact]
    public void Limits_BatchSizeAboveCap_IsCappedAt1000()
    {
        var destination = EmarsysDestination.Create(new EmarsysClientOptions { User = "u", Secret = "s" },
            new EmarsysDestinationOptions { MaxBatchSize = 5000, RequestsPerMinute = 800 }, TimeProvider.System);

        destination.Limits.ShouldBe(new DestinationLimits(1000, 800));
        destination.Supports(EntityKind.Customer).ShouldBeTrue();
        destination.Supports(EntityKind.Order).ShouldBeFalse();
    }

    private static Customer Customer() => new()
    {
        SourceId = "CT-981",
        Email = "  Ann@Example.com ",
        FirstName = "Ann",
        LastName = "Lee",
        DateOfBirth = new DateOnly(1990, 4, 2),
        Phone = "+4312345",
        Attributes = new Dictionary<string, string?> { ["loyaltyTier"] = "gold" },
    };
}
