using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Host.Server;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Host.Dashboard;

/// <summary>A seeded sandbox synced once (invalid emails quarantined) and the host's HTTP side serving the dashboard.</summary>
public sealed class DashboardTestSite : IAsyncDisposable
{
    public const string Token = "test-dashboard-token";

    private DashboardTestSite(SandboxHarness harness, PipelineRuntime runtime, HostServer server)
    {
        Harness = harness;
        Runtime = runtime;
        Server = server;
    }

    public SandboxHarness Harness { get; }

    public PipelineRuntime Runtime { get; }

    public HostServer Server { get; }

    public static async Task<DashboardTestSite> StartAsync(int customers = 60)
    {
        var harness = await SandboxHarness.StartAsync(customers);
        var broken = harness.ValidCustomers()[0];
        harness.Sandbox.Commercetools.UpdateCustomer(broken.Id!, c => c.Email = "broken.address.example.com");
        var config = SandboxConfig.For(harness.Sandbox, harness.Options, harness.StatePath, harness.Sync(), new DashboardConfig { Token = Token });
        var runtime = await PipelineFactory.CreateAsync(config, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var report = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var server = await HostServer.StartAsync("http://127.0.0.1:0", runtime, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        server.Dashboard.ShouldNotBeNull().Sampler.Observe("sweep", report);
        return new DashboardTestSite(harness, runtime, server);
    }

    /// <summary>A customer the first pass quarantined for its email.</summary>
    public Tributary.Sandbox.Commercetools.SandboxCustomer Quarantined()
    {
        var invalid = Harness.InvalidCustomers();
        invalid.ShouldNotBeEmpty("the seeded shop has customers with invalid emails");
        return invalid[0];
    }

    public HttpClient Client(bool authorized = true)
    {
        var http = new HttpClient { BaseAddress = Server.BaseUrl };
        if (authorized)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        }

        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Runtime.DisposeAsync();
        await Harness.DisposeAsync();
    }
}
