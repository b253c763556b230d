using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Core.Rules;

/// <summary>Which orders reach marketing. Default: direct-to-consumer only.</summary>
public sealed class OrderScopeOptions
{
    /// <summary>Sales channels whose orders are synced.</summary>
    public IReadOnlySet<SalesChannelKind> Channels { get; init; } = new HashSet<SalesChannelKind> { SalesChannelKind.Dtc };

    /// <summary>Stores whose orders are never synced.</summary>
    public IReadOnlySet<string> ExcludeStores { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lifecycle events older than this are not triggered (a backfill of old orders must not start journeys).</summary>
    public TimeSpan EventHorizon { get; init; } = TimeSpan.FromHours(24);
}

/// <summary>Pure rules over orders: scope, history facts, lifecycle events.</summary>
public static class OrderRules
{
    /// <summary>Why a paid order that is already cancelled sends no OrderPaid.</summary>
    public const string VoidedPaid = "OrderPaid not sent: the order is already cancelled";

    /// <summary>
    /// A customer's summary from their order facts in time order (each order's net value after refunds and cancellations, its
    /// currency, and whether it counts as a purchase): count, lifetime and average value in the latest counted currency, first
    /// and last order date. Every state store computes it by this one rule.
    /// </summary>
    public static CustomerSummary Summarise(string customer, IReadOnlyList<(DateTimeOffset At, decimal Net, string Currency, bool Counted)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var counted = rows.Where(r => r.Counted).ToList();
        var currency = counted.Count > 0 ? counted[^1].Currency : rows[^1].Currency;
        var inCurrency = counted.Where(r => r.Currency == currency).ToList();
        var value = inCurrency.Sum(r => r.Net);
        return new CustomerSummary
        {
            CustomerId = customer,
            OrderCount = counted.Count,
            LifetimeValue = value,
            AverageOrderValue = inCurrency.Count == 0 ? 0 : MoneyRounding.Round(value / inCurrency.Count),
            Currency = currency,
            FirstOrderAt = counted.Count == 0 ? null : counted[0].At,
            LastOrderAt = counted.Count == 0 ? null : counted[^1].At,
            ModifiedAt = rows.Max(r => r.At),
            SourceVersion = 0,
        };
    }

    /// <summary>Why an order is not synced, or null when it is in scope.</summary>
    public static string? SkipReason(Order order, OrderScopeOptions scope)
    {
        if (!scope.Channels.Contains(order.Channel))
        {
            return $"{order.Channel.ToString().ToLowerInvariant()} order (only {string.Join(", ", scope.Channels).ToLowerInvariant()} orders are synced)";
        }

        if (order.Store is { } store && scope.ExcludeStores.Contains(store))
        {
            return $"store '{store}' is excluded";
        }

        return string.IsNullOrWhiteSpace(order.Email) && order.CustomerId is null ? "order without an email or customer" : null;
    }

    /// <summary>The order's contribution to its customer's history; null for guest orders.</summary>
    public static OrderFact? Fact(Order order)
    {
        if (order.CustomerId is null)
        {
            return null;
        }

        var cancelled = order.Status == OrderStatus.Cancelled;
        var refunded = order.Refunds.Where(r => r.Amount.Currency == order.Total.Currency).Sum(r => r.Amount.Amount);
        var net = cancelled ? 0 : Math.Max(0, order.Total.Amount - refunded);
        return new OrderFact(order.CustomerId, order.SourceId, order.PlacedAt, net, order.Total.Currency ?? order.Currency, !cancelled);
    }

    /// <summary>
    /// The lifecycle events an order implies, each with a stable dedupe key (one per shipment, one per refund). Events older than
    /// the horizon are left out. First and repeat purchase are not among them: they depend on the customer's whole history and
    /// are decided once by <see cref="PurchaseEvents"/>. An event whose premise the order already voids (paid, for an order
    /// already cancelled) is not sent: its reason goes to <paramref name="voided"/>, so the pass can say why.
    /// </summary>
    public static IReadOnlyList<CommerceEvent> Events(Order order, DateTimeOffset now, OrderScopeOptions scope, ICollection<string>? voided = null)
    {
        var events = new List<CommerceEvent>();
        if (order.CustomerId is null)
        {
            return events;
        }

        var horizon = now - scope.EventHorizon;
        void Add(CommerceEventType type, string dedupe, DateTimeOffset at, IReadOnlyDictionary<string, string?>? extra = null)
        {
            if (at >= horizon)
            {
                events.Add(OrderEvent(order, type, dedupe, at, extra));
            }
        }

        Add(CommerceEventType.OrderPlaced, $"OrderPlaced:{order.SourceId}", order.PlacedAt);
        if (order.Status is OrderStatus.Paid or OrderStatus.Completed || string.Equals(order.PaymentStatus, "Paid", StringComparison.OrdinalIgnoreCase))
        {
            if (order.Status == OrderStatus.Cancelled)
            {
                // Paid and cancelled by the time it is read: a "thank you for paying" journey would start for an order that is void.
                if (order.ModifiedAt >= horizon)
                {
                    voided?.Add(VoidedPaid);
                }
            }
            else
            {
                Add(CommerceEventType.OrderPaid, $"OrderPaid:{order.SourceId}", order.ModifiedAt);
            }
        }

        foreach (var shipment in order.Shipments)
        {
            Add(CommerceEventType.ShipmentDispatched, $"ShipmentDispatched:{order.SourceId}:{shipment.ShipmentId}", shipment.ShippedAt ?? order.ModifiedAt,
                new Dictionary<string, string?>
                {
                    ["shipmentId"] = shipment.ShipmentId,
                    ["carrier"] = shipment.Carrier,
                    ["trackingNumber"] = shipment.TrackingNumber,
                    ["trackingUrl"] = shipment.TrackingUrl,
                    ["items"] = shipment.Lines.Sum(l => l.Quantity).ToString("0.##", CultureInfo.InvariantCulture),
                });
        }

        if (string.Equals(order.ShipmentState, "Delivered", StringComparison.OrdinalIgnoreCase))
        {
            Add(CommerceEventType.OrderDelivered, $"OrderDelivered:{order.SourceId}", order.ModifiedAt);
        }

        if (order.Status == OrderStatus.Cancelled)
        {
            Add(CommerceEventType.OrderCancelled, $"OrderCancelled:{order.SourceId}", order.ModifiedAt);
        }

        foreach (var refund in order.Refunds)
        {
            Add(CommerceEventType.RefundIssued, $"RefundIssued:{order.SourceId}:{refund.RefundId}", refund.At,
                new Dictionary<string, string?>
                {
                    ["refundId"] = refund.RefundId,
                    ["refundAmount"] = MoneyRounding.Format(refund.Amount.Amount),
                });
        }

        return events;
    }

    /// <summary>Why an order read after its customer's first purchase was decided, but placed before it, gets neither event.</summary>
    public const string EarlierThanFirst =
        "FirstPurchase/RepeatPurchase not sent: the order was placed before the order already sent as the customer's first purchase";

    /// <summary>
    /// First and repeat purchase for orders of one customer, decided by order time across the customer's whole history, once.
    /// <paramref name="summary"/> is that history including these orders; <paramref name="decided"/> is the first purchase
    /// decided before (null when none was). The order placed at the history's first order time is the first purchase (ties
    /// go to the lowest id); every order placed after it is a repeat purchase. Once a first purchase is decided it stands: an
    /// order read later that was placed before it gets neither event (its reason goes to <paramref name="notes"/>), so no
    /// order ever carries both and no customer gets two first purchases. Orders that are cancelled, guest orders and
    /// orders older than the horizon get none. Returns the events and the decision to keep, when a new one was made.
    /// </summary>
    public static (IReadOnlyList<CommerceEvent> Events, FirstPurchaseDecision? Decision) PurchaseEvents(IReadOnlyList<Order> orders,
        CustomerSummary summary, FirstPurchaseDecision? decided, DateTimeOffset now, OrderScopeOptions scope, ICollection<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(scope);
        var horizon = now - scope.EventHorizon;
        var candidates = orders
            .Where(o => o.CustomerId == summary.CustomerId && o.Status is not null and not OrderStatus.Cancelled && o.PlacedAt >= horizon)
            .OrderBy(o => o.PlacedAt)
            .ThenBy(o => o.SourceId, StringComparer.Ordinal)
            .ToList();
        var events = new List<CommerceEvent>();
        FirstPurchaseDecision? made = null;
        var first = decided;
        if (first is null && summary.FirstOrderAt is { } firstAt)
        {
            // The first order is one of these, or an older one already in the history (its own read decided it).
            first = candidates.FirstOrDefault(o => SameInstant(o.PlacedAt, firstAt)) is { } match
                ? made = new FirstPurchaseDecision(match.SourceId, match.PlacedAt)
                : new FirstPurchaseDecision(null, firstAt);
        }

        if (first is null)
        {
            return (events, null);
        }

        foreach (var order in candidates)
        {
            if (order.SourceId == first.OrderId)
            {
                events.Add(OrderEvent(order, CommerceEventType.FirstPurchase, $"FirstPurchase:{order.CustomerId}", order.PlacedAt));
            }
            else if (order.PlacedAt > first.PlacedAt || (first.OrderId is not null && SameInstant(order.PlacedAt, first.PlacedAt)))
            {
                events.Add(OrderEvent(order, CommerceEventType.RepeatPurchase, $"RepeatPurchase:{order.SourceId}", order.PlacedAt));
            }
            else
            {
                notes?.Add(EarlierThanFirst);
            }
        }

        return (events, made);
    }

    private static bool SameInstant(DateTimeOffset a, DateTimeOffset b) => Math.Abs((a - b).TotalMilliseconds) < 1;

    private static CommerceEvent OrderEvent(Order order, CommerceEventType type, string dedupe, DateTimeOffset at,
        IReadOnlyDictionary<string, string?>? extra = null)
    {
        var data = new Dictionary<string, string?>
        {
            ["orderNumber"] = order.OrderNumber ?? order.SourceId,
            ["total"] = MoneyRounding.Format(order.Total.Amount),
            ["currency"] = order.Total.Currency ?? order.Currency,
            ["lines"] = string.Join("; ", order.Lines.Take(10).Select(l =>
                $"{l.Quantity.ToString("0.##", CultureInfo.InvariantCulture)} x {l.Name ?? l.Sku}")),
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            data[k] = v;
        }

        return new CommerceEvent
        {
            Type = type,
            DedupeKey = dedupe,
            CustomerId = order.CustomerId,
            SubjectId = order.SourceId,
            OccurredAt = at,
            ModifiedAt = order.ModifiedAt,
            SourceVersion = order.SourceVersion,
            Data = data,
        };
    }
}

/// <summary>The order decided as a customer's first purchase (null id: an older order of the history, decided by its own read).</summary>
public sealed record FirstPurchaseDecision(string? OrderId, DateTimeOffset PlacedAt)
{
    /// <summary>The rule-state name under which decisions are kept per customer.</summary>
    public const string Rule = "first-purchase";

    /// <summary>The decision as rule state.</summary>
    public IReadOnlyDictionary<string, string?> ToState() => new Dictionary<string, string?>
    {
        ["order"] = OrderId,
        ["placedAt"] = PlacedAt.ToString("O", CultureInfo.InvariantCulture),
    };

    /// <summary>A decision from rule state; null when the state is absent or unreadable.</summary>
    public static FirstPurchaseDecision? FromState(IReadOnlyDictionary<string, string?>? state) =>
        state is not null && state.TryGetValue("order", out var order) && order is not null
        && state.TryGetValue("placedAt", out var at)
        && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var placedAt)
            ? new FirstPurchaseDecision(order, placedAt)
            : null;
}
