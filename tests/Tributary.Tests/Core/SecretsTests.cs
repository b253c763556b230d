using Tributary.Core.Rules;

namespace Tributary.Tests.Core;

[Unit]
public sealed class SecretsTests
{
    [Theory]
    [InlineData("a-long-dashboard-token", "a-long-dashboard-token", true)]
    [InlineData("a-long-dashboard-tokeN", "a-long-dashboard-token", false)]
    [InlineData("a-long", "a-long-dashboard-token", false)]
    [InlineData("a-long-dashboard-token-and-more", "a-long-dashboard-token", false)]
    [InlineData("", "a-long-dashboard-token", false)]
    [InlineData("", "", true)]
    public void Same_GivenAndExpected_EqualOnlyWhenIdentical(string given, string expected, bool same) =>
        Secrets.Same(given, expected).ShouldBe(same);

    [Fact]
    public void Same_NothingGivenOrNothingConfigured_NeverEqual()
    {
        Secrets.Same(null, "token-token-token").ShouldBeFalse();
        Secrets.Same("token-token-token", null).ShouldBeFalse();
    }
}
