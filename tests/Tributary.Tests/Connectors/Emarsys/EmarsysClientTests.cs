using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Sandbox.Emarsys;

namespace Tributary.Tests.Connectors.Emarsys;

[Connector]
public class EmarsysClientTests
{
    [Fact]
    public async Task UpsertContactsAsync_CreateThenUpdate_GetDataShowsLatestValues()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        var numbers = new HashSet<string> { "31" };

        var created = await f.Client.UpsertContactsAsync("9001",
            [new("C1", new Dictionary<string, string?> { ["1"] = "Ann", ["3"] = "ann@example.com", ["31"] = "1" }, numbers)],
            createIfNotExists: true, CancellationToken.None);
        var updated = await f.Client.UpsertContactsAsync("9001",
            [new("C1", new Dictionary<string, string?> { ["1"] = "Anna", ["31"] = "2" }, numbers)],
            createIfNotExists: true, CancellationToken.None);
        var read = await f.Client.GetContactsAsync("9001", ["C1", "C404"], ["1", "3", "31"], CancellationToken.None);

        created.Errors.ShouldBeEmpty();
        updated.Ids.ShouldBe(created.Ids);
        var contact = read.Contacts.ShouldHaveSingleItem();
        contact["1"].ShouldBe("Anna");
        contact["3"].ShouldBe("ann@example.com");
        contact["31"].ShouldBe("2");
        contact["id"].ShouldBe(created.Ids[0]);
        read.Errors.ShouldHaveSingleItem().Key.ShouldBe("C404");
        f.Emulator.Contacts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task UpsertContactsAsync_WithoutCreate_UnknownContactIsPerKeyError()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();

        var result = await f.Client.UpsertContactsAsync("9001", [new("C1", new Dictionary<string, string?> { ["1"] = "Ann" })],
            createIfNotExists: false, CancellationToken.None);

        result.Errors["C1"].ShouldHaveSingleItem().Code.ShouldBe("2008");
        result.Ids.ShouldBeEmpty();
    }

    [Fact]
    public async Task DeleteContactsAsync_FoundAndMissing_DeletesAndReportsMissing()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        await f.Client.UpsertContactsAsync("9001", [new("C1", new Dictionary<string, string?>()), new("C2", new Dictionary<string, string?>())],
            createIfNotExists: true, CancellationToken.None);

        var errors = await f.Client.DeleteContactsAsync("9001", ["C1", "C9"], CancellationToken.None);

        errors.Keys.ShouldBe(["C9"]);
        f.Emulator.FindByField("9001", "C1").ShouldBeNull();
        f.Emulator.FindByField("9001", "C2").ShouldNotBeNull();
    }

    [Fact]
    public async Task SendAsync_RateLimited_ThrowsRateLimitedWithRetryAfterFromReset()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        f.Emulator.Faults.Options.RetryAfterSeconds = 30;
        f.Emulator.Faults.RateLimitNext(1);

        var ex = await Should.ThrowAsync<EmarsysException>(() => f.Client.GetFieldsAsync(CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.RateLimited);
        ex.StatusCode.ShouldBe(429);
        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(30));
        f.Client.LastRateLimit.ShouldNotBeNull().Remaining.ShouldBe(0);
    }

    [Theory]
    [InlineData(EmarsysRateLimitAnswer.JsonEnvelope)]
    [InlineData(EmarsysRateLimitAnswer.PlainText)]
    public async Task SendAsync_LimiterExhausted_ThrowsRateLimitedAndExposesHeaders(EmarsysRateLimitAnswer answer)
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(o =>
        {
            o.RequestsPerMinute = 1;
            o.RateLimitAnswer = answer;
        });

        await f.Client.GetSettingsAsync(CancellationToken.None);
        var ex = await Should.ThrowAsync<EmarsysException>(() => f.Client.GetSettingsAsync(CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.RateLimited);
        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(60));
        var rate = f.Client.LastRateLimit.ShouldNotBeNull();
        rate.Limit.ShouldBe(1);
        rate.ResetAt.ShouldBe(f.Clock.GetUtcNow().AddSeconds(60));
    }

    [Fact]
    public async Task SendAsync_ServerError_ThrowsTransientWithReplyCode()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        f.Emulator.Faults.FailNext(1);

        var ex = await Should.ThrowAsync<EmarsysException>(() => f.Client.GetSettingsAsync(CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Transient);
        ex.StatusCode.ShouldBe(500);
        ex.ReplyCode.ShouldBe(2011);
        ex.Platform.ShouldBe("emarsys");
    }

    [Fact]
    public async Task SendAsync_WrongSecret_ThrowsAuthWithoutTheSecret()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(client: o => o.Secret = "wrong-secret-value");

        var ex = await Should.ThrowAsync<EmarsysException>(() => f.Client.GetSettingsAsync(CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Auth);
        ex.StatusCode.ShouldBe(401);
        ex.Message.ShouldNotContain("wrong-secret-value");
    }

    [Fact]
    public async Task SendAsync_ClockMoreThanFiveMinutesOff_ThrowsAuth()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        f.Emulator.Options.MaxClockSkew = TimeSpan.FromSeconds(300);
        var skewed = new TestClock(f.Clock.GetUtcNow().AddMinutes(-6));
        var options = new EmarsysClientOptions { ApiUrl = f.Server.EmarsysUrl, User = f.Emulator.Options.User, Secret = f.Emulator.Options.Secret };
        using var http = EmarsysClient.CreateHttpClient(options, skewed);
        var client = new EmarsysClient(http, options, skewed);

        var ex = await Should.ThrowAsync<EmarsysException>(() => client.GetSettingsAsync(CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Auth);
        ex.Message.ShouldContain("Time frame is invalid");
    }

    [Fact]
    public async Task SendAsync_JsonServedAsTextHtml_IsParsed()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(o => o.JsonContentType = "text/html; charset=utf-8");

        var fields = await f.Client.GetFieldsAsync(CancellationToken.None);

        fields.ShouldContain(x => x.Id == 9001 && x.Name == "external_id");
    }

    [Fact]
    public async Task SendAsync_NoAnswerWithinTimeout_ThrowsTransient()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync(client: o => o.RequestTimeout = TimeSpan.FromMilliseconds(200));
        f.Emulator.Faults.Options.TimeoutDelay = TimeSpan.FromSeconds(20);
        f.Emulator.Faults.Options.TimeoutRate = 1;

        var ex = await Should.ThrowAsync<EmarsysException>(() => f.Client.GetSettingsAsync(CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Transient);
        ex.StatusCode.ShouldBeNull();
    }

    [Fact]
    public async Task SendAsync_NothingListening_ThrowsTransient()
    {
        await using var f = await EmarsysConnectorFixture.StartAsync();
        var url = f.Server.EmarsysUrl;
        await f.Server.DisposeAsync();
        var options = new EmarsysClientOptions { ApiUrl = url, User = "u", Secret = "s" };
        using var http = EmarsysClient.CreateHttpClient(options, TimeProvider.System);

        var ex = await Should.ThrowAsync<EmarsysException>(() => new EmarsysClient(http, options, TimeProvider.System).GetSettingsAsync(CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Transient);
    }
}
