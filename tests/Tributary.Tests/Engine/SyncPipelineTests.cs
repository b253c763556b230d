using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Engine;

[Unit]
public sealed class SyncPipelineTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-engine-").FullName;
    private readonly FakeSource _source = new();
    private readonly FakeDestination _destination = new();
    private SqliteSyncStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private SyncPipeline Pipeline(int maxAttempts = 3) => new(_source,
        [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
        new PipelineOptions
        {
            PageSize = 50,
            DeliveryConcurrency = 1,
            Retry = new RetryOptions { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20), DefaultRateLimitWait = TimeSpan.FromMilliseconds(20) },
        },
        TimeProvider.System, NullLogger.Instance);

    private void Seed(int n)
    {
        for (var i = 0; i < n; i++)
        {
            _source.Put($"c{i:D4}", $"user{i}@example.com", $"Name{i}");
        }
    }

    [Fact]
    public async Task RunPass_NewCustomers_DeliversEachOnceInFullBatches()
    {
        Seed(250);

        var report = await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);

        _destination.Contacts.Count.ShouldBe(250);
        _destination.Calls.Sum(c => c.Count).ShouldBe(250);
        report.Counters.Sent.ShouldBe(250);
        report.Counters.Calls.ShouldBe(_destination.Calls.Count);
    }

    [Fact]
    public async Task RunPass_SecondPassWithoutChanges_MakesNoCall()
    {
        Seed(120);
        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);
        var calls = _destination.Calls.Count;

        var report = await Pipeline().RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None);

        _destination.Calls.Count.ShouldBe(calls);
        report.Counters.Unchanged.ShouldBe(120);
        report.Counters.Changed.ShouldBe(0);
    }

    [Fact]
    public async Task RunPass_OneFieldChanged_SendsOnlyThatField()
    {
        Seed(10);
        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);
        _source.Clock = _source.Clock.AddMinutes(5);
        _source.Put("c0003", "user3@example.com", "Renamed", version: 2);
        _source.Clock = _source.Clock.AddMinutes(5);

        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);

        var last = _destination.Calls[^1];
        last.Count.ShouldBe(1);
        last[0].Key.ShouldBe("c0003");
        last[0].Changes.ShouldBe(new Dictionary<string, string?> { ["first"] = "Renamed" });
    }

    [Fact]
    public async Task RunPass_InvalidEmail_IsQuarantinedWithReasonAndOthersFlow()
    {
        Seed(5);
        _source.Put("bad", "not-an-email");

        var report = await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);

        _destination.Contacts.ContainsKey("bad").ShouldBeFalse();
        _destination.Contacts.Count.ShouldBe(5);
        report.Counters.Quarantined.ShouldBe(1);
        var row = await _store.GetOutboxAsync("fake", EntityKind.Customer, "bad", CancellationToken.None);
        row!.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError!.ShouldContain("invalid email");
    }

    [Fact]
    public async Task RunPass_PoisonRecordInBatch_IsIsolatedByBatchSplitting()
    {
        Seed(64);
        _destination.PoisonKeys.Add("c0017");

        var report = await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);

        _destination.Contacts.Count.ShouldBe(63);
        report.Counters.Quarantined.ShouldBe(1);
        (await _store.GetOutboxAsync("fake", EntityKind.Customer, "c0017", CancellationToken.None))!.Status.ShouldBe(OutboxStatus.Quarantined);
    }

    [Fact]
    public async Task RunPass_TransientFailureThatNeverEnds_GoesDeadAfterBoundedAttempts()
    {
        Seed(3);
        _destination.ItemFailures["c0001"] = FailureKind.Transient;

        var report = await Pipeline(maxAttempts: 3).RunPassAsync(new PassOptions(), null, CancellationToken.None);

        report.Counters.Dead.ShouldBe(1);
        var attempts = await _store.GetAttemptsAsync("fake", EntityKind.Customer, "c0001", CancellationToken.None);
        attempts.Count.ShouldBe(3);
        (await _store.GetOutboxAsync("fake", EntityKind.Customer, "c0001", CancellationToken.None))!.Status.ShouldBe(OutboxStatus.Dead);
        _destination.Contacts.Count.ShouldBe(2);
    }

    [Fact]
    public async Task RunPass_RateLimitedAndServerErrors_EverythingDeliveredNothingDead()
    {
        Seed(30);
        for (var i = 0; i < 6; i++)
        {
            _destination.CallFailures.Enqueue(i % 2 == 0
                ? new PlatformException("fake", FailureKind.RateLimited, "429", 429, retryAfter: TimeSpan.FromMilliseconds(10))
                : new PlatformException("fake", FailureKind.Transient, "503", 503));
        }

        var report = await Pipeline(maxAttempts: 5).RunPassAsync(new PassOptions(), null, CancellationToken.None);

        _destination.Contacts.Count.ShouldBe(30);
        report.Counters.Dead.ShouldBe(0);
    }

    [Fact]
    public async Task RunPass_AuthFailure_HaltsWithAFixAndKeepsRowsPending()
    {
        Seed(4);
        _destination.CallFailures.Enqueue(new PlatformException("fake", FailureKind.Auth, "Unauthorized", 401));

        var ex = await Should.ThrowAsync<PipelineHaltedException>(() => Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None));

        ex.Message.ShouldContain("check");
        var lanes = await _store.CountLanesAsync(CancellationToken.None);
        lanes.Single(l => l.Status == OutboxStatus.Pending).Count.ShouldBe(4);

        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);
        _destination.Contacts.Count.ShouldBe(4);
    }

    [Fact]
    public async Task RunPass_DryRun_ShowsChangesAndSendsNothing()
    {
        Seed(7);

        var report = await Pipeline().RunPassAsync(new PassOptions(DryRun: true), null, CancellationToken.None);

        report.DryRunChanges.Count.ShouldBe(7);
        _destination.Calls.ShouldBeEmpty();
        (await _store.CountLanesAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunPass_DryRunWithARecordTheDestinationCannotProject_SkipsAndListsItWithTheReason()
    {
        Seed(3);
        _destination.UnprojectableKeys.Add("c0001");
        _source.Put("c-bad", "not an address");

        var report = await Pipeline().RunPassAsync(new PassOptions(DryRun: true), null, CancellationToken.None);

        report.DryRunChanges.Select(c => c.Key).ShouldBe(["c0000", "c0002"], ignoreOrder: true);
        report.DryRunSkipped.Select(s => (s.Key, s.Reason.Contains("cannot project c0001") || s.Key == "c-bad"))
            .ShouldBe(new[] { ("c-bad", true), ("c0001", true) }, ignoreOrder: true);
        _destination.Calls.ShouldBeEmpty();
        (await _store.CountLanesAsync(CancellationToken.None)).ShouldBeEmpty("a dry run stages nothing, not even quarantine");
    }

    [Fact]
    public async Task RunPass_OlderVersionThanDelivered_IsIgnored()
    {
        Seed(2);
        _source.Put("c0000", "user0@example.com", "New", version: 5);
        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);
        _source.Put("c0000", "user0@example.com", "Old", version: 3);

        var report = await Pipeline().RunPassAsync(new PassOptions(Full: true), null, CancellationToken.None);

        report.Counters.Stale.ShouldBe(1);
        _destination.Contacts["c0000"]["first"].ShouldBe("New");
    }
}

[Unit]
public sealed class SyncPipelineReplayTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-replay-").FullName;
    private readonly FakeSource _source = new();
    private readonly FakeDestination _destination = new();
    private SqliteSyncStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private SyncPipeline Pipeline() => new(_source,
        [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
        new PipelineOptions { Retry = new RetryOptions { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(5) } },
        TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task Replay_QuarantinedRecordFixedAtSource_IsSentAsItIsNow()
    {
        _source.Put("a", "a@example.com");
        _source.Put("b", "broken-email");
        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);
        _source.Put("b", "b@example.com", "Bea", version: 2);

        var report = await Pipeline().ReplayAsync(OutboxStatus.Quarantined, null, null, CancellationToken.None);

        report.Requeued.ShouldBe(1);
        _destination.Contacts["b"]["email"].ShouldBe("b@example.com");
        (await _store.GetOutboxAsync("fake", EntityKind.Customer, "b", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Replay_RecordStillInvalid_GoesBackToQuarantineWithoutAnyCall()
    {
        _source.Put("b", "broken-email");
        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);

        await Pipeline().ReplayAsync(OutboxStatus.Quarantined, ["b"], null, CancellationToken.None);

        _destination.Calls.ShouldBeEmpty();
        var row = await _store.GetOutboxAsync("fake", EntityKind.Customer, "b", CancellationToken.None);
        row!.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError!.ShouldContain("invalid email");
    }

    [Fact]
    public async Task Replay_DeadRecordAfterTheCauseIsFixed_IsDelivered()
    {
        _source.Put("a", "a@example.com");
        _destination.ItemFailures["a"] = FailureKind.Transient;
        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);
        (await _store.GetOutboxAsync("fake", EntityKind.Customer, "a", CancellationToken.None))!.Status.ShouldBe(OutboxStatus.Dead);
        _destination.ItemFailures.Clear();

        await Pipeline().ReplayAsync(OutboxStatus.Dead, null, null, CancellationToken.None);

        _destination.Contacts.ShouldContainKey("a");
    }

    [Fact]
    public async Task Replay_ARecordTheSourceCannotMapNow_StaysQuarantinedWithTheNewReason_TheOthersAreSent()
    {
        _source.Put("a", "broken-a");
        _source.Put("b", "broken-b");
        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);
        _source.Put("a", "a@example.com", version: 2);
        _source.GetFailures["b"] = new PlatformException("fake-source", FailureKind.Invalid, "b cannot be mapped: dateOfBirth is not a date", 400);

        var report = await Pipeline().ReplayAsync(OutboxStatus.Quarantined, null, null, CancellationToken.None);

        report.NotReread.ShouldBe(["b"]);
        _destination.Contacts.Keys.ShouldBe(["a"]);
        var row = (await _store.GetOutboxAsync("fake", EntityKind.Customer, "b", CancellationToken.None)).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError.ShouldBe("b cannot be mapped: dateOfBirth is not a date");
    }

    [Fact]
    public async Task Replay_RecordDeletedAtSource_StaysInItsLane()
    {
        _source.Put("a", "a@example.com");
        _destination.ItemFailures["a"] = FailureKind.Transient;
        await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);
        _source.Customers.Remove("a");
        _destination.ItemFailures.Clear();

        var report = await Pipeline().ReplayAsync(OutboxStatus.Dead, null, null, CancellationToken.None);

        report.MissingAtSource.ShouldBe(["a"]);
        _destination.Contacts.ShouldNotContainKey("a");
        (await _store.GetOutboxAsync("fake", EntityKind.Customer, "a", CancellationToken.None))!.Status.ShouldBe(OutboxStatus.Dead);
    }
}

[Unit]
public sealed class RealtimeLaneTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-realtime-").FullName;
    private readonly FakeSource _source = new();
    private readonly FakeDestination _destination = new(maxBatch: 10);
    private SqliteSyncStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteSyncStore.OpenAsync(Path.Combine(_dir, "state.db"), CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ProcessInbox_BehindABacklog_TheNotifiedRecordGoesFirst()
    {
        var now = TimeProvider.System.GetUtcNow();
        var backlog = Enumerable.Range(0, 30).Select(i =>
        {
            var fields = new Dictionary<string, string?> { ["email"] = $"b{i}@example.com" };
            return new OutboxEntry
            {
                Destination = "fake", Entity = EntityKind.Customer, Key = $"b{i:D2}", Fields = fields, Changes = fields,
                Hash = Tributary.Core.Diff.FieldDiff.Hash(fields), Status = OutboxStatus.Pending, NextAttemptAt = now.AddMinutes(-5), EnqueuedAt = now,
            };
        }).ToList();
        await _store.StageAsync(new StageBatch(backlog, []), CancellationToken.None);
        _source.Put("rt", "realtime@example.com", "Rita");
        await _store.TryAddInboxAsync(new InboxMessage(0, "m-1", "fake-source", EntityKind.Customer, "rt", now), CancellationToken.None);
        var pipeline = new SyncPipeline(_source, [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
            new PipelineOptions { DeliveryConcurrency = 1 }, TimeProvider.System, NullLogger.Instance);

        var report = await pipeline.ProcessInboxAsync(100, null, CancellationToken.None);

        report.Reread.ShouldBe(1);
        _destination.Calls[0].Select(i => i.Key).ShouldContain("rt");
        _destination.Contacts.Count.ShouldBe(31);
    }
}
