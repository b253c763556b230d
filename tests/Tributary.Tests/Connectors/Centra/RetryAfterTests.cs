using Tributary.Connectors.Centra.Api;

namespace Tributary.Tests.Connectors.Centra;

[Unit]
public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("7", 7)]
    [InlineData("Fri, 01 Mar 2024 10:00:05 GMT", 5)]
    [InlineData("1709287209", 9)]
    [InlineData("Fri, 01 Mar 2024 09:59:00 GMT", 0)]
    public void Parse_EachForm_GivesTheWait(string value, int seconds) =>
        RetryAfter.Parse(value, Now).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    public void Parse_NoUsableValue_IsNull(string? value) => RetryAfter.Parse(value, Now).ShouldBeNull();
}
