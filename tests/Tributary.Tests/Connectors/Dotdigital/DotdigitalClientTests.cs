using Tributary.Connectors.Dotdigital;
using Tributary.Core.Contracts;

namespace Tributary.Tests.Connectors.Dotdigital;

[Connector]
public class DotdigitalClientTests
{
    [Fact]
    public async Task GetApiEndpointAsync_FromBootstrap_DiscoversTheAccountRegion()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(e => e.Region = "r3");

        var endpoint = await f.Client.GetApiEndpointAsync(CancellationToken.None);
        var fields = await f.Client.GetDataFieldsAsync(CancellationToken.None);

        endpoint.ToString().ShouldBe(new Uri(f.Server.DotdigitalUrl + "/r3/").ToString());
        fields.ShouldContain(d => d.Name == "FIRSTNAME");
    }

    [Fact]
    public async Task SendAsync_FixedEndpointInWrongRegion_ThrowsAuth()
    {
        // Calling the bootstrap host (r1) for an r2 account fails: the endpoint must be discovered, never assumed.
        await using var f = await DotdigitalConnectorFixture.StartAsync(client: o => o.ApiEndpoint = o.BootstrapUrl);

        var ex = await Should.ThrowAsync<DotdigitalException>(() => f.Client.GetDataFieldsAsync(CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.Auth);
        ex.StatusCode.ShouldBe(401);
    }

    [Fact]
    public async Task SendAsync_TierLimitReached_RateLimitedWithResetAsRetryAfter()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(e => e.HighTierPerMinute = 2);
        await f.Client.GetDataFieldsAsync(CancellationToken.None); // discovery and this call spend the 2 high-tier calls
        f.Clock.Advance(TimeSpan.FromSeconds(15));

        var ex = await Should.ThrowAsync<DotdigitalException>(() => f.Client.GetDataFieldsAsync(CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.RateLimited);
        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(45));
        f.Client.LastRateLimit.ShouldNotBeNull().Scope.ShouldBe("highCallRate");
        f.Client.LastRateLimit!.Remaining.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_ResetSentAsEpoch_ReadsItAsATime()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(e => { e.HighTierPerMinute = 1; e.ResetAsEpoch = true; });
        await f.Client.GetApiEndpointAsync(CancellationToken.None); // discovery spends the one high-tier call of this minute
        f.Clock.Advance(TimeSpan.FromSeconds(20));

        var ex = await Should.ThrowAsync<DotdigitalException>(() => f.Client.GetDataFieldsAsync(CancellationToken.None));

        ex.Kind.ShouldBe(FailureKind.RateLimited);
        ex.RetryAfter.ShouldBe(TimeSpan.FromSeconds(40));
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(1777629630, 30)] // 2026-05-01T10:00:30Z as an epoch second
    public void ResetTime_SecondsOrEpoch_SameMoment(long header, int secondsFromNow)
    {
        var now = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

        DotdigitalErrors.ResetTime(header, now).ShouldBe(now.AddSeconds(secondsFromNow));
    }

    [Theory]
    [InlineData(400, "ERROR_ENROLMENT_ALLOWANCE_EXCEEDED", FailureKind.RateLimited)]
    [InlineData(429, "contacts:tooManyActiveImports", FailureKind.RateLimited)]
    [InlineData(422, "ERROR_PROGRAM_NOT_ACTIVE", FailureKind.Config)]
    [InlineData(404, "ERROR_PROGRAM_NOT_FOUND", FailureKind.Config)]
    [InlineData(404, "insightData:contactNotFound", FailureKind.NotFound)]
    [InlineData(409, "contacts:idAlreadyExists", FailureKind.Invalid)]
    [InlineData(401, null, FailureKind.Auth)]
    [InlineData(403, null, FailureKind.Config)]
    [InlineData(503, null, FailureKind.Transient)]
    [InlineData(400, "contacts:badJson", FailureKind.Invalid)]
    public void ForCall_StatusAndCode_Kind(int status, string? code, FailureKind expected) =>
        DotdigitalErrors.ForCall(status, code).ShouldBe(expected);

    [Fact]
    public void V2Code_MessageWithToken_ReadsTheToken() =>
        DotdigitalErrors.V2Code("Error: ERROR_PROGRAM_NOT_ACTIVE").ShouldBe("ERROR_PROGRAM_NOT_ACTIVE");

    [Fact]
    public async Task ImportContactsAsync_PartialFailures_ReportedAfterPolling()
    {
        await using var f = await DotdigitalConnectorFixture.StartAsync(e => e.ImportPollsBeforeFinished = 3);
        var writes = new[] { "a@example.com", "not an email", "b@example.com", "a@example.com" }
            .Select(e => new DotdigitalContactWrite("email", new Dictionary<string, string> { ["email"] = e },
                new Dictionary<string, string?> { ["FIRSTNAME"] = "X" }))
            .ToList();

        var import = await f.Client.ImportContactsAsync(writes, DotdigitalMergeOption.Overwrite, CancellationToken.None);

        import.Status.ShouldBe("Finished");
        import.CreatedContacts.Count.ShouldBe(2);
        import.Failures.Select(x => x.Failures[0].FailureCode).OrderBy(c => c).ShouldBe(["duplicateIdentifier", "invalidEmail"]);
        f.Emulator.Contacts.Count.ShouldBe(2);
    }
}
