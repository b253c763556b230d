using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Engine.Reconciliation;

public sealed partial class Reconciler
{
    /// <summary>What one run keeps between entities: keys seen on each side, orders for the orphan checks, feed rows.</summary>
    private sealed class RunState
    {
        private readonly Dictionary<(string, EntityKind), HashSet<string>> _present = [];
        private readonly Dictionary<(string, EntityKind), HashSet<string>> _delivered = [];

        public List<ReconciliationOrphan> Orphans { get; } = [];

        public Dictionary<EntityKind, HashSet<string>> SourceKeys { get; } = [];

        public List<(string Order, string? Customer, IReadOnlyList<string> Skus)> Orders { get; } = [];

        public Dictionary<string, IReadOnlyDictionary<string, string?>> FeedProducts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, IReadOnlyDictionary<string, string?>> FeedStock { get; } = new(StringComparer.Ordinal);

        /// <summary>Source keys found at the destination.</summary>
        public HashSet<string> Present(string destination, EntityKind entity) => Set(_present, destination, entity);

        /// <summary>Keys in the destination's delivered state.</summary>
        public HashSet<string> DeliveredKeys(string destination, EntityKind entity) => Set(_delivered, destination, entity);

        public bool HasPresent(string destination, EntityKind entity) => _present.ContainsKey((destination, entity));

        public void Remember(CanonicalRecord record)
        {
            if (record is Order order)
            {
                Orders.Add((order.Key, order.CustomerId, order.Lines.Select(l => l.Sku).Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).ToList()));
            }
        }

        public void KeepForFeed(EntityKind entity, string key, IReadOnlyDictionary<string, string?> fields, IReadOnlySet<string> keep)
        {
            var trimmed = fields.Where(f => keep.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
            (entity == EntityKind.Product ? FeedProducts : FeedStock)[key] = trimmed;
        }

        private static HashSet<string> Set(Dictionary<(string, EntityKind), HashSet<string>> sets, string destination, EntityKind entity)
        {
            if (!sets.TryGetValue((destination, entity), out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                sets[(destination, entity)] = set;
            }

            return set;
        }
    }

    /// <summary>Counters of one destination × entity comparison.</summary>
    private sealed class Tally(DestinationBinding binding, EntityKind entity, DestinationReadApi? api)
    {
        private readonly List<ReconciliationDifference> _differences = [];
        private readonly SortedDictionary<string, (decimal Source, decimal Destination)> _sums = new(StringComparer.Ordinal);

        public DestinationBinding Binding => binding;
        public EntityKind Entity => entity;
        public DestinationReadApi? Api => api;
        public long SourceRecords { get; set; }
        public long DestinationRecords { get; set; }
        public long OutOfScope { get; set; }
        public long Invalid { get; set; }
        public long Sampled { get; set; }
        public long Missing { get; set; }
        public long FieldsDiffer { get; set; }
        public long NotAtSource { get; set; }
        public long ConsentDrift { get; set; }

        public void Add(ReconciliationDifference difference, int max)
        {
            if (_differences.Count < max)
            {
                _differences.Add(difference);
            }
        }

        public void AddSum(string field, string? source, string? destination)
        {
            var (s, d) = _sums.GetValueOrDefault(field);
            _sums[field] = (s + Number(source), d + Number(destination));
        }

        public async Task<EntityReconciliation> ToResultAsync(IOutboxStore store, CancellationToken cancellationToken)
        {
            var listed = new List<ReconciliationDifference>(_differences.Count);
            foreach (var difference in _differences)
            {
                // A record waiting in a lane is on its way (pending, parked) or needs a person (quarantined, dead): not a repair.
                var row = difference.Kind == DifferenceKind.NotAtSource
                    ? null
                    : await store.GetOutboxAsync(difference.Destination, difference.Entity, difference.Key, cancellationToken);
                listed.Add(row is null ? difference : difference with { Lane = row.Status.ToString().ToLowerInvariant() });
            }

            return new EntityReconciliation(binding.Name, entity, api is null ? ViaDelivered : ViaReadApi, SourceRecords, DestinationRecords,
                OutOfScope, Invalid, Sampled, Missing, FieldsDiffer, NotAtSource,
                _sums.Select(s => new FieldSum(s.Key, s.Value.Source, s.Value.Destination)).ToList(), listed, ConsentDrift);
        }

        private static decimal Number(string? value) =>
            decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number : 0m;
    }
}
