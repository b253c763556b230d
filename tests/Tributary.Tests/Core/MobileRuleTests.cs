using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Tests.Core;

[Unit]
public sealed class MobileRuleTests
{
    [Theory]
    [InlineData("0151 23456789", "DE", "+4915123456789")]
    [InlineData("+49 151 23456789", null, "+4915123456789")]
    [InlineData("0049 151 23456789", null, "+4915123456789")]
    [InlineData("07911 123456", "GB", "+447911123456")]
    [InlineData("070-1234567", "SE", "+46701234567")]
    [InlineData("(415) 234-5678", "US", "+14152345678")]
    public void TryNormalize_ValidMobile_GivesE164(string raw, string? region, string expected)
    {
        MobileRule.TryNormalize(raw, region, out var e164, out var reason).ShouldBeTrue(reason);
        e164.ShouldBe(expected);
    }

    [Theory]
    [InlineData("0151 23", "DE", "not a valid phone number")]
    [InlineData("0151 23456789", null, "no default region")]
    [InlineData("030 1234567", "DE", "not a mobile number")]
    [InlineData("abc", "DE", "not a phone number")]
    public void TryNormalize_Unusable_RefusedWithTheReason_WithoutTheNumber(string raw, string? region, string expected)
    {
        MobileRule.TryNormalize(raw, region, out _, out var reason).ShouldBeFalse();
        reason.ShouldNotBeNull().ShouldContain(expected);
        reason.ShouldNotContain(raw.Replace(" ", string.Empty, StringComparison.Ordinal)[..3] + "1234");
    }

    [Fact]
    public void Regions_AddressCountryFirst_ThenTheStore_ThenTheDefault()
    {
        var regions = new MobileRegions { DefaultRegion = "SE", ByStore = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["uk"] = "GB" } };

        regions.For(new Customer { SourceId = "1", Country = "DE", Store = "uk" }).ShouldBe("DE");
        regions.For(new Customer { SourceId = "2", Store = "UK" }).ShouldBe("GB");
        regions.For(new Customer { SourceId = "3", Store = "us" }).ShouldBe("SE");
    }

    [Fact]
    public void TryNormalize_CustomerWithoutMobile_NoReason()
    {
        MobileRule.TryNormalize(new Customer { SourceId = "1" }, new MobileRegions(), out _, out var reason).ShouldBeFalse();
        reason.ShouldBeNull("no number is not a problem to report");
    }
}
