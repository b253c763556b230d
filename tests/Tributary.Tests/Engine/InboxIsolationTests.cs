using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;
using Tributary.Engine.Hosting;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Engine;

/// <summary>One bad record in the real-time lane fails alone: it goes to a lane with its reason, and the rest go on at once.</summary>
[Unit]
public sealed class InboxIsolationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly string _dir = Directory.CreateTempSubdirectory("tributary-isolation-").FullName;
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

    private SyncPipeline Pipeline(int maxAttempts = 8) => new(_source,
        [new DestinationBinding(_destination, new RateBudget("fake", null, TimeProvider.System))], _store,
        new PipelineOptions
        {
            Entities = [EntityKind.Customer],
            DeliveryConcurrency = 1,
            Retry = new RetryOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(1), MaxAttempts = maxAttempts, JitterSeed = 3 },
        },
        _clock, NullLogger.Instance);

    private async Task NotifyAsync(string id, string key, EntityKind entity = EntityKind.Customer) =>
        (await _store.TryAddInboxAsync(new InboxMessage(0, id, _source.Name, entity, key, _clock.GetUtcNow()), CancellationToken.None)).ShouldBeTrue();

    private Task<OutboxEntry?> RowAsync(string key) => _store.GetOutboxAsync(_destination.Name, EntityKind.Customer, key, CancellationToken.None);

    [Theory]
    [InlineData(FailureKind.Invalid, 400, "customer c-bad cannot be mapped: dateOfBirth is not a date in the form YYYY-MM-DD")]
    [InlineData(FailureKind.Invalid, 414, "answered HTTP 414 while trying to read customers")]
    [InlineData(FailureKind.Config, 403, "may not read customers (HTTP 403 insufficient_scope). Fix: add view_customers to source.commercetools.scopes")]
    [InlineData(FailureKind.NotFound, 404, "found nothing to read customers (HTTP 404)")]
    public async Task ProcessInbox_ReReadRefusedForAPermanentCause_QuarantinedWithTheReason_TheOthersDeliveredInTheSameRound(FailureKind kind,
        int status, string reason)
    {
        _source.Put("c-1", "one@example.com");
        _source.Put("c-2", "two@example.com");
        _source.Put("c-bad", "bad@example.com");
        _source.GetFailures["c-bad"] = new PlatformException("fake-source", kind, reason, status);
        await NotifyAsync("m-bad", "c-bad");
        await NotifyAsync("m-1", "c-1");
        await NotifyAsync("m-2", "c-2");

        var round = await Pipeline().ProcessInboxAsync(500, null, CancellationToken.None);

        round.Messages.ShouldBe(3);
        round.Reread.ShouldBe(2);
        round.Laned.ShouldBe(1);
        round.Pass.ShouldNotBeNull().Counters.Sent.ShouldBe(2);
        _destination.Contacts.Keys.ShouldBe(["c-1", "c-2"], ignoreOrder: true);
        var row = (await RowAsync("c-bad")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError.ShouldBe(reason);
        row.LastStatusCode.ShouldBe(status);
        (await _store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty("a quarantined record's notification is done");
    }

    [Fact]
    public async Task ProcessInbox_ReReadFailsForAPassingCause_DeferredWithBackoff_TheRestDelivered_ThenDeliveredWhenTheSourceAnswers()
    {
        _source.Put("c-1", "one@example.com");
        _source.Put("c-flaky", "flaky@example.com");
        _source.GetFailures["c-flaky"] = new PlatformException("fake-source", FailureKind.Transient, "fake-source answered HTTP 503", 503);
        await NotifyAsync("m-flaky", "c-flaky");
        await NotifyAsync("m-1", "c-1");
        var pipeline = Pipeline();

        var first = await pipeline.ProcessInboxAsync(500, null, CancellationToken.None);

        first.Deferred.ShouldBe(1);
        first.Laned.ShouldBe(0);
        _destination.Contacts.Keys.ShouldBe(["c-1"]);
        var waiting = (await _store.PendingInboxAsync(10, CancellationToken.None)).ShouldHaveSingleItem();
        waiting.Key.ShouldBe("c-flaky");
        waiting.Attempts.ShouldBe(1);
        waiting.LastError.ShouldBe("fake-source answered HTTP 503");
        (await pipeline.ProcessInboxAsync(500, null, CancellationToken.None)).Messages.ShouldBe(0, "it waits out its backoff");
        (await RowAsync("c-flaky")).ShouldBeNull("a passing failure is no reason for a lane");

        _source.GetFailures.TryRemove("c-flaky", out _);
        _clock.Advance(TimeSpan.FromSeconds(13));
        var second = await pipeline.ProcessInboxAsync(500, null, CancellationToken.None);

        second.Reread.ShouldBe(1);
        _destination.Contacts.Keys.ShouldBe(["c-1", "c-flaky"], ignoreOrder: true);
        (await _store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ProcessInbox_ReReadKeepsFailingForAPassingCause_DeadAfterTheLastAttemptWithTheReason()
    {
        _source.Put("c-down", "down@example.com");
        _source.GetFailures["c-down"] = new TimeoutException("the source did not answer within 30 s");
        await NotifyAsync("m-down", "c-down");
        var pipeline = Pipeline(maxAttempts: 3);

        var rounds = new List<InboxReport>();
        for (var i = 0; i < 3; i++)
        {
            rounds.Add(await pipeline.ProcessInboxAsync(500, null, CancellationToken.None));
            _clock.Advance(TimeSpan.FromMinutes(2));
        }

        rounds.Select(r => (r.Deferred, r.Laned)).ShouldBe([(1, 0), (1, 0), (0, 1)]);
        var row = (await RowAsync("c-down")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Dead);
        row.LastError.ShouldBe("gave up re-reading after 3 attempts: TimeoutException: the source did not answer within 30 s");
        (await _store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ProcessInbox_NotificationOfAKindThePipelineDoesNotSync_CountedAsSkippedWithTheReason_NeverReRead()
    {
        _source.Put("c-1", "one@example.com");
        _source.Orders["o-1"] = new Order { SourceId = "o-1", OrderNumber = "N-1", Currency = "EUR", Total = new Money(1, "EUR"), SourceStatus = "Open" };
        await NotifyAsync("m-order", "o-1", EntityKind.Order);
        await NotifyAsync("m-1", "c-1");
        var counters = new PassCounters();

        var round = await Pipeline().ProcessInboxAsync(500, counters, CancellationToken.None);

        round.Skipped.ShouldBe(1);
        _source.Gets.ContainsKey("o-1").ShouldBeFalse("a pipeline re-reads only kinds it syncs");
        counters.SkippedReasons["orders notification: this pipeline does not sync orders (sync.entities)"].ShouldBe(1);
        _destination.Contacts.Keys.ShouldBe(["c-1"]);
        (await _store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ProcessInbox_CredentialsRefused_TheRoundFailsAndEveryNotificationStays()
    {
        _source.Put("c-1", "one@example.com");
        _source.Put("c-2", "two@example.com");
        _source.GetFailures["c-2"] = new PlatformException("fake-source", FailureKind.Auth, "fake-source rejected the credentials", 401);
        await NotifyAsync("m-1", "c-1");
        await NotifyAsync("m-2", "c-2");

        await Should.ThrowAsync<PlatformException>(() => Pipeline().ProcessInboxAsync(500, null, CancellationToken.None));

        (await _store.PendingInboxAsync(10, CancellationToken.None)).Select(m => m.Key).ShouldBe(["c-1", "c-2"],
            "refused credentials concern every record: nothing is quarantined for them");
        (await RowAsync("c-2")).ShouldBeNull();
    }

    [Fact]
    public async Task ProcessInbox_ARecordTheDestinationCannotProject_QuarantinedWithTheReason_TheOthersDelivered()
    {
        _source.Put("c-1", "one@example.com");
        _source.Put("c-odd", "odd@example.com");
        _destination.UnprojectableKeys.Add("c-odd");
        await NotifyAsync("m-odd", "c-odd");
        await NotifyAsync("m-1", "c-1");

        await Pipeline().ProcessInboxAsync(500, null, CancellationToken.None);

        _destination.Contacts.Keys.ShouldBe(["c-1"]);
        var row = (await RowAsync("c-odd")).ShouldNotBeNull();
        row.Status.ShouldBe(OutboxStatus.Quarantined);
        row.LastError.ShouldBe("fake could not project it: cannot project c-odd");
    }

    [Fact]
    public async Task RunPass_ARecordTheConnectorCannotEncode_QuarantinedAlone_TheRestOfItsBatchSent()
    {
        foreach (var id in new[] { "c-1", "c-2", "c-3", "c-4" })
        {
            _source.Put(id, id + "@example.com");
        }

        _destination.UnencodableKeys.Add("c-3");

        var report = await Pipeline().RunPassAsync(new PassOptions(), null, CancellationToken.None);

        report.Counters.Sent.ShouldBe(3);
        report.Counters.Quarantined.ShouldBe(1);
        _destination.Contacts.Keys.ShouldBe(["c-1", "c-2", "c-4"], ignoreOrder: true);
        (await RowAsync("c-3")).ShouldNotBeNull().LastError.ShouldBe("fake could not deliver it: InvalidOperationException: cannot encode c-3");
    }

    [Fact]
    public async Task Lane_PoisonNotificationFirst_DoesNotStopTheLane_TheValidOneAfterItIsDelivered()
    {
        _source.Put("c-ok", "ok@example.com");
        _source.GetFailures["c-poison"] = new PlatformException("fake-source", FailureKind.Invalid, "'' is not a record id", 400);
        var pipeline = Pipeline();
        var rounds = Channel.CreateUnbounded<LaneEvent>();
        using var lane = new RealtimeLane(pipeline, new RealtimeLaneOptions(), _clock, NullLogger.Instance) { Observer = e => rounds.Writer.TryWrite(e) };
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _destination.Called = (_, items) =>
        {
            if (items.Any(i => i.Key == "c-ok"))
            {
                sent.TrySetResult();
            }
        };
        await lane.StartAsync(CancellationToken.None);

        await NotifyAsync("m-poison", "c-poison");
        await NotifyAsync("m-ok", "c-ok");
        lane.Wake();
        await sent.Task.WaitAsync(Wait);
        await lane.StopAsync(CancellationToken.None);

        rounds.Writer.Complete();
        var events = new List<LaneEvent>();
        await foreach (var e in rounds.Reader.ReadAllAsync())
        {
            events.Add(e);
        }

        events.ShouldAllBe(e => e.Failure == null, "no round failed");
        (await RowAsync("c-poison")).ShouldNotBeNull().LastError.ShouldBe("'' is not a record id");
        (await _store.PendingInboxAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }
}
