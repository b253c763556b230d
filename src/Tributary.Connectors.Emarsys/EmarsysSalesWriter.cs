using System.Text;
using Tributary.Core.Contracts;
using Tributary.Core.Facts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// Orders as Smart Insight sales data: each sold, returned or cancelled line is a <see cref="SalesLine"/> fact, staged through
/// <see cref="FactCodec"/> and written as a CSV row of the configured layout only when the file is uploaded.
/// </summary>
internal sealed class EmarsysSalesWriter(EmarsysClient client, EmarsysDestinationOptions options, EmarsysSalesCsv layout)
{
    /// <summary>
    /// Projects an order onto sales-data facts: fact key → its <see cref="SalesLine"/>. Keys are built from source ids only, so they
    /// stay the same on every re-projection: <c>sale:{order}:{line}</c> per line, <c>cancel:{order}:{line}</c> per line of a
    /// cancelled order, <c>refund:{order}:{refund}:{line}</c> per refunded line, <c>refund:{order}:{refund}</c> per amount-only
    /// refund. Returns and cancellations are negative rows under the original order id (Emarsys has no corrections).
    /// </summary>
    public Projection Project(Order order)
    {
        if (order.Status is not { } status)
        {
            return Projection.Quarantine($"order status '{order.SourceStatus}' is not mapped");
        }

        if (options.SalesCurrency is { Length: > 0 } currency && !string.Equals(order.Currency, currency, StringComparison.OrdinalIgnoreCase))
        {
            return Projection.Quarantine($"order currency {order.Currency} is not the sales-data currency {currency.ToUpperInvariant()}");
        }

        if (BuyerOf(order, out var buyer) is { } reason)
        {
            return Projection.Quarantine(reason);
        }

        var orderId = string.IsNullOrWhiteSpace(order.OrderNumber) ? order.SourceId : order.OrderNumber.Trim();
        var lines = new Dictionary<string, OrderLine>(StringComparer.Ordinal);
        var facts = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var line in order.Lines)
        {
            if (string.IsNullOrWhiteSpace(line.Sku))
            {
                return Projection.Quarantine($"order line {line.LineId} has no SKU (the sales-data item)");
            }

            if (!lines.TryAdd(line.LineId, line))
            {
                return Projection.Quarantine($"order line id {line.LineId} appears twice");
            }

            facts[$"sale:{order.SourceId}:{line.LineId}"] = Line(orderId, order.PlacedAt, buyer, line.Sku, line.LineTotal.Amount, line.Quantity);
        }

        var refunded = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var refund in order.Refunds)
        {
            if (refund.Lines.Count == 0)
            {
                // A payment refund of a cancelled order is the money going back: the cancellation rows already take the
                // revenue out, so a refund row as well would take it out twice.
                if (status != OrderStatus.Cancelled)
                {
                    facts[$"refund:{order.SourceId}:{refund.RefundId}"] =
                        Line(orderId, refund.At, buyer, options.RefundItem, -refund.Amount.Amount, EmarsysDestination.AmountOnlyRefundQuantity);
                }

                continue;
            }

            foreach (var returned in refund.Lines)
            {
                if (!lines.TryGetValue(returned.LineId, out var line))
                {
                    return Projection.Quarantine($"refund {refund.RefundId} returns line {returned.LineId}, which the order does not have");
                }

                var total = refunded.GetValueOrDefault(returned.LineId) + returned.Quantity;
                if (returned.Quantity <= 0 || total > line.Quantity)
                {
                    return Projection.Quarantine($"refund {refund.RefundId} returns {returned.Quantity} of line {returned.LineId}, "
                        + $"which has {line.Quantity} ({total - returned.Quantity} returned before)");
                }

                refunded[returned.LineId] = total;
                facts[$"refund:{order.SourceId}:{refund.RefundId}:{returned.LineId}"] =
                    Line(orderId, refund.At, buyer, line.Sku, -NetAmount(line, returned.Quantity), -returned.Quantity);
            }
        }

        if (status == OrderStatus.Cancelled)
        {
            // The model has no cancellation time: the last change of a cancelled order is the closest to it.
            var cancelledAt = order.ModifiedAt > order.PlacedAt ? order.ModifiedAt : order.PlacedAt;
            foreach (var line in order.Lines)
            {
                // What was returned before the cancellation has its own negative rows already.
                var remaining = line.Quantity - refunded.GetValueOrDefault(line.LineId);
                if (remaining > 0)
                {
                    facts[$"cancel:{order.SourceId}:{line.LineId}"] =
                        Line(orderId, cancelledAt, buyer, line.Sku, -NetAmount(line, remaining), -remaining);
                }
            }
        }

        var dependsOn = buyer.CustomerId is { } customerId ? new DependencyKey(EntityKind.Customer, customerId) : (DependencyKey?)null;
        return new Projection(facts, DependsOn: dependsOn);
    }

    /// <summary>
    /// Sends the facts of every item in ONE upload: Emarsys cannot de-duplicate rows, so a partly sent batch could not be retried
    /// safely. A failed upload throws (the engine retries the whole batch, none of it having been accepted). A fact staged by an
    /// earlier version is a finished CSV row and goes in as it is when it fits the layout.
    /// </summary>
    public async Task<DeliveryResult> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var csv = new StringBuilder(layout.Header.Length + 1 + (items.Count * 160)).Append(layout.Header).Append('\n');
        var rows = 0;
        var lines = new List<(SalesLine? Line, string? Row)>();
        foreach (var item in items)
        {
            lines.Clear();
            string? problem = null;
            foreach (var value in item.Changes.Values)
            {
                if (value is null)
                {
                    continue;
                }

                if (FactCodec.TryDecode<SalesLine>(value, out var line))
                {
                    problem ??= layout.Fits(line) ? null : $"a sales line of {line.Order} has no value for the column layout '{layout.Header}'; replay the order";
                    lines.Add((line, null));
                }
                else if (!FactCodec.IsEncoded(value) && layout.Fits(value))
                {
                    lines.Add((null, value));
                }
                else
                {
                    problem ??= FactCodec.IsEncoded(value)
                        ? "a sales fact is not readable; replay the order"
                        : $"sales rows were projected for another column layout than '{layout.Header}'; replay the order";
                }
            }

            if (problem is not null)
            {
                failures[item.Key] = new ItemFailure(FailureKind.Invalid, null, problem);
                continue;
            }

            foreach (var (line, row) in lines)
            {
                (line is null ? csv.Append(row) : layout.AppendRow(csv, line)).Append('\n');
                rows++;
            }
        }

        if (rows > 0)
        {
            await client.UploadSalesDataAsync(csv.ToString(), cancellationToken);
        }

        return new DeliveryResult(failures);
    }

    /// <summary>Who bought: the customer id for the customer column, else the normalised order email.</summary>
    private string? BuyerOf(Order order, out Buyer buyer)
    {
        buyer = default;
        var customerId = string.IsNullOrWhiteSpace(order.CustomerId) ? null : order.CustomerId.Trim();
        if (customerId is not null && options.SalesCustomerColumn == EmarsysSalesIdentity.Customer)
        {
            buyer = new Buyer(customerId, customerId, null);
            return null;
        }

        if (!layout.HasEmail)
        {
            return "guest order without a customer id: the sales data is keyed by customer (set SalesGuestsByEmail to send guests by email)";
        }

        if (!EmailRule.TryNormalize(order.Email, out var email, out var reason))
        {
            return reason ?? "invalid email address";
        }

        buyer = new Buyer(customerId, null, email);
        return null;
    }

    private static string Line(string orderId, DateTimeOffset at, Buyer buyer, string item, decimal price, decimal quantity) =>
        FactCodec.Encode(new SalesLine(orderId, at, buyer.Column, buyer.Email, item, price, quantity));

    /// <summary>
    /// The line's value for part of its quantity: its total after discounts, pro rata. The unit price before discounts would take
    /// back more than the sale row booked when a discounted line is returned in full.
    /// </summary>
    private static decimal NetAmount(OrderLine line, decimal quantity)
    {
        if (quantity == line.Quantity)
        {
            return line.LineTotal.Amount;
        }

        return line.Quantity == 0
            ? line.UnitPrice.Amount * quantity
            : MoneyRounding.Round(line.LineTotal.Amount / line.Quantity * quantity, 4);
    }

    /// <param name="CustomerId">The source customer id, when the order has one (the contact to wait for).</param>
    /// <param name="Column">The value of the customer column, or null to write the email column.</param>
    /// <param name="Email">The normalised order email, when the row goes by email.</param>
    private readonly record struct Buyer(string? CustomerId, string? Column, string? Email);
}
