using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>
/// What every store compliance suite shares: a store on a fresh database for each test (made by a <see cref="StoreHarness"/>,
/// one per store implementation), reopening it, and the entries and outcomes the tests build. Each role of the ledger has its
/// own abstract suite deriving from this class; each store runs every suite through a derived class that only names its harness.
/// </summary>
public abstract class StoreComplianceTests(StoreHarness harness) : IAsyncLifetime
{
    protected const string Emarsys = "emarsys";
    protected const string Dotdigital = "dotdigital";

    /// <summary>A fixed, millisecond-precise clock reading: stores keep times to the millisecond.</summary>
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly List<ISyncStore> _opened = [];

    protected ISyncStore Store { get; private set; } = null!;

    // Only a guard against a hung test run; no assertion depends on it.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    protected CancellationToken Ct => _timeout.Token;

    /// <summary>The harness of the store under test.</summary>
    protected StoreHarness Harness => harness;

    public async Task InitializeAsync() => Store = await harness.CreateAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await harness.DeleteAsync();
        _timeout.Dispose();
    }

    /// <summary>Opens a second store on the same database, disposed with the test.</summary>
    protected async Task<ISyncStore> OpenAnotherAsync()
    {
        var store = await harness.ReopenAsync(Ct);
        _opened.Add(store);
        return store;
    }

    /// <summary>Closes the current store and opens the same database again.</summary>
    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await harness.ReopenAsync(Ct);
    }

    protected static Dictionary<string, string?> Fields(params (string Field, string? Value)[] values) =>
        values.ToDictionary(v => v.Field, v => v.Value, StringComparer.Ordinal);

    protected static OutboxEntry Entry(string key, DateTimeOffset? due = null, string destination = Emarsys,
        EntityKind entity = EntityKind.Customer, IReadOnlyDictionary<string, string?>? fields = null,
        IReadOnlyDictionary<string, string?>? changes = null, long version = 1, DateTimeOffset? enqueued = null)
    {
        fields ??= Fields(("3", $"{key}@example.com"), ("1", "Ann"));
        return new OutboxEntry
        {
            Destination = destination,
            Entity = entity,
            Key = key,
            Fields = fields,
            Changes = changes ?? fields,
            Hash = FieldDiff.Hash(fields),
            SourceVersion = version,
            SourceModifiedAt = T0.AddMinutes(-1),
            Status = OutboxStatus.Pending,
            NextAttemptAt = due ?? T0,
            EnqueuedAt = enqueued ?? due ?? T0,
        };
    }

    protected static OutboxEntry Quarantined(string key, string reason, IReadOnlyDictionary<string, string?>? fields = null) =>
        Entry(key, fields: fields) with { Status = OutboxStatus.Quarantined, LastError = reason, LastErrorKind = FailureKind.Invalid };

    protected Task StageAsync(params OutboxEntry[] entries) => Store.StageAsync(new StageBatch(entries, []), Ct);

    protected async Task<IReadOnlyList<OutboxEntry>> LeaseAsync(DateTimeOffset? now = null, int max = 100, string destination = Emarsys,
        EntityKind entity = EntityKind.Customer) =>
        await Store.LeaseDueAsync(destination, entity, now ?? T0, max, TimeSpan.FromMinutes(5), Ct);

    protected async Task<OutboxEntry> LeaseOneAsync(string key, DateTimeOffset? now = null)
    {
        var leased = await LeaseAsync(now);
        return leased.Single(e => e.Key == key);
    }

    protected static DeliveryOutcome Sent(OutboxEntry entry, DateTimeOffset? at = null) =>
        new(entry, null, at ?? T0.AddSeconds(1), RequestSummary: "contact a***@example.com");

    protected static DeliveryOutcome Failed(OutboxEntry entry, OutboxStatus status, DateTimeOffset? at = null, DateTimeOffset? next = null,
        FailureKind kind = FailureKind.Transient, int? code = 503, string message = "Service Unavailable") =>
        new(entry, status, at ?? T0.AddSeconds(1), next, kind, code, message, "contact a***@example.com");

    /// <summary>Stages one row and delivers it, so the destination holds the record.</summary>
    protected async Task DeliverAsync(string key, string destination = Emarsys, EntityKind entity = EntityKind.Customer)
    {
        await StageAsync(Entry(key, destination: destination, entity: entity));
        var leased = (await LeaseAsync(destination: destination, entity: entity)).Single(e => e.Key == key);
        await Store.CompleteAsync([Sent(leased)], Ct);
    }

    protected static InboxMessage Message(string messageId, string key, DateTimeOffset? at = null) =>
        new(0, messageId, "commercetools", EntityKind.Customer, key, at ?? T0);

    protected Task<OutboxEntry?> OutboxAsync(string key, string destination = Emarsys, EntityKind entity = EntityKind.Customer) =>
        Store.GetOutboxAsync(destination, entity, key, Ct);

    protected async Task<DeliveredState?> DeliveredAsync(string key, string destination = Emarsys, EntityKind entity = EntityKind.Customer)
    {
        var delivered = await Store.GetDeliveredAsync(destination, entity, [key], Ct);
        return delivered.GetValueOrDefault(key);
    }
}
