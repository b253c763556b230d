using System.Net;
using Tributary.Connectors.Dotdigital;

namespace Tributary.Tests.Connectors.Dotdigital;

[Unit]
public class DotdigitalCallBudgetTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("PUT", "https://r2-api.dotdigital.com/contacts/v3/import", DotdigitalCallTier.Low)]
    [InlineData("PUT", "http://127.0.0.1:5080/dotdigital/r2/insightData/v3/import", DotdigitalCallTier.Low)]
    [InlineData("GET", "https://r2-api.dotdigital.com/contacts/v3/import/abc", DotdigitalCallTier.Unlimited)]
    [InlineData("GET", "https://r2-api.dotdigital.com/insightData/v3/import/abc", DotdigitalCallTier.Unlimited)]
    [InlineData("PATCH", "https://r2-api.dotdigital.com/contacts/v3/email/a%40b.c?merge-option=overwrite", DotdigitalCallTier.Medium)]
    [InlineData("PUT", "https://r2-api.dotdigital.com/insightData/v3/account/Catalog_Default/SKU-1", DotdigitalCallTier.Medium)]
    [InlineData("POST", "https://r2-api.dotdigital.com/v2/programs/enrolments", DotdigitalCallTier.Medium)]
    [InlineData("GET", "https://r1-api.dotdigital.com/v2/account-info", DotdigitalCallTier.High)]
    [InlineData("GET", "https://r2-api.dotdigital.com/contacts/v3/email/a%40b.c", DotdigitalCallTier.High)]
    public void TierOf_MethodAndPath_TheTierDotdigitalCountsItIn(string method, string url, DotdigitalCallTier expected) =>
        DotdigitalCallBudget.TierOf(new HttpMethod(method), new Uri(url)).ShouldBe(expected);

    [Fact]
    public async Task SendAsync_ImportWithPolls_EveryRequestCountedInItsTier()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var budget = DotdigitalCallBudget.Unpaced(new TestClock(Start));
        using var http = Client(budget, stub);

        await SendAsync(http, HttpMethod.Put, "contacts/v3/import");
        await SendAsync(http, HttpMethod.Get, "contacts/v3/import/1");
        await SendAsync(http, HttpMethod.Get, "contacts/v3/import/1");
        await SendAsync(http, new HttpMethod("PATCH"), "contacts/v3/email/a@b.c");

        budget.Calls.ShouldBe(4);
        budget.Usage(DotdigitalCallTier.Low).Calls.ShouldBe(1);
        budget.Usage(DotdigitalCallTier.Unlimited).Calls.ShouldBe(2);
        budget.Usage(DotdigitalCallTier.Medium).Calls.ShouldBe(1);
        stub.Requests.ShouldBe(4);
    }

    [Fact]
    public async Task SendAsync_RemainingSpent_NextCallOfTheTierWaitsInsteadOfMeetingA429()
    {
        var stub = new StubHandler(request => request.Method == HttpMethod.Get
            ? new HttpResponseMessage(HttpStatusCode.OK)
            : Answer(HttpStatusCode.Accepted, limit: 35, remaining: 0, resetSeconds: 30, "lowCallRate"));
        var budget = new DotdigitalCallBudget(35, null, null, new TestClock(Start));
        using var http = Client(budget, stub);
        await SendAsync(http, HttpMethod.Put, "contacts/v3/import");
        using var cancel = new CancellationTokenSource();

        var next = SendAsync(http, HttpMethod.Put, "contacts/v3/import", cancel.Token);
        var poll = SendAsync(http, HttpMethod.Get, "contacts/v3/import/1");
        await poll;

        next.IsCompleted.ShouldBeFalse();
        stub.Requests.ShouldBe(2); // the import and the (unlimited) poll; the second import is held
        budget.Usage(DotdigitalCallTier.Low).Pauses.ShouldBe(1);
        await cancel.CancelAsync();
        (await Should.ThrowAsync<Exception>(() => next)).ShouldBeAssignableTo<OperationCanceledException>();
        budget.RateLimited.ShouldBe(0);
    }

    [Fact]
    public async Task SendAsync_429_CountedAndTheTierPausedUntilRetryAfter()
    {
        var stub = new StubHandler(_ =>
        {
            var answer = Answer(HttpStatusCode.TooManyRequests, limit: 150, remaining: 0, resetSeconds: 50, "mediumCallRate");
            answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(20));
            return answer;
        });
        var budget = new DotdigitalCallBudget(0, null, null, new TestClock(Start));
        using var http = Client(budget, stub);

        (await SendAsync(http, new HttpMethod("PATCH"), "contacts/v3/email/a@b.c")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        using var cancel = new CancellationTokenSource();
        var next = SendAsync(http, new HttpMethod("PATCH"), "contacts/v3/email/a@b.c", cancel.Token);

        budget.Usage(DotdigitalCallTier.Medium).RateLimited.ShouldBe(1);
        next.IsCompleted.ShouldBeFalse();
        await cancel.CancelAsync();
        (await Should.ThrowAsync<Exception>(() => next)).ShouldBeAssignableTo<OperationCanceledException>();
        stub.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task SendAsync_LimitHeader_TierLearnsTheLimitTheAccountReports()
    {
        var stub = new StubHandler(_ => Answer(HttpStatusCode.OK, limit: 150, remaining: 149, resetSeconds: 60, "mediumCallRate"));
        var budget = new DotdigitalCallBudget(35, null, null, new TestClock(Start));
        using var http = Client(budget, stub);

        await SendAsync(http, new HttpMethod("PATCH"), "contacts/v3/email/a@b.c");

        budget.Usage(DotdigitalCallTier.Medium).PerMinute.ShouldBe(150);
        budget.Usage(DotdigitalCallTier.Low).PerMinute.ShouldBe(35);
    }

    [Fact]
    public async Task SendAsync_HeadersIgnoredWhenNotAdapting_LimitStaysConfigured()
    {
        var stub = new StubHandler(_ => Answer(HttpStatusCode.OK, limit: 150, remaining: 0, resetSeconds: 60, "lowCallRate"));
        var budget = new DotdigitalCallBudget(35, null, null, new TestClock(Start), adaptToHeaders: false);
        using var http = Client(budget, stub);

        await SendAsync(http, HttpMethod.Put, "contacts/v3/import");

        budget.Usage(DotdigitalCallTier.Low).PerMinute.ShouldBe(35);
        budget.Usage(DotdigitalCallTier.Low).Pauses.ShouldBe(0);
    }

    private static HttpClient Client(DotdigitalCallBudget budget, HttpMessageHandler inner) =>
        new(new DotdigitalRateLimitHandler(budget) { InnerHandler = inner }) { BaseAddress = new Uri("https://r2-api.dotdigital.com/") };

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, CancellationToken cancellationToken = default) =>
        http.SendAsync(new HttpRequestMessage(method, path), cancellationToken);

    private static HttpResponseMessage Answer(HttpStatusCode status, int limit, int remaining, int resetSeconds, string scope)
    {
        var answer = new HttpResponseMessage(status);
        answer.Headers.Add("X-RateLimit-Limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        answer.Headers.Add("X-RateLimit-Remaining", remaining.ToString(System.Globalization.CultureInfo.InvariantCulture));
        answer.Headers.Add("X-RateLimit-Reset", resetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        answer.Headers.Add("X-RateLimit-Scope", scope);
        return answer;
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return Task.FromResult(answer(request));
        }
    }
}
