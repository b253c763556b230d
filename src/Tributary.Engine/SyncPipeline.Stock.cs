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
    /// of a SKU fires nothing (a first full read must not alert the whole catalogue).
    /// </summary>
    private async Task<List<(EntityKind, SourcePage)>> ExpandStockAsync(SourcePage page, PassOptions pass, CancellationToken cancellationToken)
    {
        var levels = page.Records.OfType<StockLevel>().ToList();
        var previous = levels.Count == 0
            ? new Dictionary<string, DeliveredState>()
            : await _store.GetDeliveredAsync("!" + StockRule, EntityKind.Stock, levels.Select(l => l.Sku).ToList(), cancellationToken);
        var states = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        var events = new List<CanonicalRecord>();
        var now = _time.GetUtcNow();
        foreach (var level in levels)
        {
            var before = StockState.FromFields(previous.GetValueOrDefault(level.Sku)?.Fields);
            var transition = StockRules.Transition(before, level.AvailableToSell, _options.StockThresholds);
            states[level.Sku] = transition.Next.ToFields();
            foreach (var signal in transition.Events)
            {
                events.Add(new CommerceEvent
                {
                    Type = signal.Type,
                    DedupeKey = signal.DedupeKey(level.Sku),
                    SubjectId = level.Sku,
                    OccurredAt = now,
                    ModifiedAt = level.ModifiedAt,
                    SourceVersion = level.SourceVersion,
                    Data = new Dictionary<string, string?>
                    {
                        ["sku"] = level.Sku,
                        ["availableToSell"] = level.AvailableToSell.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                });
            }
        }

        if (!pass.DryRun && states.Count > 0)
        {
            await _store.SaveRuleStateAsync(StockRule, EntityKind.Stock, states, now, cancellationToken);
        }

        return [(EntityKind.Stock, page), (EntityKind.Event, new SourcePage(events, null))];
    }
}
