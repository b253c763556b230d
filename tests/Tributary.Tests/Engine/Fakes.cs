using System.Runtime.CompilerServices;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Tests.Engine;

/// <summary>An in-memory source: customers by id, read in id order.</summary>
internal sealed class FakeSource : ISourceConnector, IStockWatchers
{
    /// <summary>SKU → customer ids watching it (shopping lists).</summary>
    public Dictionary<string, IReadOnlyList<string>> Watchers { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetWatchersAsync(IReadOnlyCollection<string> skus, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(Watchers.Where(w => skus.Contains(w.Key)).ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal));

    public Dictionary<string, Customer> Customers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Order> Orders { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, StockLevel> Stock { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Clock { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>When set, a read of customers waits for it (a backfill that takes a while).</summary>
    public TaskCompletionSource? CustomerReadGate { get; set; }

    /// <summary>Completed when a read of customers has started.</summary>
    public TaskCompletionSource CustomerReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "fake-source";

    /// <summary>Every read asked of the source, in order (a full read has no modified-from bound).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<SourceReadRequest> Requests { get; } = new();

    /// <summary>Re-reads by id, per key.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Gets { get; } = new(StringComparer.Ordinal);

    public IReadOnlySet<EntityKind> Entities { get; } = new HashSet<EntityKind> { EntityKind.Customer, EntityKind.Order, EntityKind.Stock };

    public void Put(string id, string? email, string? firstName = null, long version = 1) =>
        Customers[id] = new Customer { SourceId = id, Email = email, FirstName = firstName, SourceVersion = version, ModifiedAt = Clock };

    public Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(new ConnectivityReport(true, []));

    public Task<DateTimeOffset> GetClockAsync(CancellationToken cancellationToken) => Task.FromResult(Clock);

    public async IAsyncEnumerable<SourcePage> ReadAsync(SourceReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (request.Entity == EntityKind.Customer)
        {
            CustomerReadStarted.TrySetResult();
            if (CustomerReadGate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }
        }

        IEnumerable<CanonicalRecord> all = request.Entity switch
        {
            EntityKind.Order => Orders.Values,
            EntityKind.Stock => Stock.Values,
            _ => Customers.Values,
        };
        var rows = all
            .Where(c => request.ModifiedFrom is null || (c.ModifiedAt >= request.ModifiedFrom && c.ModifiedAt < request.ModifiedBefore))
            .Where(c => request.AfterKey is null || string.CompareOrdinal(c.Key, request.AfterKey) > 0)
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToList();
        foreach (var chunk in rows.Chunk(Math.Max(1, request.PageSize)))
        {
            await Task.Yield();
            yield return new SourcePage(chunk.ToList(), chunk[^1].Key);
        }
    }

    /// <summary>Re-reads by id that fail, per key, with this exception (a poison record, a platform that refuses it).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, Exception> GetFailures { get; } = new(StringComparer.Ordinal);

    public Task<CanonicalRecord?> GetAsync(EntityKind entity, string key, CancellationToken cancellationToken)
    {
        Gets.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (GetFailures.TryGetValue(key, out var failure))
        {
            return Task.FromException<CanonicalRecord?>(failure);
        }

        return Task.FromResult<CanonicalRecord?>(entity switch
        {
            EntityKind.Order => Orders.GetValueOrDefault(key),
            EntityKind.Stock => Stock.GetValueOrDefault(key),
            _ => Customers.GetValueOrDefault(key),
        });
    }
}

/// <summary>An in-memory destination with scripted failures.</summary>
internal sealed class FakeDestination(int maxBatch = 100) : IDestinationConnector
{
    public Dictionary<string, Dictionary<string, string?>> Contacts { get; } = new(StringComparer.Ordinal);

    public List<IReadOnlyList<DeliveryItem>> Calls { get; } = [];

    public List<EntityKind> CallKinds { get; } = [];

    /// <summary>Whole-call failures to throw, in order, before answering normally.</summary>
    public Queue<PlatformException> CallFailures { get; } = new();

    /// <summary>Whole-call failures for non-customer kinds.</summary>
    public Dictionary<EntityKind, Queue<PlatformException>> EntityCallFailures { get; } = [];

    /// <summary>Keys whose presence in a batch makes the whole call fail as invalid (like a 400).</summary>
    public HashSet<string> PoisonKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys that always fail per item with this kind.</summary>
    public Dictionary<string, FailureKind> ItemFailures { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys whose projection throws (a value the mapping cannot take).</summary>
    public HashSet<string> UnprojectableKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys whose presence in a batch makes the connector throw before any call (it cannot encode the record).</summary>
    public HashSet<string> UnencodableKeys { get; } = new(StringComparer.Ordinal);

    public string Name => "fake";

    public DestinationLimits Limits => new(maxBatch, null);

    public bool SupportsCommerce { get; init; }

    /// <summary>Carries a catalogue (products), so stock signals are gated on it.</summary>
    public bool SupportsProducts { get; init; }

    /// <summary>Every delivered item per kind, in order (facts for append-once kinds).</summary>
    public List<(EntityKind Kind, DeliveryItem Item)> Delivered { get; } = [];

    public bool Supports(EntityKind entity) => entity == EntityKind.Customer || (SupportsProducts && entity == EntityKind.Product) || (SupportsCommerce && entity is EntityKind.Order or EntityKind.Event or EntityKind.CustomerSummary or EntityKind.Stock);

    public DeliverySemantics Semantics(EntityKind entity) =>
        entity is EntityKind.Order or EntityKind.Event ? DeliverySemantics.AppendOnce : DeliverySemantics.Upsert;

    public Projection Project(CanonicalRecord record)
    {
        if (UnprojectableKeys.Contains(record.Key))
        {
            throw new FormatException($"cannot project {record.Key}");
        }

        switch (record)
        {
            case Order o:
                if (o.Status is null)
                {
                    return Projection.Quarantine($"order status '{o.SourceStatus}' is not mapped");
                }

                var facts = o.Lines.ToDictionary(l => $"sale:{l.LineId}", l => (string?)$"{l.Sku}x{l.Quantity}");
                foreach (var r in o.Refunds)
                {
                    facts[$"refund:{r.RefundId}"] = $"-{r.Amount.Amount}";
                }

                return new Projection(facts, DependsOn: o.CustomerId is null ? null : new DependencyKey(EntityKind.Customer, o.CustomerId));
            case CommerceEvent e:
                return new Projection(new Dictionary<string, string?> { ["trigger"] = $"{e.Type} {e.SubjectId}" },
                    DependsOn: e.CustomerId is null ? null : new DependencyKey(EntityKind.Customer, e.CustomerId));
            case StockLevel sl:
                return new Projection(new Dictionary<string, string?> { ["ats"] = sl.AvailableToSell.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            case CustomerSummary cs:
                return new Projection(new Dictionary<string, string?>
                {
                    ["orders"] = cs.OrderCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["ltv"] = cs.LifetimeValue.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                    ["first"] = cs.FirstOrderAt?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    ["last"] = cs.LastOrderAt?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                }, DependsOn: new DependencyKey(EntityKind.Customer, cs.CustomerId));
        }

        var c = (Customer)record;
        if (!Tributary.Core.Rules.EmailRule.TryNormalize(c.Email, out var email, out var reason))
        {
            return Projection.Quarantine(reason!);
        }

        return new Projection(new Dictionary<string, string?> { ["email"] = email, ["first"] = c.FirstName });
    }

    /// <summary>Told of every call, before it is answered.</summary>
    public Action<EntityKind, IReadOnlyList<DeliveryItem>>? Called { get; set; }

    public Task<DeliveryResult> DeliverAsync(EntityKind entity, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        Called?.Invoke(entity, items);
        lock (Calls)
        {
            Calls.Add(items);
            CallKinds.Add(entity);
            if (entity != EntityKind.Customer)
            {
                if (EntityCallFailures.TryGetValue(entity, out var queue) && queue.TryDequeue(out var f))
                {
                    throw f;
                }

                Delivered.AddRange(items.Select(i => (entity, i)));
                return Task.FromResult(DeliveryResult.AllAccepted);
            }

            if (CallFailures.TryDequeue(out var failure))
            {
                throw failure;
            }

            if (items.FirstOrDefault(i => UnencodableKeys.Contains(i.Key)) is { } unencodable)
            {
                throw new InvalidOperationException($"cannot encode {unencodable.Key}");
            }

            if (items.Any(i => PoisonKeys.Contains(i.Key)))
            {
                throw new PlatformException("fake", FailureKind.Invalid, "bad request", 400);
            }

            var failures = new Dictionary<string, ItemFailure>();
            foreach (var item in items)
            {
                if (ItemFailures.TryGetValue(item.Key, out var kind))
                {
                    failures[item.Key] = new ItemFailure(kind, "E1", "item refused");
                    continue;
                }

                if (!Contacts.TryGetValue(item.Key, out var contact))
                {
                    Contacts[item.Key] = contact = new Dictionary<string, string?>();
                }

                foreach (var (k, v) in item.Changes)
                {
                    contact[k] = v;
                }
            }

            return Task.FromResult(new DeliveryResult(failures));
        }
    }

    public Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken) => Task.FromResult(new ConnectivityReport(true, []));
}
