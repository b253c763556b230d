using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Workers;

/// <summary>Two coordination stores on one SQLite file, as two worker processes on one machine have.</summary>
[Cluster]
public sealed class SharedFileCoordinationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("tributary-coord-").FullName, "coordination.db");
    private SqliteCoordinationStore _a = null!;
    private SqliteCoordinationStore _b = null!;

    public Task InitializeAsync()
    {
        _a = new SqliteCoordinationStore(_path);
        _b = new SqliteCoordinationStore(_path);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public async Task TryAcquireLease_HeldByAnother_RefusedUntilExpiryThenTaken()
    {
        var ttl = TimeSpan.FromSeconds(10);
        (await _a.TryAcquireLeaseAsync("sweep", "w1", ttl, T0, CancellationToken.None)).ShouldBeTrue();
        (await _b.TryAcquireLeaseAsync("sweep", "w2", ttl, T0.AddSeconds(5), CancellationToken.None)).ShouldBeFalse();
        (await _a.TryAcquireLeaseAsync("sweep", "w1", ttl, T0.AddSeconds(5), CancellationToken.None)).ShouldBeTrue("a renewal");
        (await _b.GetLeaseHolderAsync("sweep", T0.AddSeconds(14), CancellationToken.None)).ShouldBe("w1");
        (await _b.TryAcquireLeaseAsync("sweep", "w2", ttl, T0.AddSeconds(16), CancellationToken.None)).ShouldBeTrue();
        (await _a.GetLeaseHolderAsync("sweep", T0.AddSeconds(16), CancellationToken.None)).ShouldBe("w2");
    }

    [Fact]
    public async Task ReleaseLease_ByHolderOnly_FreesItAtOnce()
    {
        await _a.TryAcquireLeaseAsync("member/0", "w1", TimeSpan.FromMinutes(1), T0, CancellationToken.None);
        await _b.ReleaseLeaseAsync("member/0", "w2", CancellationToken.None);
        (await _b.GetLeaseHolderAsync("member/0", T0, CancellationToken.None)).ShouldBe("w1");
        await _a.ReleaseLeaseAsync("member/0", "w1", CancellationToken.None);
        (await _b.TryAcquireLeaseAsync("member/0", "w2", TimeSpan.FromMinutes(1), T0, CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task TryTakeBudget_TwoWorkers_ShareOneBucket()
    {
        // 60 a minute, burst 2: the two workers together get two calls at once, then one a second.
        (await _a.TryTakeBudgetAsync("emarsys", 1, 60, 2, T0, CancellationToken.None)).ShouldBe(TimeSpan.Zero);
        (await _b.TryTakeBudgetAsync("emarsys", 1, 60, 2, T0, CancellationToken.None)).ShouldBe(TimeSpan.Zero);
        var wait = await _a.TryTakeBudgetAsync("emarsys", 1, 60, 2, T0, CancellationToken.None);
        wait.ShouldBe(TimeSpan.FromSeconds(1));
        (await _b.TryTakeBudgetAsync("emarsys", 1, 60, 2, T0.AddSeconds(1), CancellationToken.None)).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task PauseBudget_OneWorkerThrottled_AllWait()
    {
        await _a.PauseBudgetAsync("emarsys", T0.AddSeconds(30), CancellationToken.None);
        (await _b.TryTakeBudgetAsync("emarsys", 1, 600, 100, T0.AddSeconds(10), CancellationToken.None)).ShouldBe(TimeSpan.FromSeconds(20));
        (await _b.TryTakeBudgetAsync("emarsys", 1, 600, 100, T0.AddSeconds(31), CancellationToken.None)).ShouldBe(TimeSpan.Zero);
    }
}
