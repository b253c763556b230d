using System.Text;
using Tributary.Connectors.Centra;
using Tributary.Core.Model;
using Tributary.Sandbox.Centra;
using Tributary.Tests.Sandbox.Commercetools;

namespace Tributary.Tests.Connectors.Centra;

[Unit]
public sealed class CentraWebhookVerifierTests
{
    private const string Secret = "endpoint-secret";
    private static readonly DateTimeOffset Now = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static CentraWebhookVerifier Verifier(TimeProvider time) => new(new CentraWebhookOptions { Secret = Secret }, time);

    private static CentraSignedWebhook Signed(DateTimeOffset at, string? payload = null) => CentraEmulator.SignWebhook(
        payload ?? """{"events":[{"type":"order","action":"update","date":"2024-03-01 10:00:00.000000","id":2735},{"type":"shipment","action":"good_to_go","date":"2024-03-01 10:00:00.000000","id":1902},{"type":"customer","action":"insert","date":"2024-03-01 10:00:00.000000","id":"17"}]}""",
        Secret, at);

    [Fact]
    public void ComputeSignature_DocumentedTestVector_Matches() =>
        CentraWebhookVerifier.ComputeSignature("test123", 12345678, "payload=%7B%22x%22%3A%22test%22%7D"u8)
            .ShouldBe("0b9cd84f5d583e5e1aadfb9f160aa8080b51d5b85ff85808d6b75bdac356c549");

    [Fact]
    public void SignWebhook_DocumentedTestVector_ProducesTheDocumentedHeader()
    {
        var signed = CentraEmulator.SignWebhook("""{"x":"test"}""", "test123", DateTimeOffset.FromUnixTimeSeconds(12345678));

        signed.Body.ShouldBe("payload=%7B%22x%22%3A%22test%22%7D");
        signed.Headers["X-Centra-Signature"].ShouldBe("t=12345678,v1=0b9cd84f5d583e5e1aadfb9f160aa8080b51d5b85ff85808d6b75bdac356c549");
    }

    [Fact]
    public void Verify_SignedRecently_IsValidWithTheHints()
    {
        var signed = Signed(Now.AddSeconds(-30));

        var result = Verifier(new TestClock(Now)).Verify(signed.Headers["X-Centra-Signature"], signed.Body);

        result.Status.ShouldBe(CentraWebhookStatus.Valid);
        result.Hints.ShouldBe([
            new CentraWebhookHint("order", "update", "2735", EntityKind.Order),
            new CentraWebhookHint("shipment", "good_to_go", "1902", null),
            new CentraWebhookHint("customer", "insert", "17", EntityKind.Customer),
        ]);
    }

    [Fact]
    public void Verify_SignedWithAnotherSecret_IsBadSignature()
    {
        var forged = CentraEmulator.SignWebhook("""{"events":[]}""", "guessed-secret", Now);

        var result = Verifier(new TestClock(Now)).Verify(forged.Headers["X-Centra-Signature"], forged.Body);

        result.Status.ShouldBe(CentraWebhookStatus.BadSignature);
        result.Hints.ShouldBeEmpty();
        result.Reason!.ShouldNotContain(Secret);
    }

    [Fact]
    public void Verify_BodyAlteredAfterSigning_IsBadSignature()
    {
        var signed = Signed(Now);

        var result = Verifier(new TestClock(Now)).Verify(signed.Headers["X-Centra-Signature"], signed.Body.Replace("2735", "2736", StringComparison.Ordinal));

        result.Status.ShouldBe(CentraWebhookStatus.BadSignature);
    }

    [Fact]
    public void Verify_TimestampChangedToLookFresh_IsBadSignature()
    {
        var signed = Signed(Now.AddHours(-1));
        var header = signed.Headers["X-Centra-Signature"];
        var replayed = $"t={Now.ToUnixTimeSeconds()}{header[header.IndexOf(',', StringComparison.Ordinal)..]}";

        Verifier(new TestClock(Now)).Verify(replayed, signed.Body).Status.ShouldBe(CentraWebhookStatus.BadSignature);
    }

    [Fact]
    public void Verify_OlderThanTheWindow_IsStale()
    {
        var signed = Signed(Now);
        var time = new TestClock(Now);
        var verifier = Verifier(time);
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        verifier.Verify(signed.Headers["X-Centra-Signature"], signed.Body).Status.ShouldBe(CentraWebhookStatus.Stale);
    }

    [Theory]
    [InlineData(99999999999999L)]
    [InlineData(long.MaxValue)]
    public void Verify_CorrectlySignedWithATimestampBeyondTheCalendar_IsStale(long t)
    {
        var body = Signed(Now).Body;
        var header = $"t={t},v1={CentraWebhookVerifier.ComputeSignature(Secret, t, Encoding.UTF8.GetBytes(body))}";

        var result = Verifier(new TestClock(Now)).Verify(header, body);

        result.Status.ShouldBe(CentraWebhookStatus.Stale);
        result.Reason.ShouldNotBeNull().ShouldContain("outside the 300 s window");
    }

    [Fact]
    public void Verify_InsideTheWindow_IsValid()
    {
        var signed = Signed(Now);
        var time = new TestClock(Now);
        var verifier = Verifier(time);
        time.Advance(TimeSpan.FromMinutes(4));

        verifier.Verify(signed.Headers["X-Centra-Signature"], signed.Body).Status.ShouldBe(CentraWebhookStatus.Valid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=abc")]
    [InlineData("t=12345678")]
    public void Verify_NoUsableHeader_IsMissingSignature(string? header) =>
        Verifier(new TestClock(Now)).Verify(header, Signed(Now).Body).Status.ShouldBe(CentraWebhookStatus.MissingSignature);

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"products":["52"]}""")]
    [InlineData("""{"events":[{"action":"update"}]}""")]
    public void Verify_SignedButNotAnEventsPayload_IsMalformed(string payload)
    {
        var signed = Signed(Now, payload);

        Verifier(new TestClock(Now)).Verify(signed.Headers["X-Centra-Signature"], Encoding.UTF8.GetBytes(signed.Body))
            .Status.ShouldBe(CentraWebhookStatus.Malformed);
    }

    [Fact]
    public void Verify_BodyWithoutPayloadField_IsMalformed()
    {
        const string body = "data=%7B%7D";
        var t = Now.ToUnixTimeSeconds();
        var header = $"t={t},v1={CentraWebhookVerifier.ComputeSignature(Secret, t, Encoding.UTF8.GetBytes(body))}";

        Verifier(new TestClock(Now)).Verify(header, body).Status.ShouldBe(CentraWebhookStatus.Malformed);
    }
}
