using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Connectors.Emarsys;
using Tributary.Engine;
using Tributary.Host.Composition;
using Tributary.Host.Configuration;
using Tributary.Sandbox;
using Tributary.Sandbox.Commercetools;
using Tributary.Sandbox.Generator;

namespace Tributary.Tests.EndToEnd;

/// <summary>
/// A running sandbox with a seeded shop, a state directory, and helpers to run the real pipeline against it and to read
/// Emarsys back through its own read API (getdata), the way a user would check.
/// </summary>
public sealed class SandboxHarness : IAsyncDisposable
{
    public const string KeyField = "9001";

    private SandboxHarness(SandboxServer sandbox, SandboxOptions options, TestClock clock, string dir, HarnessStore? store = null)
    {
        Store = store;
        Sandbox = sandbox;
        Options = options;
        Clock = clock;
        Directory = dir;
    }

    public SandboxServer Sandbox { get; }

    public SandboxOptions Options { get; }

    /// <summary>The platforms' clock; advance it after changing source records so the next window includes them.</summary>
    public TestClock Clock { get; }

    public string Directory { get; }

    public string StatePath => Path.Combine(Directory, "state.db");

    /// <summary>The state store the pipeline opens; null: the SQLite file at <see cref="StatePath"/>, as a user's config has.</summary>
    public HarnessStore? Store { get; }

    public static async Task<SandboxHarness> StartAsync(int customers, int seed = 42, HarnessStore? store = null)
    {
        var options = new SandboxOptions();
        options.Emarsys.RequestsPerMinute = 0;
        var clock = new TestClock(TimeProvider.System.GetUtcNow(), ClockMode.Wall);
        var sandbox = await SandboxServer.StartAsync(options, clock, CancellationToken.None);
        sandbox.Commercetools.AddCustomers(new ShopGenerator(seed).Customers(customers));
        clock.Advance(TimeSpan.FromSeconds(2));
        var dir = System.IO.Directory.CreateTempSubdirectory("tributary-e2e-").FullName;
        return new SandboxHarness(sandbox, options, clock, dir, store);
    }

    /// <summary>Seeds order histories for the shop's customers (with their payments).</summary>
    public void SeedOrders(int count, int seed = 42)
    {
        var generator = new ShopGenerator(seed);
        Sandbox.Commercetools.AddOrders(generator.Orders(Sandbox.Commercetools.Customers, count));
        Sandbox.Commercetools.AddPayments(generator.Payments);
        Clock.Advance(TimeSpan.FromSeconds(2));
    }

    public SyncConfig Sync(int batchSize = 500, int maxAttempts = 8, bool orders = false) => new()
    {
        Entities = orders ? [Tributary.Core.Model.EntityKind.Customer, Tributary.Core.Model.EntityKind.Order] : [Tributary.Core.Model.EntityKind.Customer],
        Interval = TimeSpan.FromSeconds(1),
        MaxAttempts = maxAttempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        PageSize = Math.Min(500, batchSize),
    };

    /// <summary>
    /// Writes a config file for the CLI in a child process (commercetools to Emarsys on this sandbox, SQLite state in the
    /// harness folder, secrets named as environment variables) and returns its path. <paramref name="emarsysExtra"/> and
    /// <paramref name="tail"/> are YAML lines added under the Emarsys section and after it.
    /// </summary>
    public string WriteCliConfig(string pipeline, string emarsysExtra = "", string tail = "")
    {
        var path = System.IO.Path.Combine(Directory, "tributary.yaml");
        var extra = string.Concat(emarsysExtra.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "    " + l.Trim() + "\n"));
        File.WriteAllText(path, $"""
            pipeline:
              name: {pipeline}
            state:
              sqlite: state.db
            source:
              commercetools:
                apiUrl: {Sandbox.CommercetoolsUrl}
                authUrl: {Sandbox.CommercetoolsUrl}
                projectKey: {Options.Commercetools.ProjectKey}
                clientId: {Options.Commercetools.ClientId}
                clientSecret: ${"{"}TEST_CT_SECRET{"}"}
            destinations:
              emarsys:
                apiUrl: {Sandbox.EmarsysUrl}
                user: {Options.Emarsys.User}
                secret: ${"{"}TEST_EMARSYS_SECRET{"}"}
                requestsPerMinute: 0

            """ + extra + tail);
        return path;
    }

    public TributaryConfig Config(SyncConfig? sync = null) => SandboxConfig.For(Sandbox, Options, StatePath, sync ?? Sync());

    public async Task<PipelineRuntime> OpenAsync(SyncConfig? sync = null) =>
        Store is null
            ? await PipelineFactory.CreateAsync(Config(sync), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None)
            : PipelineFactory.Create(Config(sync), await Store.OpenAsync(CancellationToken.None), TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>
    /// A commercetools-to-Dotdigital runtime on this sandbox, on the harness clock, with Dotdigital's tier limits off (the
    /// tests that use it are about what is written, not about pacing).
    /// </summary>
    public async Task<PipelineRuntime> OpenDotdigitalAsync()
    {
        Options.Dotdigital.LowTierPerMinute = 0;
        Options.Dotdigital.MediumTierPerMinute = 0;
        Options.Dotdigital.HighTierPerMinute = 0;
        var config = SandboxConfig.ForDotdigital(Sandbox, Options, StatePath, Sync());
        return await PipelineFactory.CreateAsync(config, Clock, NullLoggerFactory.Instance, CancellationToken.None);
    }

    /// <summary>Runs one pass and asserts that it balances; the store's lanes after it are kept in <see cref="LastLanes"/>.</summary>
    public async Task<PassReport> PassAsync(PassOptions? pass = null, SyncConfig? sync = null)
    {
        await using var runtime = await OpenAsync(sync);
        var report = await runtime.Pipeline.RunPassAsync(pass ?? new PassOptions(), null, CancellationToken.None);
        LastLanes = await runtime.Store.CountLanesAsync(CancellationToken.None);
        report.ShouldBalance();
        return report;
    }

    /// <summary>The store's lanes right after the last <see cref="PassAsync"/>.</summary>
    public IReadOnlyList<Tributary.Core.Contracts.LaneCount> LastLanes { get; private set; } = [];

    /// <summary>Customers whose email any valid address check accepts, by source id.</summary>
    public IReadOnlyList<SandboxCustomer> ValidCustomers() =>
        Sandbox.Commercetools.Customers.Where(c => Tributary.Core.Rules.EmailRule.TryNormalize(c.Email, out _, out _)).ToList();

    public IReadOnlyList<SandboxCustomer> InvalidCustomers() =>
        Sandbox.Commercetools.Customers.Where(c => !Tributary.Core.Rules.EmailRule.TryNormalize(c.Email, out _, out _)).ToList();

    /// <summary>Reads contacts back from the Emarsys emulator through getdata, keyed by the source id field.</summary>
    public async Task<Dictionary<string, IReadOnlyDictionary<string, string?>>> ReadContactsAsync(IEnumerable<string> keys)
    {
        var options = new EmarsysClientOptions { ApiUrl = Sandbox.EmarsysUrl, User = Options.Emarsys.User, Secret = Options.Emarsys.Secret };
        using var http = EmarsysClient.CreateHttpClient(options, Clock);
        var client = new EmarsysClient(http, options, Clock);
        var result = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(1000))
        {
            var data = await client.GetContactsAsync(KeyField, chunk, [], CancellationToken.None);
            foreach (var contact in data.Contacts)
            {
                result[contact[KeyField]!] = contact;
            }
        }

        return result;
    }

    /// <summary>What Emarsys should hold for a customer, derived from the source record alone.</summary>
    public static Dictionary<string, string?> Expected(SandboxCustomer c)
    {
        var optIn = c.CustomFields.TryGetValue("marketingOptIn", out var v) ? v : null;
        return new Dictionary<string, string?>
        {
            [KeyField] = c.Id,
            ["1"] = c.FirstName,
            ["2"] = c.LastName,
            ["3"] = c.Email.Trim().ToLowerInvariant(),
            ["4"] = c.DateOfBirth,
            ["31"] = optIn switch { true => "1", false => "2", _ => null },
            ["9002"] = c.CustomFields.TryGetValue("loyaltyTier", out var tier) ? tier as string : null,
        };
    }

    public static void ShouldMatch(IReadOnlyDictionary<string, string?> contact, SandboxCustomer source)
    {
        foreach (var (field, expected) in Expected(source))
        {
            contact.TryGetValue(field, out var actual);
            (string.IsNullOrEmpty(actual) ? null : actual).ShouldBe(expected, $"field {field} of customer {source.Id}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Store is not null)
        {
            await Store.DeleteAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed child may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}

/// <summary>A state store other than the default SQLite file: how to open it (again) and how to remove it after the test.</summary>
public sealed record HarnessStore(Func<CancellationToken, Task<Tributary.Core.Contracts.ISyncStore>> OpenAsync, Func<Task> DeleteAsync);
