using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Server.Dashboard;
using Tributary.Tests.EndToEnd;

namespace Tributary.Tests.Host.Dashboard;

[EndToEnd]
public sealed class DashboardSamplerTests
{
    [Fact]
    public async Task SampleAsync_BacklogThenCaughtUp_FreshnessLagFollowsTheWatermarkAndRatesPerMinute()
    {
        await using var h = await SandboxHarness.StartAsync(30);
        await using var runtime = await PipelineFactory.CreateAsync(h.Config(), h.Clock, NullLoggerFactory.Instance, CancellationToken.None);
        var sampler = new DashboardSampler(runtime, h.Clock);
        var first = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        sampler.Observe("sweep", first);
        var caughtUp = await sampler.SampleAsync(CancellationToken.None);
        var watermark = caughtUp.Freshness.Single(f => f.Entity == EntityKind.Customer).SourceSeenUntil;

        h.Sandbox.Commercetools.UpdateCustomer(h.ValidCustomers()[0].Id!, c => c.LastName = "Changed");
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await runtime.Pipeline.RunPassAsync(new PassOptions(), null, CancellationToken.None);
        sampler.Observe("sweep", second);
        var later = await sampler.SampleAsync(CancellationToken.None);

        watermark.ShouldNotBeNull();
        var customers = later.Freshness.Single(f => f.Destination == "emarsys" && f.Entity == EntityKind.Customer);
        customers.SourceSeenUntil.ShouldNotBeNull().ShouldBeGreaterThan(watermark.Value);
        customers.DeliveredThrough.ShouldBe(customers.SourceSeenUntil);
        customers.LagSeconds.ShouldBe(0);
        var series = sampler.Series();
        series.Count.ShouldBe(2);
        series[0].SentPerMinute.ShouldBeNull();
        series[1].SentPerMinute.ShouldBe(second.Counters.Sent);
        sampler.CurrentTotals().Sent.ShouldBe(first.Counters.Sent + second.Counters.Sent);
        sampler.Latency("sweep", TimeSpan.FromHours(1)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task SampleAsync_BeyondCapacity_KeepsOnlyTheLast24Hours()
    {
        await using var h = await SandboxHarness.StartAsync(0);
        await using var runtime = await h.OpenAsync();
        var sampler = new DashboardSampler(runtime, h.Clock);

        for (var i = 0; i < DashboardSampler.Capacity + 5; i++)
        {
            await sampler.SampleAsync(CancellationToken.None);
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        sampler.Snapshots.Count.ShouldBe(DashboardSampler.Capacity);
        (sampler.Snapshots[^1].At - sampler.Snapshots[0].At).ShouldBe(TimeSpan.FromMinutes(DashboardSampler.Capacity - 1));
    }
}
