using Tributary.Connectors.Cin7Core.Api;
using Tributary.Core.Model;

namespace Tributary.Connectors.Cin7Core.Mapping;

/// <summary>Maps a Cin7 Core sale (detail) onto the canonical <see cref="Order"/>.</summary>
internal static class OrderMapper
{
    public static Order Map(SaleDto s, SaleListRowDto? row, Cin7CoreSourceOptions options)
    {
        var id = Wire.Key(s.Id, "ID");
        var modified = Wire.Time(s.LastModifiedOn) ?? Wire.RequiredTime(row?.Updated, "LastModifiedOn");
        var currency = (Wire.Trimmed(s.CustomerCurrency) ?? Wire.Trimmed(s.BaseCurrency)
                        ?? throw new UnmappableException($"sale {id} has no currency")).ToUpperInvariant();
        var placed = Wire.Time(s.SaleOrderDate) ?? Wire.Time(row?.OrderDate) ?? modified;
        var lines = Lines(s.Order?.Lines ?? [], currency, id);
        var status = Wire.Trimmed(s.Status) ?? Wire.Trimmed(row?.Status);

        return new Order
        {
            SourceId = id,
            OrderNumber = Wire.Trimmed(s.Order?.SaleOrderNumber) ?? Wire.Trimmed(row?.OrderNumber),
            CustomerId = Wire.Trimmed(s.CustomerId)?.ToLowerInvariant(),
            Email = Wire.Trimmed(s.Email),
            SourceStatus = status,
            Status = status is not null && options.StatusMap.TryGetValue(status, out var mapped) ? mapped : null,
            PaymentStatus = Wire.Trimmed(s.CombinedPaymentStatus),
            ShipmentState = ShipmentState(s.CombinedShippingStatus),
            Channel = Channel(Wire.Trimmed(s.SourceChannel) ?? Wire.Trimmed(row?.SourceChannel), options),
            Currency = currency,
            Lines = lines,
            Total = new Money(s.Order?.Total ?? lines.Sum(l => l.LineTotal.Amount), currency),
            Shipments = Shipments(s.Fulfilments ?? [], lines),
            Refunds = Refunds(s.CreditNotes ?? [], currency, modified),
            PlacedAt = placed,
            ModifiedAt = modified,
            SourceVersion = modified.ToUnixTimeMilliseconds(),
        };
    }

    /// <summary>The channel kind of a source channel: exact entry, else the longest entry it starts with.</summary>
    public static SalesChannelKind Channel(string? sourceChannel, Cin7CoreSourceOptions options)
    {
        if (sourceChannel is null)
        {
            return options.NoChannel;
        }

        if (options.ChannelMap.TryGetValue(sourceChannel, out var exact))
        {
            return exact;
        }

        var prefix = options.ChannelMap
            .Where(kv => sourceChannel.StartsWith(kv.Key, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(kv => kv.Key.Length)
            .Select(kv => (SalesChannelKind?)kv.Value)
            .FirstOrDefault();
        return prefix ?? options.UnmappedChannel;
    }

    /// <summary>
    /// Order lines carry no id in Cin7 Core, so the line id is the SKU (with <c>#2</c>, <c>#3</c>… for repeats of one SKU);
    /// fulfilment lines name SKUs, which is how shipments find their lines.
    /// </summary>
    private static List<OrderLine> Lines(IReadOnlyList<SaleLineDto> lines, string currency, string id)
    {
        var result = new List<OrderLine>(lines.Count);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var l in lines)
        {
            var sku = Wire.Trimmed(l.Sku) ?? throw new UnmappableException($"sale {id} has a line without a SKU");
            seen[sku] = seen.GetValueOrDefault(sku) + 1;
            var lineId = seen[sku] == 1 ? sku : $"{sku}#{seen[sku]}";
            // Discount is a percentage of the line in Cin7 Core (unconfirmed); the amount is derived from it.
            var discount = l.Discount > 0 ? MoneyRounding.Round(l.Price * l.Quantity * l.Discount / 100m, 4) : 0;
            result.Add(new OrderLine(lineId, sku, Wire.Trimmed(l.ProductId)?.ToLowerInvariant(), l.Quantity, new Money(l.Price, currency),
                new Money(l.Total, currency), discount > 0 ? new Money(discount, currency) : null, Wire.Trimmed(l.Name)));
        }

        return result;
    }

    /// <summary>One shipment per fulfilment whose ship stage has a shipped line; its lines are the packed (else picked) quantities.</summary>
    private static List<Shipment> Shipments(IReadOnlyList<FulfilmentDto> fulfilments, List<OrderLine> lines)
    {
        var shipments = new List<Shipment>();
        for (var i = 0; i < fulfilments.Count; i++)
        {
            var f = fulfilments[i];
            var shipped = (f.Ship?.Lines ?? []).Where(l => l.IsShipped).ToList();
            if (shipped.Count == 0 && !string.Equals(f.Ship?.Status, "AUTHORISED", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var items = (f.Pack?.Lines is { Count: > 0 } packed ? packed : f.Pick?.Lines ?? [])
                .Where(l => Wire.Trimmed(l.Sku) is not null)
                .GroupBy(l => l.Sku!.Trim(), StringComparer.OrdinalIgnoreCase)
                .Select(g => new ShipmentLine(lines.FirstOrDefault(l => string.Equals(l.Sku, g.Key, StringComparison.OrdinalIgnoreCase))?.LineId ?? g.Key,
                    g.Sum(l => l.Quantity)))
                .ToList();
            var first = shipped.FirstOrDefault(l => Wire.Trimmed(l.TrackingNumber) is not null) ?? shipped.FirstOrDefault();
            var shippedAt = shipped.Select(l => Wire.Time(l.ShipmentDate)).Where(t => t is not null).Max();
            var number = Wire.Trimmed(f.FulfillmentNumber) ?? Wire.Trimmed(f.TaskId) ?? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            shipments.Add(new Shipment(number, items, shippedAt, Wire.Trimmed(first?.Carrier), Wire.Trimmed(first?.TrackingNumber),
                Wire.Trimmed(first?.TrackingUrl)));
        }

        return shipments;
    }

    private static List<Refund> Refunds(IReadOnlyList<CreditNoteDto> notes, string currency, DateTimeOffset modified) =>
        notes.Where(n => string.Equals(n.Status, "AUTHORISED", StringComparison.OrdinalIgnoreCase) && n.Total is > 0)
            .Select((n, i) => new Refund(Wire.Trimmed(n.CreditNoteNumber) ?? Wire.Trimmed(n.TaskId) ?? $"CN{i + 1}", [],
                new Money(n.Total!.Value, currency), Wire.Time(n.CreditNoteDate) ?? modified))
            .ToList();

    /// <summary>Cin7 Core's combined shipping status in the canonical spelling (<c>Shipped</c>, <c>Partial</c>); others as given.</summary>
    private static string? ShipmentState(string? combined) => Wire.Trimmed(combined)?.ToUpperInvariant() switch
    {
        null => null,
        "SHIPPED" => "Shipped",
        "PARTIALLY SHIPPED" => "Partial",
        "NOT SHIPPED" or "NOT AVAILABLE" => null,
        _ => Wire.Trimmed(combined),
    };
}
