using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tributary.Engine.Hosting;
using Tributary.Engine.Reconciliation;

namespace Tributary.Tests.Engine.Hosting;

[Unit]
public sealed class ReconcileServiceTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-reconcile-").FullName;
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly Channel<DateTimeOffset> _runs = Channel.CreateUnbounded<DateTimeOffset>();

    private string Latest => Path.Combine(_dir, "reconcile", "latest.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ReconciliationReport Report(DateTimeOffset finished) =>
        new("default", "fake-source", finished, finished, [], [], new Dictionary<OrphanKind, long>(), null);

    private ReconcileService Service() => new(async ct =>
    {
        var at = _clock.GetUtcNow();
        await ReconciliationReportFile.WriteAsync(Latest, Report(at), ct);
        _runs.Writer.TryWrite(at);
    }, Latest, Hour, _clock, NullLogger.Instance);

    private async Task<DateTimeOffset> NextRunAsync() => await _runs.Reader.ReadAsync().AsTask().WaitAsync(Wait);

    [Fact]
    public async Task Service_RunsOneIntervalAfterTheLatestReport_AndKeepsTheScheduleAcrossARestart()
    {
        await ReconciliationReportFile.WriteAsync(Latest, Report(T0 - TimeSpan.FromMinutes(50)), CancellationToken.None);
        using (var service = Service())
        {
            await service.StartAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(9));
            _runs.Reader.TryRead(out _).ShouldBeFalse("the latest report is only 59 minutes old");
            _clock.Advance(TimeSpan.FromMinutes(1));
            (await NextRunAsync()).ShouldBe(T0.AddMinutes(10), "due an hour after the report someone made 50 minutes before the start");

            _clock.Advance(Hour);
            (await NextRunAsync()).ShouldBe(T0.AddMinutes(70));
            await service.StopAsync(CancellationToken.None);
        }

        // Restarted half an hour later: the next run is still due an hour after the last report, not at once.
        _clock.Advance(TimeSpan.FromMinutes(30));
        using (var restarted = Service())
        {
            await restarted.StartAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(30));
            (await NextRunAsync()).ShouldBe(T0.AddMinutes(130));
            await restarted.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Service_AFailedRun_IsTriedAgainAfterTheInterval()
    {
        var attempts = Channel.CreateUnbounded<DateTimeOffset>();
        var failures = 1;
        using var service = new ReconcileService(async ct =>
        {
            var at = _clock.GetUtcNow();
            if (failures-- > 0)
            {
                attempts.Writer.TryWrite(at);
                throw new HttpRequestException("source unavailable");
            }

            await ReconciliationReportFile.WriteAsync(Latest, Report(at), ct);
            attempts.Writer.TryWrite(at);
        }, Latest, Hour, _clock, NullLogger.Instance);
        await service.StartAsync(CancellationToken.None);
        _clock.Advance(Hour);
        (await attempts.Reader.ReadAsync().AsTask().WaitAsync(Wait)).ShouldBe(T0 + Hour, "with no report yet, the first run is an interval after the start");

        _clock.Advance(Hour);
        (await attempts.Reader.ReadAsync().AsTask().WaitAsync(Wait)).ShouldBe(T0 + Hour + Hour);
        await service.StopAsync(CancellationToken.None);
        (await ReconciliationReportFile.ReadAsync(Latest, CancellationToken.None))!.FinishedAt.ShouldBe(T0 + Hour + Hour);
    }
}
