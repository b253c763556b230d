using Tributary.Connectors.Emarsys;

namespace Tributary.Tests.Connectors.Emarsys;

[Unit]
public class EmarsysWsseTests
{
    [Fact]
    public void Digest_PublishedTestVector_MatchesHexThenBase64Form()
    {
        var digest = EmarsysWsse.Digest("d36e316282959a9ed4c89851497a717f", "2014-03-20T12:51:45Z", "customersecret");

        digest.ShouldBe("YWQyNWE5Y2JkOTY2ZTU1ODg2M2QzNzVhNDZlZGQwZjg5YjZlZTk4Yw==");
        digest.Length.ShouldBe(56);
    }

    [Fact]
    public void FormatCreated_OffsetTime_IsUtcWithZ()
    {
        var created = EmarsysWsse.FormatCreated(new DateTimeOffset(2014, 3, 20, 13, 51, 45, 500, TimeSpan.FromHours(1)));

        created.ShouldBe("2014-03-20T12:51:45Z");
    }

    [Fact]
    public void NewNonce_TwoCalls_AreDistinct32HexChars()
    {
        var a = EmarsysWsse.NewNonce();
        var b = EmarsysWsse.NewNonce();

        a.Length.ShouldBe(32);
        a.ShouldMatch("^[0-9a-f]{32}$");
        a.ShouldNotBe(b);
    }

    [Fact]
    public void HeaderValue_CarriesAllFourParameters()
    {
        var header = EmarsysWsse.HeaderValue("user1", "customersecret", "d36e316282959a9ed4c89851497a717f", "2014-03-20T12:51:45Z");

        header.ShouldBe("UsernameToken Username=\"user1\", PasswordDigest=\"YWQyNWE5Y2JkOTY2ZTU1ODg2M2QzNzVhNDZlZGQwZjg5YjZlZTk4Yw==\", "
            + "Nonce=\"d36e316282959a9ed4c89851497a717f\", Created=\"2014-03-20T12:51:45Z\"");
    }
}
