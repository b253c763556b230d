using Tributary.Core.Contracts;

namespace Tributary.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ICoordinationStore"/> must have: named leases and shared request budgets. A store passes it
/// by inheriting this class and saying how to create a store on a fresh database and open another one on the same database
/// (a second worker process).
/// </summary>
[Storage]
public abstract class CoordinationStoreComplianceTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private readonly List<ICoordinationStore> _stores = [];

    protected CancellationToken Ct => _timeout.Token;

    private ICoordinationStore Store => _stores[0];

    /// <summary>Creates a store over a new, empty database.</summary>
    protected abstract Task<ICoordinationStore> CreateStoreAsync(CancellationToken cancellationToken);

    /// <summary>Opens another store over the database of <see cref="CreateStoreAsync"/>, as a second worker would.</summary>
    protected abstract Task<ICoordinationStore> OpenAnotherAsync(CancellationToken cancellationToken);

    /// <summary>Removes the database once every store on it is disposed.</summary>
    protected abstract Task DeleteDatabaseAsync();

    public async Task InitializeAsync() => _stores.Add(await CreateStoreAsync(CancellationToken.None));

    public async Task DisposeAsync()
    {
        foreach (var store in _stores.OfType<IAsyncDisposable>())
        {
            await store.DisposeAsync();
        }

        await DeleteDatabaseAsync();
        _timeout.Dispose();
    }

    private async Task<ICoordinationStore> SecondWorkerAsync()
    {
        var store = await OpenAnotherAsync(Ct);
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_Free_GrantedAndHolderSeenByOtherWorkers()
    {
        var other = await SecondWorkerAsync();

        (await Store.TryAcquireLeaseAsync("sweeps", "worker-a", Ttl, T0, Ct)).ShouldBeTrue();

        (await other.GetLeaseHolderAsync("sweeps", T0.AddSeconds(1), Ct)).ShouldBe("worker-a");
        (await other.TryAcquireLeaseAsync("sweeps", "worker-b", Ttl, T0.AddSeconds(1), Ct)).ShouldBeFalse();
        (await other.TryAcquireLeaseAsync("heal", "worker-b", Ttl, T0.AddSeconds(1), Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_SameHolderRenews_ExtendsTheLease()
    {
        await Store.TryAcquireLeaseAsync("sweeps", "worker-a", Ttl, T0, Ct);

        (await Store.TryAcquireLeaseAsync("sweeps", "worker-a", Ttl, T0.AddSeconds(20), Ct)).ShouldBeTrue();

        // Without the renewal the lease would have ended at T0 + 30 s.
        (await Store.GetLeaseHolderAsync("sweeps", T0.AddSeconds(45), Ct)).ShouldBe("worker-a");
        (await Store.TryAcquireLeaseAsync("sweeps", "worker-b", Ttl, T0.AddSeconds(45), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task GetLeaseHolderAsync_LeaseExpired_IsNull()
    {
        await Store.TryAcquireLeaseAsync("sweeps", "worker-a", Ttl, T0, Ct);

        (await Store.GetLeaseHolderAsync("sweeps", T0 + Ttl - TimeSpan.FromMilliseconds(1), Ct)).ShouldBe("worker-a");
        (await Store.GetLeaseHolderAsync("sweeps", T0 + Ttl, Ct)).ShouldBeNull();
        (await Store.GetLeaseHolderAsync("never-taken", T0, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_AnotherHolderAfterExpiry_TakesIt()
    {
        var other = await SecondWorkerAsync();
        await Store.TryAcquireLeaseAsync("sweeps", "worker-a", Ttl, T0, Ct);

        (await other.TryAcquireLeaseAsync("sweeps", "worker-b", Ttl, T0 + Ttl, Ct)).ShouldBeTrue();

        (await Store.GetLeaseHolderAsync("sweeps", T0 + Ttl, Ct)).ShouldBe("worker-b");
        // The old holder's renewal now fails: it lost the lease.
        (await Store.TryAcquireLeaseAsync("sweeps", "worker-a", Ttl, T0 + Ttl + TimeSpan.FromSeconds(1), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task ReleaseLeaseAsync_ByHolder_FreesItAtOnce_ByAnotherDoesNothing()
    {
        await Store.TryAcquireLeaseAsync("sweeps", "worker-a", Ttl, T0, Ct);

        await Store.ReleaseLeaseAsync("sweeps", "worker-b", Ct);
        (await Store.GetLeaseHolderAsync("sweeps", T0, Ct)).ShouldBe("worker-a");

        await Store.ReleaseLeaseAsync("sweeps", "worker-a", Ct);
        (await Store.GetLeaseHolderAsync("sweeps", T0, Ct)).ShouldBeNull();
        (await Store.TryAcquireLeaseAsync("sweeps", "worker-b", Ttl, T0.AddSeconds(1), Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_ManyWorkersAtOnce_ExactlyOneWins()
    {
        var workers = new List<ICoordinationStore> { Store, await SecondWorkerAsync(), await SecondWorkerAsync() };

        var results = await Task.WhenAll(workers.SelectMany((w, i) => Enumerable.Range(0, 4).Select(j =>
            Task.Run(() => w.TryAcquireLeaseAsync("sweeps", $"worker-{i}-{j}", Ttl, T0, Ct)))));

        results.Count(r => r).ShouldBe(1);
    }

    [Fact]
    public async Task TryTakeBudgetAsync_UpToBurst_GrantedThenWaitsForOneRefill()
    {
        // 60 per minute: one request a second, a burst of 5.
        for (var i = 0; i < 5; i++)
        {
            (await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0, Ct)).ShouldBe(TimeSpan.Zero);
        }

        (await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0, Ct)).ShouldBe(TimeSpan.FromSeconds(1));
        (await Store.TryTakeBudgetAsync("dotdigital", 1, 60, 5, T0, Ct)).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task TryTakeBudgetAsync_SharedByWorkers_TheyDrawFromOneBucket()
    {
        var other = await SecondWorkerAsync();
        for (var i = 0; i < 3; i++)
        {
            (await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0, Ct)).ShouldBe(TimeSpan.Zero);
        }

        (await other.TryTakeBudgetAsync("emarsys", 2, 60, 5, T0, Ct)).ShouldBe(TimeSpan.Zero);

        (await other.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0, Ct)).ShouldBe(TimeSpan.FromSeconds(1));
        (await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0, Ct)).ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task TryTakeBudgetAsync_TimeElapsed_RefillsByElapsedTimeUpToBurst()
    {
        await Store.TryTakeBudgetAsync("emarsys", 5, 60, 5, T0, Ct);

        // 2.5 s later: 2.5 tokens.
        (await Store.TryTakeBudgetAsync("emarsys", 2, 60, 5, T0.AddSeconds(2.5), Ct)).ShouldBe(TimeSpan.Zero);
        (await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0.AddSeconds(2.5), Ct)).ShouldBe(TimeSpan.FromMilliseconds(500));

        // An hour later the bucket holds the burst, not an hour of tokens.
        (await Store.TryTakeBudgetAsync("emarsys", 5, 60, 5, T0.AddHours(1), Ct)).ShouldBe(TimeSpan.Zero);
        (await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0.AddHours(1), Ct)).ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task TryTakeBudgetAsync_NotEnoughForTheCost_TakesNothing()
    {
        await Store.TryTakeBudgetAsync("emarsys", 4, 60, 5, T0, Ct);

        (await Store.TryTakeBudgetAsync("emarsys", 3, 60, 5, T0, Ct)).ShouldBe(TimeSpan.FromSeconds(2));

        // The refused draw left the one token: it is still there.
        (await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0, Ct)).ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public async Task PauseBudgetAsync_SharedPause_EveryWorkerWaitsUntilItEnds()
    {
        var other = await SecondWorkerAsync();
        await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0, Ct);

        await Store.PauseBudgetAsync("emarsys", T0.AddSeconds(10), Ct);

        (await other.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0.AddSeconds(4), Ct)).ShouldBe(TimeSpan.FromSeconds(6));
        // An earlier pause does not shorten a later one.
        await other.PauseBudgetAsync("emarsys", T0.AddSeconds(5), Ct);
        (await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0.AddSeconds(9), Ct)).ShouldBe(TimeSpan.FromSeconds(1));
        // After the pause the bucket refills from empty.
        (await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0.AddSeconds(11), Ct)).ShouldBe(TimeSpan.Zero);
        (await Store.TryTakeBudgetAsync("emarsys", 1, 60, 5, T0.AddSeconds(11), Ct)).ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task TryTakeBudgetAsync_Unlimited_AlwaysGrantedUnlessPaused()
    {
        for (var i = 0; i < 50; i++)
        {
            (await Store.TryTakeBudgetAsync("sandbox", 1, 0, 0, T0, Ct)).ShouldBe(TimeSpan.Zero);
        }

        await Store.PauseBudgetAsync("sandbox", T0.AddSeconds(3), Ct);

        (await Store.TryTakeBudgetAsync("sandbox", 1, 0, 0, T0, Ct)).ShouldBe(TimeSpan.FromSeconds(3));
    }
}
