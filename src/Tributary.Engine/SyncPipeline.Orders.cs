using Microsoft.Extensions.Logging;
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
    /// history, and derives the customer summaries and lifecycle events the page implies. Each comes back as its own page. First
    /// and repeat purchase need the customer's whole history: during a sweep they wait in <paramref name="purchases"/> until the
    /// read is complete (a customer's orders arrive in id order, not time order); a re-read decides them at once.
    /// </summary>
    private async Task<List<(EntityKind, SourcePage)>> ExpandOrdersAsync(SourcePage page, PassOptions pass, PassCounters counters,
        PageTally tally, PendingPurchases? purchases, CancellationToken cancellationToken)
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

        var now = _time.GetUtcNow();
        // An event whose premise is already void is left out; the pass says so (outside the balance: it is not a source record).
        var voided = new List<string>();
        var events = mapped.SelectMany(o => OrderRules.Events(o, now, _options.OrderScope, voided)).ToList();
        if (!pass.DryRun)
        {
            var candidates = mapped.Where(o => IsPurchaseCandidate(o, now)).ToList();
            if (purchases is not null)
            {
                purchases.Add(candidates);
            }
            else if (candidates.Count > 0)
            {
                events.AddRange(await DecidePurchasesAsync(candidates, summaries, voided, cancellationToken));
            }
        }

        foreach (var reason in voided)
        {
            counters.AddNote(reason);
        }

        var unique = events.GroupBy(e => e.DedupeKey, StringComparer.Ordinal).Select(g => g.First()).Cast<CanonicalRecord>().ToList();
        return
        [
            (EntityKind.Order, new SourcePage(inScope, page.LastKey, page.Rejected)),
            (EntityKind.CustomerSummary, new SourcePage(summaries.Cast<CanonicalRecord>().ToList(), null)),
            (EntityKind.Event, new SourcePage(unique, null)),
        ];
    }

    private bool IsPurchaseCandidate(Order order, DateTimeOffset now) =>
        order.CustomerId is not null && order.Status is not null and not OrderStatus.Cancelled && order.PlacedAt >= now - _options.OrderScope.EventHorizon;

    /// <summary>
    /// First and repeat purchase for the given orders, from each customer's whole recorded history and the first purchase
    /// decided before (kept as rule state, so a decision never changes: no order carries both, no customer gets two).
    /// </summary>
    private async Task<List<CommerceEvent>> DecidePurchasesAsync(IReadOnlyList<Order> orders, IReadOnlyList<CustomerSummary> summaries,
        List<string> notes, CancellationToken cancellationToken)
    {
        var events = new List<CommerceEvent>();
        var byCustomer = orders.GroupBy(o => o.CustomerId!, StringComparer.Ordinal).ToList();
        var summaryOf = summaries.ToDictionary(s => s.CustomerId, StringComparer.Ordinal);
        var decided = await _store.GetRuleStateAsync(FirstPurchaseDecision.Rule, EntityKind.Customer,
            byCustomer.Select(g => g.Key).ToList(), cancellationToken);
        var made = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        var now = _time.GetUtcNow();
        foreach (var group in byCustomer)
        {
            if (!summaryOf.TryGetValue(group.Key, out var summary))
            {
                continue;
            }

            var (found, decision) = OrderRules.PurchaseEvents(group.ToList(), summary,
                FirstPurchaseDecision.FromState(decided.GetValueOrDefault(group.Key)), now, _options.OrderScope, notes);
            events.AddRange(found);
            if (decision is not null)
            {
                made[group.Key] = decision.ToState();
            }
        }

        // Kept before the events are staged: a crash in between re-decides the same way from the same state.
        if (made.Count > 0)
        {
            await _store.SaveRuleStateAsync(FirstPurchaseDecision.Rule, EntityKind.Customer, made, now, cancellationToken);
        }

        return events;
    }

    /// <summary>
    /// Stages the first and repeat purchases a sweep held back until its order read was complete. Orders held by a crashed
    /// pass (their keys are kept in the cursor) are re-read; summaries are taken again, so each decision sees the whole history.
    /// </summary>
    private async Task StagePurchasesAsync(PendingPurchases purchases, PassOptions pass, PassCounters counters, Doorbell doorbell,
        CancellationToken cancellationToken)
    {
        var orders = new List<Order>(purchases.Orders);
        foreach (var key in purchases.Resumed)
        {
            try
            {
                if (await _source.GetAsync(EntityKind.Order, key, cancellationToken) is Order order && IsPurchaseCandidate(order, _time.GetUtcNow()))
                {
                    orders.Add(order);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning("Re-reading order {Key} for its first or repeat purchase failed: {Reason}", key, OneLine(ex.Message));
                counters.AddNote($"first or repeat purchase of an order not decided: it could not be re-read ({OneLine(ex.Message)})");
            }
        }

        if (orders.Count == 0)
        {
            return;
        }

        var summaries = await _store.RecordOrderFactsAsync(orders.Select(OrderRules.Fact).OfType<OrderFact>().ToList(), cancellationToken);
        var notes = new List<string>();
        var events = await DecidePurchasesAsync(orders, summaries, notes, cancellationToken);
        foreach (var note in notes)
        {
            counters.AddNote(note);
        }

        var upserts = new List<OutboxEntry>();
        var removes = new List<(string, EntityKind, string, long)>();
        var page = new SourcePage(events.Cast<CanonicalRecord>().ToList(), null);
        foreach (var target in _destinations.Where(d => d.Connector.Supports(EntityKind.Event)))
        {
            await DiffPageAsync(target, EntityKind.Event, page, pass, counters, new PageTally(), new DryRunPlan(), upserts, removes, cancellationToken);
        }

        await _store.StageAsync(new StageBatch(upserts, removes), cancellationToken);
        foreach (var group in upserts.Where(u => u.Status == OutboxStatus.Pending).GroupBy(u => u.Destination))
        {
            doorbell.Ring(group.Key, EntityKind.Event, group.Count());
        }
    }
}

/// <summary>Orders of a sweep whose first or repeat purchase waits until the order read is complete.</summary>
internal sealed class PendingPurchases(IReadOnlyList<string>? resumed)
{
    private readonly Dictionary<string, Order> _orders = new(StringComparer.Ordinal);

    /// <summary>Keys held by a crashed pass of the same window, whose orders are not in memory.</summary>
    public IReadOnlyList<string> Resumed => (resumed ?? []).Where(k => !_orders.ContainsKey(k)).ToList();

    /// <summary>The orders held in memory.</summary>
    public IEnumerable<Order> Orders => _orders.Values;

    /// <summary>Every key held, kept in the cursor with each page so a crashed pass still decides them.</summary>
    public IReadOnlyList<string>? Keys => _orders.Count == 0 && (resumed is null || resumed.Count == 0)
        ? null
        : _orders.Keys.Union(resumed ?? [], StringComparer.Ordinal).ToList();

    /// <summary>Whether anything waits.</summary>
    public bool Any => _orders.Count > 0 || resumed is { Count: > 0 };

    /// <summary>Holds the orders (a later read of the same order replaces the earlier one).</summary>
    public void Add(IEnumerable<Order> orders)
    {
        foreach (var order in orders)
        {
            _orders[order.SourceId] = order;
        }
    }
}
