using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    private const string StockRule = "stock";

    /// <summary>
    /// Stock pages also yield back-in-stock and low-stock events: each SKU's available-to-sell goes through the stock rules with
    /// the state of its previous reading, so a value flapping around a threshold fires once per real crossing. The first reading
    /// of a SKU fires nothing (a first full read must not alert the whole catalogue). A signal for a SKU that is not in the
    /// published catalogue of any destination that carries one is counted and dropped (nobody can be sent to a product page
    /// that does not exist). A signal then becomes one event per shopper watching the SKU, when the source knows them
    /// (<see cref="IStockWatchers"/>): journeys start for contacts, and a stock signal alone has none.
    /// </summary>
    private async Task<List<(EntityKind, SourcePage)>> ExpandStockAsync(SourcePage page, PassOptions pass, PassCounters counters,
        CancellationToken cancellationToken)
    {
        var levels = page.Records.OfType<StockLevel>().ToList();
        var previous = levels.Count == 0
            ? new Dictionary<string, IReadOnlyDictionary<string, string?>>()
            : await _store.GetRuleStateAsync(StockRule, EntityKind.Stock, levels.Select(l => l.Sku).ToList(), cancellationToken);
        var states = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        var signals = new List<(StockLevel Level, StockSignal Signal)>();
        foreach (var level in levels)
        {
            var before = StockState.FromFields(previous.GetValueOrDefault(level.Sku));
            var transition = StockRules.Transition(before, level.AvailableToSell, _options.StockThresholds);
            states[level.Sku] = transition.Next.ToFields();
            signals.AddRange(transition.Events.Select(signal => (level, signal)));
        }

        var now = _time.GetUtcNow();
        if (!pass.DryRun && states.Count > 0)
        {
            await _store.SaveRuleStateAsync(StockRule, EntityKind.Stock, states, now, cancellationToken);
        }

        var events = new List<CanonicalRecord>();
        if (signals.Count > 0)
        {
            var published = await PublishedSkusAsync(signals.Select(s => s.Level.Sku).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
            signals.RemoveAll(s =>
            {
                var gone = published is not null && !published.Contains(s.Level.Sku);
                if (gone)
                {
                    counters.AddNote($"{s.Signal.Type} for a SKU not in the published catalogue");
                }

                return gone;
            });
            var watchers = signals.Count > 0 && _source is IStockWatchers source
                ? await source.GetWatchersAsync(signals.Select(s => s.Level.Sku).Distinct(StringComparer.Ordinal).ToList(), cancellationToken)
                : null;
            var notifyMe = await TakeNotifyMeAsync(signals.Where(s => s.Signal.Type == CommerceEventType.BackInStock).Select(s => s.Level.Sku)
                .Distinct(StringComparer.Ordinal).ToList(), pass.DryRun, counters, cancellationToken);
            foreach (var (level, signal) in signals)
            {
                var dedupe = signal.DedupeKey(level.Sku);
                events.Add(StockEvent(level, signal.Type, dedupe, customerId: null, now));
                var audience = (watchers?.GetValueOrDefault(level.Sku) ?? [])
                    .Concat(signal.Type == CommerceEventType.BackInStock ? notifyMe.GetValueOrDefault(level.Sku) ?? [] : [])
                    .Distinct(StringComparer.Ordinal).ToList();
                if (audience.Count == 0)
                {
                    counters.AddNote($"{signal.Type} with nobody watching the SKU");
                }

                events.AddRange(audience.Select(customer => StockEvent(level, signal.Type, $"{dedupe}:{customer}", customer, now)));
            }
        }

        return [(EntityKind.Stock, page), (EntityKind.Event, new SourcePage(events, null))];
    }

    /// <summary>
    /// SKUs, of those asked about, delivered as products to at least one destination that carries the catalogue; null when no
    /// destination carries one (then there is no catalogue to gate on).
    /// </summary>
    private async Task<HashSet<string>?> PublishedSkusAsync(IReadOnlyCollection<string> skus, CancellationToken cancellationToken)
    {
        HashSet<string>? published = null;
        foreach (var target in _destinations.Where(d => d.Connector.Supports(EntityKind.Product)))
        {
            published ??= new HashSet<string>(StringComparer.Ordinal);
            published.UnionWith((await _store.GetDeliveredAsync(target.Name, EntityKind.Product, skus, cancellationToken)).Keys);
        }

        return published;
    }

    private static CommerceEvent StockEvent(StockLevel level, CommerceEventType type, string dedupeKey, string? customerId, DateTimeOffset now) => new()
    {
        Type = type,
        DedupeKey = dedupeKey,
        CustomerId = customerId,
        SubjectId = level.Sku,
        OccurredAt = now,
        ModifiedAt = level.ModifiedAt,
        SourceVersion = level.SourceVersion,
        Data = new Dictionary<string, string?>
        {
            ["sku"] = level.Sku,
            ["availableToSell"] = level.AvailableToSell.ToString(CultureInfo.InvariantCulture),
        },
    };
}
