using System.Globalization;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Core.Rules;

namespace Tributary.Engine.Reconciliation;

/// <summary>
/// Compares the source with each destination: reads the source completely, projects each record the way the pipeline would,
/// and compares it with what the destination holds — through its read API where it has one, otherwise with the delivered
/// state. Counts, sums, sampled field hashes, orphans and the catalogue audit go into a <see cref="ReconciliationReport"/>;
/// <see cref="RepairAsync"/> re-drives the differences through the outbox (never a direct send).
/// </summary>
public sealed partial class Reconciler
{
    private const string ViaReadApi = "read API";
    private const string ViaDelivered = "delivered state";
    private const int OrphansListed = 1000;

    private readonly ISourceConnector _source;
    private readonly IReadOnlyList<DestinationBinding> _destinations;
    private readonly IDeliveredStateStore _store;
    private readonly IOutboxStore _outbox;
    private readonly PipelineOptions _pipeline;
    private readonly ReconcileOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a reconciler over the same parts the pipeline uses.</summary>
    public Reconciler(ISourceConnector source, IReadOnlyList<DestinationBinding> destinations, IDeliveredStateStore store, IOutboxStore outbox,
        PipelineOptions pipeline,
        ReconcileOptions options, TimeProvider time)
    {
        _source = source;
        _destinations = destinations;
        _store = store;
        _outbox = outbox;
        _pipeline = pipeline;
        _options = options;
        _time = time;
    }

    /// <summary>Reads the source and compares it with every destination.</summary>
    public async Task<ReconciliationReport> RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var run = new RunState();
        var entities = _pipeline.Entities.Where(_source.Entities.Contains).Distinct().Order().ToList();
        var results = new List<EntityReconciliation>();
        foreach (var entity in entities)
        {
            results.AddRange(await CompareEntityAsync(entity, run, cancellationToken));
        }

        await FindOrphansAsync(entities, run, cancellationToken);
        var catalogue = entities.Contains(EntityKind.Product) ? await AuditCatalogueAsync(run, cancellationToken) : null;
        var counts = run.Orphans.GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => (long)g.Count());
        return new ReconciliationReport(_pipeline.Name, _source.Name, started, _time.GetUtcNow(), results,
            run.Orphans.Take(OrphansListed).ToList(), counts, catalogue);
    }

    private async Task<List<EntityReconciliation>> CompareEntityAsync(EntityKind entity, RunState run, CancellationToken cancellationToken)
    {
        var targets = _destinations.Where(d => d.Connector.Supports(entity))
            .Select(d => new Tally(d, entity, _options.ReadApis.FirstOrDefault(a => a.Destination == d.Name && a.Entity == entity)))
            .ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var page in _source.ReadAsync(new SourceReadRequest(entity, null, null, null, _pipeline.PageSize), cancellationToken))
        {
            var records = new List<CanonicalRecord>();
            foreach (var record in page.Records)
            {
                seen.Add(record.Key);
                if (record is Order order && OrderRules.SkipReason(order, _pipeline.OrderScope) is not null)
                {
                    targets.ForEach(t => t.OutOfScope++);
                    continue;
                }

                run.Remember(record);
                records.Add(record);
            }

            foreach (var rejected in page.Rejected)
            {
                seen.Add(rejected.Key);
                targets.ForEach(t => t.Invalid++);
            }

            foreach (var target in targets)
            {
                await ComparePageAsync(target, records, run, cancellationToken);
            }
        }

        run.SourceKeys[entity] = seen;
        var results = new List<EntityReconciliation>();
        foreach (var target in targets)
        {
            await foreach (var row in _store.ReadDeliveredAsync(target.Binding.Name, entity, cancellationToken))
            {
                if (target.Api is null)
                {
                    target.DestinationRecords++;
                }

                run.DeliveredKeys(target.Binding.Name, entity).Add(row.Key);
                if (!seen.Contains(row.Key))
                {
                    if (target.Api is not null)
                    {
                        target.DestinationRecords++;
                    }

                    target.NotAtSource++;
                    target.Add(new ReconciliationDifference(target.Binding.Name, entity, row.Key, DifferenceKind.NotAtSource, []), _options.MaxListed);
                    if (entity == EntityKind.Customer)
                    {
                        run.Orphans.Add(new ReconciliationOrphan(OrphanKind.ContactWithoutCustomer, target.Binding.Name, row.Key,
                            $"contact in {target.Binding.Name} whose customer {_source.Name} no longer has"));
                    }
                }
            }

            results.Add(await target.ToResultAsync(_outbox, cancellationToken));
        }

        return results;
    }

    private async Task ComparePageAsync(Tally target, List<CanonicalRecord> records, RunState run, CancellationToken cancellationToken)
    {
        var connector = target.Binding.Connector;
        var appendOnce = connector.Semantics(target.Entity) == DeliverySemantics.AppendOnce;
        var projected = new List<(CanonicalRecord Record, IReadOnlyDictionary<string, string?> Fields)>();
        foreach (var record in records)
        {
            var projection = connector.Project(record);
            if (projection.QuarantineReason is not null)
            {
                target.Invalid++;
                continue;
            }

            projected.Add((record, projection.Fields));
            if (_options.Catalogue is { } audit && audit.Destination == target.Binding.Name && target.Entity is EntityKind.Product or EntityKind.Stock)
            {
                run.KeepForFeed(target.Entity, record.Key, projection.Fields, audit.Fields);
            }
        }

        var keys = projected.Select(p => p.Record.Key).ToList();
        var actual = target.Api is { } api
            ? await ReadThroughApiAsync(target, api, projected, cancellationToken)
            : keys.Count == 0
                ? new Dictionary<string, IReadOnlyDictionary<string, string?>>()
                : (await _store.GetDeliveredAsync(target.Binding.Name, target.Entity, keys, cancellationToken))
                    .ToDictionary(kv => kv.Key, kv => kv.Value.Fields, StringComparer.Ordinal);

        var sumFields = _options.SumFields.GetValueOrDefault(target.Entity) ?? [];
        foreach (var (record, expected) in projected)
        {
            target.SourceRecords++;
            actual.TryGetValue(record.Key, out var held);
            foreach (var field in sumFields)
            {
                target.AddSum(field, expected.GetValueOrDefault(field), held?.GetValueOrDefault(field));
            }

            if (record is Order order)
            {
                target.AddSum($"order total {order.Total.Currency}", order.Total.Amount.ToString(CultureInfo.InvariantCulture),
                    held is null ? null : order.Total.Amount.ToString(CultureInfo.InvariantCulture));
            }

            if (held is null)
            {
                target.Missing++;
                target.Add(new ReconciliationDifference(target.Binding.Name, target.Entity, record.Key, DifferenceKind.MissingAtDestination, []), _options.MaxListed);
                continue;
            }

            if (target.Api is not null)
            {
                target.DestinationRecords++;
            }

            run.Present(target.Binding.Name, target.Entity).Add(record.Key);
            if (!appendOnce && !Sampled(record.Key))
            {
                continue;
            }

            target.Sampled++;
            var differing = appendOnce
                ? expected.Where(f => f.Value is not null && !held.ContainsKey(f.Key)).Select(f => f.Key).ToList()
                : expected.Where(f => (f.Value is not null || _pipeline.Clears(target.Entity)) && target.Api?.Unread?.Contains(f.Key) != true
                                      && !Same(f.Value, held.GetValueOrDefault(f.Key)))
                    .Select(f => f.Key).ToList();
            var consent = target.Api?.ConsentFields is { } consentFields ? differing.Where(consentFields.Contains).ToList() : [];
            if (consent.Count > 0)
            {
                target.ConsentDrift++;
                target.Add(new ReconciliationDifference(target.Binding.Name, target.Entity, record.Key, DifferenceKind.ConsentDrift,
                    consent.Order(StringComparer.Ordinal).ToList()), _options.MaxListed);
                differing = differing.Except(consent, StringComparer.Ordinal).ToList();
            }

            if (differing.Count > 0)
            {
                target.FieldsDiffer++;
                target.Add(new ReconciliationDifference(target.Binding.Name, target.Entity, record.Key, DifferenceKind.FieldsDiffer,
                    differing.Order(StringComparer.Ordinal).Take(10).ToList()), _options.MaxListed);
            }
        }
    }

    private static async Task<Dictionary<string, IReadOnlyDictionary<string, string?>>> ReadThroughApiAsync(Tally target, DestinationReadApi api,
        List<(CanonicalRecord Record, IReadOnlyDictionary<string, string?> Fields)> projected, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        var fields = projected.SelectMany(p => p.Fields.Keys).Distinct(StringComparer.Ordinal)
            .Where(f => api.Unread?.Contains(f) != true).Order(StringComparer.Ordinal).ToList();
        foreach (var chunk in projected.Select(p => p.Record.Key).Chunk(Math.Max(1, api.MaxKeysPerCall)))
        {
            // A read spends the same budget as a write: reconciliation never starves deliveries of the account's quota.
            using var budgetScope = BudgetScope.Enter(target.Binding.Budget, BudgetLane.Bulk);
            await budgetScope.AcquireAsync(cancellationToken);
            foreach (var (key, values) in await api.ReadAsync(chunk, fields, cancellationToken))
            {
                found[key] = values;
            }
        }

        return found;
    }

    // Destinations echo empty values as "" or leave them out; only the text matters.
    private static bool Same(string? expected, string? actual) =>
        string.Equals((expected ?? string.Empty).Trim(), (actual ?? string.Empty).Trim(), StringComparison.Ordinal);

    private bool Sampled(string key)
    {
        if (_options.SampleShare >= 1)
        {
            return true;
        }

        // A stable hash (not string.GetHashCode, which is randomised per process) so consecutive runs sample the same keys.
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        var hash = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(digest);
        return hash / (double)uint.MaxValue < _options.SampleShare;
    }
}
