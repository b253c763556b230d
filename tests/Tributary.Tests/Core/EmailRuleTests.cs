using Tributary.Core.Rules;

namespace Tributary.Tests.Core;

[Unit]
public class EmailRuleTests
{
    [Theory]
    [InlineData("  Ann.Lee@Example.COM ", "ann.lee@example.com")]
    [InlineData("o'brien+shop@mail.example.co.uk", "o'brien+shop@mail.example.co.uk")]
    public void TryNormalize_ValidAddress_TrimsAndLowersCase(string raw, string expected)
    {
        EmailRule.TryNormalize(raw, out var normalized, out var reason).ShouldBeTrue();
        normalized.ShouldBe(expected);
        reason.ShouldBeNull();
    }

    [Theory]
    [InlineData(null, "no email address")]
    [InlineData("   ", "no email address")]
    [InlineData("ann.example.com", "no @")]
    [InlineData("ann@@example.com", "more than one @")]
    [InlineData("ann lee@example.com", "contains a space")]
    [InlineData("ann@example.com.", "incomplete")]
    [InlineData("ann@localhost", "incomplete")]
    [InlineData("ann..lee@example.com", "two dots")]
    public void TryNormalize_InvalidAddress_GivesAReasonWithoutTheFullAddress(string? raw, string expected)
    {
        EmailRule.TryNormalize(raw, out _, out var reason).ShouldBeFalse();
        reason.ShouldNotBeNull().ShouldContain(expected);
        if (raw is { Length: > 5 })
        {
            reason.ShouldNotContain(raw.Trim(), Case.Insensitive);
        }
    }
}

[Unit]
public class ConsentRuleTests
{
    [Theory]
    [InlineData("true", Tributary.Core.Model.ConsentStatus.Subscribed)]
    [InlineData("Yes", Tributary.Core.Model.ConsentStatus.Subscribed)]
    [InlineData("false", Tributary.Core.Model.ConsentStatus.Unsubscribed)]
    [InlineData("opt-out", Tributary.Core.Model.ConsentStatus.Unsubscribed)]
    [InlineData(null, Tributary.Core.Model.ConsentStatus.Unknown)]
    [InlineData("", Tributary.Core.Model.ConsentStatus.Unknown)]
    [InlineData("maybe", Tributary.Core.Model.ConsentStatus.Unknown)]
    public void FromSourceValue_MapsExplicitAnswersOnly(string? value, Tributary.Core.Model.ConsentStatus expected) =>
        ConsentRule.FromSourceValue(value).ShouldBe(expected);
}

[Unit]
public class MaskingTests
{
    [Fact]
    public void Email_KeepsFirstLetterAndDomain() => Masking.Email("ann.lee@example.com").ShouldBe("a***@example.com");
}
