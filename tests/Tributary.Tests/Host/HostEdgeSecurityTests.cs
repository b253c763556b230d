using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Budgets;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Host.Server.Dashboard;
using Tributary.Storage.Sqlite;
using Tributary.Tests.Engine;

namespace Tributary.Tests.Host;

/// <summary>The edges of the HTTP side: security headers on every answer, throttled failed sign-ins, /metrics behind the dashboard's credentials.</summary>
[EndToEnd]
public sealed class HostEdgeSecurityTests : IAsyncLifetime
{
    private const string Token = "edge-test-token-0123456789";
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-edges-").FullName;
    private SqliteSyncStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<HostServer> StartAsync(bool metricsAuth = false)
    {
        var source = new FakeSource();
        var destinations = new[] { new DestinationBinding(new FakeDestination(), new RateBudget("fake", null, TimeProvider.System)) };
        var name = $"edges-{Guid.NewGuid():N}";
        var config = new TributaryConfig
        {
            FilePath = Path.Combine(_dir, "tributary.yaml"), PipelineName = name, StatePath = Path.Combine(_dir, "state.db"),
            Dashboard = new DashboardConfig { Token = Token }, MetricsAuth = metricsAuth,
        };
        var pipeline = new SyncPipeline(source, destinations, _store, new PipelineOptions { Name = name }, TimeProvider.System, NullLogger.Instance);
        var runtime = new PipelineRuntime { Config = config, Pipeline = pipeline, Store = _store, Source = source, Destinations = destinations };
        return await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
    }

    private static HttpClient Client(HostServer server, string? token = Token)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    [Theory]
    [InlineData("/dashboard", true)]
    [InlineData("/dashboard/app.js", true)]
    [InlineData("/api/overview", true)]
    [InlineData("/dashboard", false)]
    [InlineData("/health", false)]
    [InlineData("/metrics", false)]
    [InlineData("/no-such-page", false)]
    public async Task Answers_EveryPathSignedInOrNot_CarryCspFrameDenyAndNosniff(string path, bool signedIn)
    {
        await using var server = await StartAsync();
        using var http = Client(server, signedIn ? Token : null);

        using var response = await http.GetAsync(path);

        var csp = response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem();
        csp.ShouldContain("default-src 'none'");
        csp.ShouldContain("script-src 'self'");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldNotContain("unsafe-inline");
        response.Headers.GetValues("X-Frame-Options").ShouldHaveSingleItem().ShouldBe("DENY");
        response.Headers.GetValues("X-Content-Type-Options").ShouldHaveSingleItem().ShouldBe("nosniff");
    }

    [Fact]
    public async Task Page_ServesNoInlineScriptOrStyle_SoTheStrictPolicyLetsItRun()
    {
        await using var server = await StartAsync();
        using var http = Client(server);

        var page = await http.GetStringAsync("/dashboard");

        page.ShouldNotContain("<script>");
        page.ShouldContain("<script src=\"/dashboard/app.js\"></script>");
        page.ShouldNotContain("<style");
        page.ShouldNotContain(" style=");
        page.ShouldNotMatch(@"\son[a-z]+\s*=");
    }

    [Fact]
    public async Task SignIn_TenFailuresFromOneAddress_ThenEveryAttemptRefusedWith429_TheRightTokenIncluded()
    {
        await using var server = await StartAsync();
        using var wrong = Client(server, "not-the-token-at-all");
        using var right = Client(server);

        for (var i = 0; i < DashboardAuth.FailuresPerWindow; i++)
        {
            (await wrong.GetAsync(i % 2 == 0 ? "/api/overview" : "/dashboard?token=guess")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"attempt {i + 1}");
        }

        using var throttled = await wrong.GetAsync("/api/overview");
        throttled.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter!.Delta.ShouldBe(DashboardAuth.FailureWindow);
        (await right.GetAsync("/dashboard")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await right.GetAsync("/api/overview")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task SignIn_RightTokenAfterAFewFailures_Served()
    {
        await using var server = await StartAsync();
        using var wrong = Client(server, "not-the-token-at-all");
        using var right = Client(server);
        for (var i = 0; i < DashboardAuth.FailuresPerWindow - 1; i++)
        {
            await wrong.GetAsync("/api/overview");
        }

        (await right.GetAsync("/api/overview")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await right.GetAsync("/api/overview")).StatusCode.ShouldBe(HttpStatusCode.OK, "a success spends nothing");
    }

    [Fact]
    public async Task Metrics_WithMetricsAuth_AsksForTheDashboardCredentials()
    {
        await using var server = await StartAsync(metricsAuth: true);
        using var anonymous = Client(server, token: null);
        using var wrong = Client(server, "not-the-token-at-all");
        using var right = Client(server);

        (await anonymous.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await wrong.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var answer = await right.GetAsync("/metrics");
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await answer.Content.ReadAsStringAsync()).ShouldContain("tributary_");
    }

    [Fact]
    public async Task Metrics_WithoutMetricsAuth_OpenToTheScraper()
    {
        await using var server = await StartAsync();
        using var anonymous = Client(server, token: null);

        (await anonymous.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
