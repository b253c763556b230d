using Tributary.Connectors.Commercetools;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Sandbox.Commercetools;
using Tributary.Tests.Sandbox.Commercetools;

namespace Tributary.Tests.Connectors.Commercetools;

[Connector]
public sealed class CommercetoolsSourceTests
{
    private static readonly DateTimeOffset Start = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static CommercetoolsSource Source(EmulatorHarness h, Action<CommercetoolsClientOptions>? configure = null,
        CommercetoolsSourceOptions? sourceOptions = null)
    {
        var options = new CommercetoolsClientOptions
        {
            ApiUrl = h.Server.CommercetoolsUrl,
            AuthUrl = h.Server.CommercetoolsUrl,
            ProjectKey = "demo",
            ClientId = "sandbox-client",
            ClientSecret = "sandbox-secret",
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        };
        configure?.Invoke(options);
        return CommercetoolsSource.Create(options, sourceOptions ?? new CommercetoolsSourceOptions(), TimeProvider.System);
    }

    private static async Task<List<SourcePage>> ReadAllAsync(ISourceConnector source, SourceReadRequest request)
    {
        var pages = new List<SourcePage>();
        await foreach (var page in source.ReadAsync(request, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }

    private static SourceReadRequest Full(string? after = null) => new(EntityKind.Customer, null, null, after);

    private static List<string> Seed(EmulatorHarness h, int count)
    {
        var ids = new List<string>();
        h.Emulator.AddCustomers(Enumerable.Range(0, count).Select(i =>
        {
            var c = EmulatorHarness.Customer($"c{i}@example.com", Start.AddSeconds(i));
            ids.Add(c.Id = Guid.NewGuid().ToString());
            return c;
        }));
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    [Fact]
    public async Task ReadAsync_FullReadOf1234_EachCustomerOnceInIdOrderInThreePages()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var ids = Seed(h, 1234);
        using var source = Source(h);

        var pages = await ReadAllAsync(source, Full());

        pages.Count.ShouldBe(3);
        pages.Select(p => p.Records.Count).ShouldBe([500, 500, 234]);
        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(ids);
        pages[^1].LastKey.ShouldBe(ids[^1]);
    }

    [Fact]
    public async Task ReadAsync_AfterKey_ResumesAfterThatKey()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var ids = Seed(h, 40);
        using var source = Source(h);

        var pages = await ReadAllAsync(source, Full(after: ids[29]));

        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(ids.Skip(30));
    }

    [Fact]
    public async Task ReadAsync_IncrementalWindow_ReturnsOnlyCustomersModifiedInside()
    {
        await using var h = await EmulatorHarness.StartAsync();
        Seed(h, 100);
        using var source = Source(h);
        var from = Start.AddSeconds(20);
        var before = Start.AddSeconds(50);

        var pages = await ReadAllAsync(source, new SourceReadRequest(EntityKind.Customer, from, before, null, PageSize: 7));

        var records = pages.SelectMany(p => p.Records).ToList();
        records.Count.ShouldBe(30);
        records.ShouldAllBe(r => r.ModifiedAt >= from && r.ModifiedAt < before);
        records.Select(r => r.Key).ShouldBe(records.Select(r => r.Key).Order(StringComparer.Ordinal));
        pages.Count.ShouldBe(5);
    }

    [Fact]
    public async Task ReadAsync_TokenExpiresMidRead_FetchesOneNewTokenAndCompletes()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var ids = Seed(h, 1200);
        using var source = Source(h);
        var keys = new List<string>();

        await foreach (var page in source.ReadAsync(Full(), CancellationToken.None))
        {
            keys.AddRange(page.Records.Select(r => r.Key));
            if (keys.Count == 500)
            {
                h.Emulator.ExpireAllTokens();
            }
        }

        keys.ShouldBe(ids);
        source.Client.TokenFetches.ShouldBe(2);
        h.Emulator.TokensIssued.ShouldBe(2);
    }

    [Fact]
    public async Task ReadAsync_Injected503s_AreRetriedAndTheReadCompletes()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var ids = Seed(h, 600);
        using var source = Source(h);
        h.Emulator.Faults.FailNext(3);

        var pages = await ReadAllAsync(source, Full());

        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(ids);
        h.Emulator.Faults.Injected.ShouldBe(3);
    }

    [Fact]
    public async Task ReadAsync_RateLimited_WaitsAndRetries()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var ids = Seed(h, 10);
        using var source = Source(h);
        h.Emulator.Faults.Options.RetryAfterSeconds = 0;
        h.Emulator.Faults.RateLimitNext(2);

        var pages = await ReadAllAsync(source, Full());

        pages.SelectMany(p => p.Records).Select(r => r.Key).ShouldBe(ids);
    }

    [Fact]
    public async Task ReadAsync_PersistentServerErrors_ThrowTransientAfterRetries()
    {
        await using var h = await EmulatorHarness.StartAsync();
        Seed(h, 3);
        using var source = Source(h, o => o.MaxRetries = 2);
        await source.Client.GetGrantedScopesAsync(CancellationToken.None);
        h.Emulator.Faults.FailNext(10);

        var e = await Should.ThrowAsync<CommercetoolsException>(() => ReadAllAsync(source, Full()));

        e.Kind.ShouldBe(FailureKind.Transient);
        h.Emulator.Faults.Injected.ShouldBe(3);
    }

    [Fact]
    public async Task ReadAsync_ClientWithoutCustomerScope_ThrowsConfigNamingTheScope()
    {
        await using var h = await EmulatorHarness.StartAsync(configure: o => o.Scopes = ["view_orders"]);
        using var source = Source(h);

        var e = await Should.ThrowAsync<CommercetoolsException>(() => ReadAllAsync(source, Full()));

        e.Kind.ShouldBe(FailureKind.Config);
        e.StatusCode.ShouldBe(403);
        e.Message.ShouldContain("view_customers:demo");
        e.Message.ShouldContain("Fix:");
    }

    [Fact]
    public async Task ReadAsync_WrongSecret_ThrowsAuthWithoutTheSecret()
    {
        await using var h = await EmulatorHarness.StartAsync();
        using var source = Source(h, o => o.ClientSecret = "not-the-secret");

        var e = await Should.ThrowAsync<CommercetoolsException>(() => ReadAllAsync(source, Full()));

        e.Kind.ShouldBe(FailureKind.Auth);
        e.Message.ShouldNotContain("not-the-secret");
        e.Message.ShouldContain("ClientSecret");
    }
}
