using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;

namespace Tributary.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ISyncStore"/> must have. A store implementation passes it by inheriting this class and
/// saying how to create a store on a fresh database and how to open the same database again.
/// </summary>
public abstract partial class SyncStoreComplianceTests : IAsyncLifetime
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

    /// <summary>Creates an initialised store over a new, empty database.</summary>
    protected abstract Task<ISyncStore> CreateStoreAsync(CancellationToken cancellationToken);

    /// <summary>Opens another initialised store over the database of the last <see cref="CreateStoreAsync"/>.</summary>
    protected abstract Task<ISyncStore> ReopenStoreAsync(CancellationToken cancellationToken);

    /// <summary>Removes the database once every store on it is disposed.</summary>
    protected abstract Task DeleteDatabaseAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await DeleteDatabaseAsync();
        _timeout.Dispose();
    }

    /// <summary>Opens a second store on the same database, disposed with the test.</summary>
    protected async Task<ISyncStore> OpenAnotherAsync()
    {
        var store = await ReopenStoreAsync(Ct);
        _opened.Add(store);
        return store;
    }

    /// <summary>Closes the current store and opens the same database again.</summary>
    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await ReopenStoreAsync(Ct);
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

    protected Task<OutboxEntry?> OutboxAsync(string key, string destination = Emarsys, EntityKind entity = EntityKind.Customer) =>
        Store.GetOutboxAsync(destination, entity, key, Ct);

    protected async Task<DeliveredState?> DeliveredAsync(string key, string destination = Emarsys, EntityKind entity = EntityKind.Customer)
    {
        var delivered = await Store.GetDeliveredAsync(destination, entity, [key], Ct);
        return delivered.GetValueOrDefault(key);
    }
}
