using System.Text.Json;
using Tributary.Core.Model;

namespace Tributary.Connectors.Centra.Mapping;

/// <summary>
/// Maps a Centra order node onto the canonical <see cref="Order"/>, keyed by the order number (webhooks and the ERP guide
/// address orders by number). Consent is never read from an order.
/// </summary>
internal static class OrderMapper
{
    public static Order Map(JsonElement o, CentraSourceOptions options)
    {
        var number = Node.Required(o, "number");
        var modified = Node.Time(o, "updatedAt") ?? Node.Time(o, "createdAt") ?? throw new UnmappableException("the order has no updatedAt");
        var total = Node.Money(o, "grandTotal", null) ?? throw new UnmappableException("the order has no grandTotal");
        var currency = total.Currency;
        var status = Node.Text(o, "status");
        var lines = Lines(o, currency);

        return new Order
        {
            SourceId = number,
            OrderNumber = number,
            SourceVersion = modified.ToUnixTimeMilliseconds(),
            ModifiedAt = modified,
            PlacedAt = Node.Time(o, "orderDate") ?? Node.Time(o, "createdAt") ?? modified,
            CustomerId = Node.Text(o, "customer", "id"),
            Email = Node.Text(o, "customer", "email") ?? Node.Text(o, "shippingAddress", "email") ?? Node.Text(o, "billingAddress", "email"),
            SourceStatus = status,
            Status = status is not null && options.StatusMap.TryGetValue(status, out var mapped) ? mapped : null,
            Channel = IsWholesale(o, options) ? SalesChannelKind.Wholesale : SalesChannelKind.Dtc,
            Store = Node.Text(o, "store", "name") ?? Node.Text(o, "store", "id"),
            Currency = currency,
            Total = total,
            Lines = lines,
            Shipments = Shipments(o),
            ShipmentState = ShipmentState(o, lines),
            Refunds = Refunds(o, currency, modified, options),
        };
    }

    private static bool IsWholesale(JsonElement o, CentraSourceOptions options) =>
        Node.Text(o, "__typename") == "WholesaleOrder"
        || (Node.Text(o, "store", "type") is { } type && options.WholesaleStoreTypes.Contains(type))
        || (Node.Text(o, "store", "id") is { } id && options.WholesaleStoreIds.Contains(id));

    private static List<OrderLine> Lines(JsonElement o, string currency)
    {
        var lines = new List<OrderLine>();
        foreach (var l in Node.List(o, "lines"))
        {
            var id = Node.Required(l, "id");
            var sku = Node.Text(l, "productSize", "SKU") ?? throw new UnmappableException($"order line {id} has no productSize.SKU");
            var quantity = Node.Decimal(l, "quantity") ?? 0;
            var unit = Node.Money(l, "unitPrice", currency) ?? new Money(0, currency);
            var lineValue = Node.Money(l, "lineValue", currency) ?? new Money(unit.Amount * quantity, currency);
            Money? discount = Node.Money(l, "unitOriginalPrice", currency) is { } original && original.Amount > unit.Amount
                ? new Money((original.Amount - unit.Amount) * quantity, currency)
                : null;
            lines.Add(new OrderLine(id, sku, Node.Text(l, "product", "id"), quantity, unit, lineValue, discount, Node.Text(l, "productName")));
        }

        return lines;
    }

    /// <summary>
    /// One shipment per shipped Centra shipment (a partial delivery is its own shipment), with the quantities it carries. A
    /// shipment still being packed is not a shipment yet: each canonical shipment starts a "dispatched" journey.
    /// </summary>
    private static List<Shipment> Shipments(JsonElement o)
    {
        var shipments = new List<Shipment>();
        foreach (var s in Node.List(o, "shipments").Where(s => Node.Bool(s, "isShipped")))
        {
            var id = Node.Text(s, "number") ?? Node.Required(s, "id");
            var lines = Node.List(s, "lines").Select(l => new ShipmentLine(Node.Required(l, "id"), Node.Decimal(l, "quantity") ?? 0)).ToList();
            var shippedAt = Node.Time(s, "shippedAt") ?? Node.Time(s, "createdAt");
            shipments.Add(new Shipment(id, lines, shippedAt, Node.Text(s, "carrierInformation", "carrierName"), Node.Text(s, "trackingNumber"), null));
        }

        return shipments;
    }

    /// <summary>Centra has no order-level shipment state: Shipped when every open quantity shipped, Partial when some did.</summary>
    private static string? ShipmentState(JsonElement o, List<OrderLine> lines)
    {
        var shipped = Node.List(o, "shipments").Where(s => Node.Bool(s, "isShipped"))
            .SelectMany(s => Node.List(s, "lines")).Sum(l => Node.Decimal(l, "quantity") ?? 0);
        if (shipped <= 0)
        {
            return null;
        }

        var cancelled = Node.List(o, "lines").Sum(l => Node.Decimal(l, "cancelledQuantity") ?? 0);
        return shipped >= lines.Sum(l => l.Quantity) - cancelled ? "Shipped" : "Partial";
    }

    private static List<Refund> Refunds(JsonElement o, string currency, DateTimeOffset modified, CentraSourceOptions options)
    {
        var refunds = new List<Refund>();
        foreach (var r in Node.List(o, "returns"))
        {
            if (!options.IncludePendingReturns && !Node.Bool(r, "isCompleted"))
            {
                continue;
            }

            var lines = Node.List(r, "lines").Select(l => new ShipmentLine(Node.Required(l, "id"), Node.Decimal(l, "quantity") ?? 0)).ToList();
            var amount = Node.Money(r, "refundValue", currency) ?? new Money(0, currency);
            refunds.Add(new Refund(Node.Required(r, "id"), lines, amount, Node.Time(r, "completedAt") ?? Node.Time(r, "createdAt") ?? modified));
        }

        return refunds;
    }
}
