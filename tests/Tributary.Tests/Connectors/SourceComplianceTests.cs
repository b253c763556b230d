using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Connectors;

/// <summary>A started sandbox with seeded customers and a source reading them: what every source connector's suite runs on.</summary>
public abstract class SourceFixture : IAsyncDisposable
{
    /// <summary>The source under test.</summary>
    public abstract ISourceConnector Source { get; }

    /// <summary>The keys of the seeded customers, in the source's key order.</summary>
    public abstract IReadOnlyList<string> Keys { get; }

    /// <summary>The emulated platform's clock.</summary>
    public abstract TimeProvider ServerTime { get; }

    /// <summary>A key no customer has.</summary>
    public abstract string MissingKey { get; }

    /// <summary>Changes one customer as a merchant would (its modification time becomes the server's now).</summary>
    public abstract Task ModifyAsync(string key);

    /// <summary>Adds a customer the connector cannot map; returns its key.</summary>
    public abstract Task<string> AddMalformedAsync();

    /// <summary>Adds a customer with the given consent answer (null: the field is absent); returns its key.</summary>
    public abstract Task<string> AddCustomerAsync(bool? consent);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// The contract every source connector passes against its emulator: keyset reads in key order with resumable keys,
/// closed-open incremental windows on the server's clock, null for a missing record, rejections that do not sink a page, and
/// consent that never turns absent into Subscribed.
/// </summary>
[Connector]
public abstract class SourceComplianceTests
{
    /// <summary>The emulated platforms run three days ahead of this machine, so only a clock read from the server passes.</summary>
    protected static readonly TimeSpan ServerClockOffset = TimeSpan.FromDays(3);

    /// <summary>Starts a sandbox whose clock is <paramref name="serverTime"/>, seeded with <paramref name="customers"/> customers modified a day ago.</summary>
    protected abstract Task<SourceFixture> StartAsync(int customers, TimeProvider serverTime);

    private Task<SourceFixture> StartAsync(int customers) => StartAsync(customers, TestClock.Offset(ServerClockOffset));

    private static async Task<List<SourcePage>> ReadAllAsync(ISourceConnector source, SourceReadRequest request)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in source.ReadAsync(request, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    [Fact]
    public async Task ReadAsync_FullRead_EachCustomerOnceInKeyOrderWithLastKey()
    {
        await using var f = await StartAsync(25);

        var pages = await ReadAllAsync(f.Source, new SourceReadRequest(EntityKind.Customer, null, null, null, PageSize: 10));

        pages.Select(p => p.Records.Count).ShouldBe([10, 10, 5]);
        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(f.Keys);
        pages.ShouldAllBe(p => p.LastKey == p.Records[p.Records.Count - 1].Key);
        pages.SelectMany(p => p.Records).ShouldAllBe(r => r is Customer);
    }

    [Fact]
    public async Task ReadAsync_AfterKey_ResumesAfterThatKey()
    {
        await using var f = await StartAsync(25);

        var pages = await ReadAllAsync(f.Source, new SourceReadRequest(EntityKind.Customer, null, null, f.Keys[9], PageSize: 10));

        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(f.Keys.Skip(10));
    }

    [Fact]
    public async Task ReadAsync_IncrementalWindow_ReturnsOnlyChangedRecords()
    {
        await using var f = await StartAsync(12);
        var from = await f.Source.GetClockAsync(CancellationToken.None);
        await f.ModifyAsync(f.Keys[3]);
        await f.ModifyAsync(f.Keys[7]);
        var before = (await f.Source.GetClockAsync(CancellationToken.None)).AddSeconds(1);

        var pages = await ReadAllAsync(f.Source, new SourceReadRequest(EntityKind.Customer, from, before, null, PageSize: 5));

        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe([f.Keys[3], f.Keys[7]]);
        pages.SelectMany(p => p.Records).ShouldAllBe(r => r.ModifiedAt >= from && r.ModifiedAt < before);
    }

    [Fact]
    public async Task ReadAsync_WindowEndingBeforeTheChange_LeavesItForTheNextWindow()
    {
        await using var f = await StartAsync(5);
        var from = f.ServerTime.GetUtcNow().AddDays(-2);
        var before = f.ServerTime.GetUtcNow().AddHours(-1);
        await f.ModifyAsync(f.Keys[0]);

        var pages = await ReadAllAsync(f.Source, new SourceReadRequest(EntityKind.Customer, from, before, null));

        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(f.Keys.Skip(1));
    }

    [Fact]
    public async Task GetClockAsync_AnyTime_ReturnsTheServerClock()
    {
        await using var f = await StartAsync(1);

        var clock = await f.Source.GetClockAsync(CancellationToken.None);

        Math.Abs((clock - f.ServerTime.GetUtcNow()).TotalMinutes).ShouldBeLessThan(1);
        Math.Abs((clock - TimeProvider.System.GetUtcNow()).TotalDays).ShouldBeGreaterThan(2);
    }

    [Fact]
    public async Task GetAsync_MissingId_ReturnsNull()
    {
        await using var f = await StartAsync(3);

        (await f.Source.GetAsync(EntityKind.Customer, f.MissingKey, CancellationToken.None)).ShouldBeNull();
        (await f.Source.GetAsync(EntityKind.Customer, f.Keys[1], CancellationToken.None))!.Key.ShouldBe(f.Keys[1]);
    }

    [Fact]
    public async Task ReadAsync_MalformedRecord_RejectedWhileThePageContinues()
    {
        await using var f = await StartAsync(8);
        var bad = await f.AddMalformedAsync();

        var pages = await ReadAllAsync(f.Source, new SourceReadRequest(EntityKind.Customer, null, null, null, PageSize: 50));

        pages.Count.ShouldBe(1);
        pages[0].Records.Select(r => r.Key).ShouldBe(f.Keys);
        var rejection = pages[0].Rejected.ShouldHaveSingleItem();
        rejection.Key.ShouldBe(bad);
        rejection.Entity.ShouldBe(EntityKind.Customer);
        rejection.Reason.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task ReadAsync_ConsentAbsent_IsUnknownNeverSubscribed()
    {
        await using var f = await StartAsync(2);
        var absent = await f.AddCustomerAsync(null);
        var yes = await f.AddCustomerAsync(true);
        var no = await f.AddCustomerAsync(false);

        var pages = await ReadAllAsync(f.Source, new SourceReadRequest(EntityKind.Customer, null, null, null));
        var byKey = pages.SelectMany(p => p.Records).Cast<Customer>().ToDictionary(c => c.Key);

        byKey[absent].ConsentFor(ConsentChannels.Email).Status.ShouldBe(ConsentStatus.Unknown);
        byKey[yes].ConsentFor(ConsentChannels.Email).Status.ShouldBe(ConsentStatus.Subscribed);
        byKey[no].ConsentFor(ConsentChannels.Email).Status.ShouldBe(ConsentStatus.Unsubscribed);
        f.Keys.ShouldAllBe(k => byKey[k].ConsentFor(ConsentChannels.Email).Status != ConsentStatus.Subscribed);
    }
}
