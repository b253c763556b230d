using System.Net;
using System.Net.Http.Headers;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;

namespace Tributary.Tests.Connectors.Emarsys;

[Unit]
public class EmarsysErrorsTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(401, 1, FailureKind.Auth)]
    [InlineData(403, null, FailureKind.Config)]
    [InlineData(429, null, FailureKind.RateLimited)]
    [InlineData(429, 2011, FailureKind.RateLimited)]
    [InlineData(500, 2011, FailureKind.Transient)]
    [InlineData(503, null, FailureKind.Transient)]
    [InlineData(400, 2011, FailureKind.Transient)]
    [InlineData(400, 1000, FailureKind.Invalid)]
    [InlineData(400, 2004, FailureKind.Config)]
    [InlineData(404, 2008, FailureKind.NotFound)]
    [InlineData(404, null, FailureKind.Config)]
    [InlineData(404, 404, FailureKind.Config)]
    [InlineData(400, 5001, FailureKind.Config)]
    public void ForCall_StatusAndReplyCode_MapsToKind(int status, int? replyCode, FailureKind expected) =>
        EmarsysErrors.ForCall(status, replyCode).ShouldBe(expected);

    [Theory]
    [InlineData("2004", FailureKind.Invalid)]
    [InlineData("2005", FailureKind.Invalid)]
    [InlineData("2007", FailureKind.Invalid)]
    [InlineData("2010", FailureKind.Invalid)]
    [InlineData("2008", FailureKind.NotFound)]
    [InlineData("2011", FailureKind.Transient)]
    public void ForItem_Code_MapsToKind(string code, FailureKind expected) => EmarsysErrors.ForItem(code).ShouldBe(expected);

    [Fact]
    public void RateLimitWait_RetryAfterPresent_WinsOverReset()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        response.Headers.TryAddWithoutValidation("X-Ratelimit-Reset", Now.AddSeconds(40).ToUnixTimeSeconds().ToString());

        EmarsysErrors.RateLimitWait(response, Now).ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void RateLimitWait_OnlyResetEpoch_WaitsUntilReset()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", Now.AddSeconds(40).ToUnixTimeSeconds().ToString());

        EmarsysErrors.RateLimitWait(response, Now).ShouldBe(TimeSpan.FromSeconds(40));
    }

    [Fact]
    public void RateLimitWait_NoHeaders_WaitsSixtySeconds()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        EmarsysErrors.RateLimitWait(response, Now).ShouldBe(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void MaskPersonalData_EmailInMessage_IsMasked() =>
        EmarsysErrors.MaskPersonalData("No contact found with the external id: 3 - bob@example.com")
            .ShouldBe("No contact found with the external id: 3 - b***@example.com");
}
