using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    /// <summary>The kinds derived from orders: the customer's history summary and the lifecycle events.</summary>
    internal static readonly EntityKind[] OrderDerivedKinds = [EntityKind.CustomerSummary, EntityKind.Event];

    /// <summary>
    /// Applies the order scope (skipped orders are counted with their reason), records each order's contribution to its customer's
    /// history, and derives the customer summaries and lifecycle events the page implies. Each comes back as its own page.
    /// </summary>
    private async Task<List<(EntityKind, SourcePage)>> ExpandOrdersAsync(SourcePage page, PassOptions pass, PassCounters counters,
        PageTally tally, CancellationToken cancellationToken)
    {
        var inScope = new List<Order>();
        foreach (var order in page.Records.OfType<Order>())
        {
            if (OrderRules.SkipReason(order, _options.OrderScope) is { } reason)
            {
                tally.Skip(order.Key, reason);
                continue;
            }

            inScope.Add(order);
        }

        // Orders with an unmapped status are quarantined by the destination; they contribute nothing until mapped.
        var mapped = inScope.Where(o => o.Status is not null).ToList();
        var facts = mapped.Select(OrderRules.Fact).OfType<OrderFact>().ToList();
        IReadOnlyList<CustomerSummary> summaries = facts.Count == 0 || pass.DryRun
            ? []
            : await _store.RecordOrderFactsAsync(facts, cancellationToken);
        var byCustomer = summaries.ToDictionary(s => s.CustomerId, StringComparer.Ordinal);

        var now = _time.GetUtcNow();
        // An event whose premise is already void is left out; the pass says so (outside the balance: it is not a source record).
        var voided = new List<string>();
        var events = mapped
            .SelectMany(o => OrderRules.Events(o, o.CustomerId is null ? null : byCustomer.GetValueOrDefault(o.CustomerId), now, _options.OrderScope, voided))
            .GroupBy(e => e.DedupeKey, StringComparer.Ordinal)
            .Select(g => g.First())
            .ToList();
        foreach (var reason in voided)
        {
            counters.AddNote(reason);
        }

        return
        [
            (EntityKind.Order, new SourcePage(inScope, page.LastKey, page.Rejected)),
            (EntityKind.CustomerSummary, new SourcePage(summaries.Cast<CanonicalRecord>().ToList(), null)),
            (EntityKind.Event, new SourcePage(events.Cast<CanonicalRecord>().ToList(), null)),
        ];
    }
}
