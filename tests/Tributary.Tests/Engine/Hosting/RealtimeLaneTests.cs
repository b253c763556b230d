using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Engine.Hosting;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Engine.Hosting;

[Unit]
public sealed class RealtimeLaneTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-lane-").FullName;
    private readonly FakeSource _source = new();
    private readonly FakeDestination _destination = new();
    private readonly FakeTimeProvider _clock = new(T0);
    private SqliteSyncStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private SyncPipeline Pipeline() => new(_source, [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))],
        _store, new PipelineOptions { Entities = [EntityKind.Customer], DeliveryConcurrency = 1 }, _clock, NullLogger.Instance);

    private Task<bool> NotifyAsync(string id, string key) =>
        _store.TryAddInboxAsync(new InboxMessage(0, id, _source.Name, EntityKind.Customer, key, _clock.GetUtcNow()), CancellationToken.None);

    private TaskCompletionSource DeliveredOf(string key)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _destination.Called = (_, items) =>
        {
            if (items.Any(i => i.Key == key))
            {
                sent.TrySetResult();
            }
        };
        return sent;
    }

    [Fact]
    public async Task Lane_WhileASweepIsReading_DeliversTheNotifiedRecordExactlyOnceWithoutWaitingForTheSweep()
    {
        _source.Put("c-1", "one@example.com");
        _source.CustomerReadGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = Pipeline();
        var sweeps = Channel.CreateUnbounded<LaneEvent>();
        var rounds = Channel.CreateUnbounded<LaneEvent>();
        var scheduler = new SweepScheduler(pipeline, new HealSchedule(_store, _source.Name, TimeSpan.FromDays(1)), _clock, NullLogger.Instance)
        {
            Observer = e => sweeps.Writer.TryWrite(e),
        };
        using var stop = new CancellationTokenSource();
        var sweeping = scheduler.RunAsync(stop.Token);
        await _source.CustomerReadStarted.Task.WaitAsync(Wait);

        _source.Put("rt", "realtime@example.com", "Rita");
        var sent = DeliveredOf("rt");
        (await NotifyAsync("m-1", "rt")).ShouldBeTrue();
        using var lane = new RealtimeLane(pipeline, new RealtimeLaneOptions(), _clock, NullLogger.Instance) { Observer = e => rounds.Writer.TryWrite(e) };
        await lane.StartAsync(CancellationToken.None);
        // A second actor asks for the same batch at the same moment: the inbox has one owner, so the batch is taken once.
        var direct = await pipeline.ProcessInboxAsync(100, null, CancellationToken.None);
        await sent.Task.WaitAsync(Wait);

        sweeps.Reader.TryRead(out _).ShouldBeFalse("the sweep is still reading");
        _source.CustomerReadGate.SetResult();
        var sweep = await sweeps.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        var round = direct.Messages > 0 ? direct : (await rounds.Reader.ReadAsync().AsTask().WaitAsync(Wait)).Inbox!;
        await lane.StopAsync(CancellationToken.None);
        await stop.CancelAsync();
        await sweeping;

        round.Messages.ShouldBe(1);
        round.Pass.ShouldBeNull("the running sweep's workers delivered it");
        _source.Gets["rt"].ShouldBe(1, "one re-read for one notification");
        _destination.Calls.SelectMany(c => c).Count(i => i.Key == "rt").ShouldBe(1);
        sweep.Failure.ShouldBeNull();
        sweep.Pass!.Counters.Sent.ShouldBe(2, "the sweep sent c-1 and, handed over by the lane, rt");
        (await _store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
        rounds.Reader.TryRead(out _).ShouldBeFalse("no second round took the batch");
    }

    [Fact]
    public async Task Lane_WhenIdle_LooksAtTheInboxOnItsPollAndTakesEachNotificationOnce()
    {
        var pipeline = Pipeline();
        var rounds = Channel.CreateUnbounded<LaneEvent>();
        var options = new RealtimeLaneOptions { IdlePoll = TimeSpan.FromSeconds(1) };
        using var lane = new RealtimeLane(pipeline, options, _clock, NullLogger.Instance) { Observer = e => rounds.Writer.TryWrite(e) };
        await lane.StartAsync(CancellationToken.None);

        _source.Put("rt", "realtime@example.com");
        (await NotifyAsync("m-1", "rt")).ShouldBeTrue();
        (await NotifyAsync("m-1", "rt")).ShouldBeFalse("the same message id is stored once");
        _clock.Advance(options.IdlePoll);
        var round = await rounds.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        round.Lane.ShouldBe("realtime");
        round.Inbox!.Messages.ShouldBe(1);
        round.Pass.ShouldNotBeNull("nothing else was delivering: the lane delivered it itself");
        _destination.Contacts.Keys.ShouldBe(["rt"]);

        (await NotifyAsync("m-2", "rt")).ShouldBeTrue();
        lane.Wake();
        var again = await rounds.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await lane.StopAsync(CancellationToken.None);

        again.Inbox!.Reread.ShouldBe(1);
        _destination.Calls.SelectMany(c => c).Count(i => i.Key == "rt").ShouldBe(1, "the record did not change: a second hint sends nothing");
        (await _store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }
}
