using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tributary.Core.Budgets;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Engine.Hosting;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Engine.Hosting;

[Unit]
public sealed class SweepSchedulerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-sweeps-").FullName;
    private readonly FakeSource _source = new();
    private readonly FakeDestination _destination = new();
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly Channel<LaneEvent> _events = Channel.CreateUnbounded<LaneEvent>();
    private SqliteSyncStore _store = null!;

    private string StatePath => Path.Combine(_dir, "state.db");

    public async Task InitializeAsync() => _store = await SqliteSyncStore.OpenAsync(StatePath, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private SweepScheduler Scheduler(TimeSpan sweep, TimeSpan heal, params EntityKind[] entities)
    {
        var pipeline = new SyncPipeline(_source, [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
            new PipelineOptions { Entities = entities, SweepInterval = sweep, HealInterval = heal, DeliveryConcurrency = 1 }, _clock,
            NullLogger.Instance);
        return new SweepScheduler(pipeline, new HealSchedule(_store, _source.Name, heal), _clock, NullLogger.Instance)
        {
            Observer = e => _events.Writer.TryWrite(e),
        };
    }

    private async Task<LaneEvent> NextAsync() => await _events.Reader.ReadAsync().AsTask().WaitAsync(Wait);

    /// <summary>A change the incremental window cannot see (its modification time is old): only a full read finds it.</summary>
    private void Drift(string id, string firstName) =>
        _source.Customers[id] = _source.Customers[id] with { FirstName = firstName, SourceVersion = _source.Customers[id].SourceVersion + 1 };

    [Fact]
    public async Task Run_OnItsInterval_SweepsAndDeliversWhatChangedInBetween()
    {
        _source.Put("c-1", "one@example.com");
        using var stop = new CancellationTokenSource();
        var running = Scheduler(TimeSpan.FromMinutes(5), TimeSpan.FromDays(1), EntityKind.Customer).RunAsync(stop.Token);
        var first = await NextAsync();
        first.At.ShouldBe(T0);
        first.Lane.ShouldBe("heal", "an entity never healed heals in the first sweep");
        _destination.Contacts.Keys.ShouldBe(["c-1"]);

        _source.Clock = _source.Clock.AddMinutes(1);
        _source.Put("c-2", "two@example.com");
        _source.Clock = _source.Clock.AddMinutes(1);
        _clock.Advance(TimeSpan.FromMinutes(4));
        _events.Reader.TryRead(out _).ShouldBeFalse("the interval has not passed");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await NextAsync();

        second.At.ShouldBe(T0.AddMinutes(5));
        second.Lane.ShouldBe("sweep");
        second.Failure.ShouldBeNull();
        _destination.Contacts.Keys.Order(StringComparer.Ordinal).ShouldBe(["c-1", "c-2"]);
        second.Pass!.Counters.Sent.ShouldBe(1, "only what changed goes out");
        _source.Requests.Last().ModifiedFrom.ShouldNotBeNull("a sweep reads its window, not everything");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Run_HealsEachEntityOnItsOwnSchedule_AndARestartNeitherHealsAgainNorForgetsOne()
    {
        var day = TimeSpan.FromDays(1);
        var hour = TimeSpan.FromHours(1);
        _source.Put("c-1", "one@example.com", "Ann");
        // Orders have been synced before (they have a watermark), and were last healed 23 hours ago.
        await Scheduler(hour, day, EntityKind.Order).SweepOnceAsync(T0 - TimeSpan.FromHours(23), CancellationToken.None);
        _events.Reader.TryRead(out _).ShouldBeTrue();
        _source.Requests.Clear();
        await new HealSchedule(_store, _source.Name, day).RecordAsync([EntityKind.Order], T0 - TimeSpan.FromHours(23), CancellationToken.None);
        using (var stop = new CancellationTokenSource())
        {
            var running = Scheduler(hour, day, EntityKind.Customer, EntityKind.Order).RunAsync(stop.Token);
            var first = await NextAsync();
            first.Healed.ShouldBe([EntityKind.Customer], "customers never healed; orders healed 23 hours ago");
            FullReads().ShouldBe([EntityKind.Customer]);
            await stop.CancelAsync();
            await running;
        }

        // The service is down for an hour; the state store is all that survives.
        await _store.DisposeAsync();
        _store = await SqliteSyncStore.OpenAsync(StatePath, CancellationToken.None);
        Drift("c-1", "Anna");
        _clock.Advance(hour);
        _source.Requests.Clear();
        using (var stop = new CancellationTokenSource())
        {
            var running = Scheduler(hour, day, EntityKind.Customer, EntityKind.Order).RunAsync(stop.Token);
            var afterRestart = await NextAsync();
            afterRestart.At.ShouldBe(T0 + hour);
            afterRestart.Healed.ShouldBe([EntityKind.Order], "orders fell due while the service was down; customers healed an hour ago");
            FullReads().ShouldBe([EntityKind.Order]);
            _destination.Contacts["c-1"]["first"].ShouldBe("Ann", "the drift is invisible to a sweep and customers did not heal again");

            _source.Requests.Clear();
            _clock.Advance(TimeSpan.FromHours(23));
            var customersDue = await NextAsync();

            customersDue.At.ShouldBe(T0 + day);
            customersDue.Healed.ShouldBe([EntityKind.Customer]);
            FullReads().ShouldBe([EntityKind.Customer]);
            _destination.Contacts["c-1"]["first"].ShouldBe("Anna", "the heal re-read every customer and repaired the drift");
            await stop.CancelAsync();
            await running;
        }

        (await new HealSchedule(_store, _source.Name, day).LastHealAsync(EntityKind.Order, CancellationToken.None)).ShouldBe(T0 + hour);
    }

    [Fact]
    public async Task Run_AHealThatFails_StaysDueAndHealsAtTheNextSweep()
    {
        var hour = TimeSpan.FromHours(1);
        _source.Put("c-1", "one@example.com");
        _destination.CallFailures.Enqueue(new Tributary.Core.Contracts.PlatformException("fake", Tributary.Core.Contracts.FailureKind.Auth,
            "bad key", 401));
        using var stop = new CancellationTokenSource();
        var running = Scheduler(hour, TimeSpan.FromDays(1), EntityKind.Customer).RunAsync(stop.Token);

        var failed = await NextAsync();
        failed.Failure.ShouldBeOfType<PipelineHaltedException>();
        (await new HealSchedule(_store, _source.Name, TimeSpan.FromDays(1)).LastHealAsync(EntityKind.Customer, CancellationToken.None))
            .ShouldBeNull("a heal that did not finish is not recorded");
        _clock.Advance(hour);
        var retried = await NextAsync();

        retried.Failure.ShouldBeNull();
        retried.Healed.ShouldBe([EntityKind.Customer]);
        await stop.CancelAsync();
        await running;
    }

    private List<EntityKind> FullReads() => _source.Requests.Where(r => r.ModifiedFrom is null).Select(r => r.Entity).Distinct().ToList();
}
