using System.Text.Json;
using Tributary.Connectors.Commercetools.Api;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Commercetools;

/// <summary>Maps a commercetools Order (payments expanded) onto the canonical <see cref="Order"/>, or says why it cannot.</summary>
internal static partial class OrderMapper
{
    private const string HighPrecisionType = "highPrecision";

    public static Order? Map(OrderDto o, CommercetoolsSourceOptions options, out string? reason)
    {
        reason = null;
        try
        {
            return MapOrThrow(o, options);
        }
        catch (Unmappable e)
        {
            reason = e.Message;
            return null;
        }
    }

    /// <summary>A masked summary of a record for the quarantine trace: no personal value appears in full.</summary>
    public static string Summarize(OrderDto? o, string? id) => o is null
        ? $"id={id}"
        : $"id={o.Id}, version={o.Version}, orderNumber={o.OrderNumber}, orderState={o.OrderState}, customerEmail={Masking.Email(o.CustomerEmail)}, "
          + $"lines={o.LineItems?.Count ?? 0}, lastModifiedAt={o.LastModifiedAt:O}";

    private static Order MapOrThrow(OrderDto o, CommercetoolsSourceOptions options)
    {
        if (string.IsNullOrEmpty(o.Id))
        {
            throw new Unmappable("the record has no id");
        }

        var total = ReadMoney(o.TotalPrice, "totalPrice", currency: null);
        var currency = total.Currency;
        var gross = o.TaxedPrice?.TotalGross is { } g ? ReadMoney(g, "taxedPrice.totalGross", currency) : (Money?)null;
        var lines = Lines(o, options, currency);
        var lineIds = lines.Select(l => l.LineId).ToHashSet(StringComparer.Ordinal);

        return new Order
        {
            SourceId = o.Id,
            SourceVersion = o.Version,
            ModifiedAt = o.LastModifiedAt,
            OrderNumber = o.OrderNumber,
            CustomerId = string.IsNullOrEmpty(o.CustomerId) ? null : o.CustomerId,
            Email = string.IsNullOrWhiteSpace(o.CustomerEmail) ? null : o.CustomerEmail,
            SourceStatus = o.OrderState,
            Status = o.OrderState is { } state && options.OrderStatusMap.TryGetValue(state, out var status) ? status : null,
            PaymentStatus = o.PaymentState,
            ShipmentState = o.ShipmentState,
            Store = o.Store?.Key,
            Channel = Channel(o, options),
            Currency = currency,
            Lines = lines,
            Total = gross ?? total,
            Shipments = Shipments(o, lineIds),
            Refunds = Refunds(o, currency, lineIds),
            PlacedAt = o.CompletedAt ?? o.CreatedAt,
        };
    }

    private static List<OrderLine> Lines(OrderDto o, CommercetoolsSourceOptions options, string currency)
    {
        var lines = new List<OrderLine>(o.LineItems?.Count ?? 0);
        foreach (var item in o.LineItems ?? [])
        {
            if (string.IsNullOrEmpty(item.Id))
            {
                throw new Unmappable("a line item has no id");
            }

            if (string.IsNullOrWhiteSpace(item.Variant?.Sku))
            {
                throw new Unmappable($"line item {item.Id} has no SKU (variant.sku), and lines are keyed by SKU");
            }

            if (item.Quantity < 0)
            {
                throw new Unmappable($"line item {item.Id} has a negative quantity ({item.Quantity})");
            }

            var unit = ReadMoney(item.Price?.Value, $"lineItems[{item.Id}].price.value", currency);
            var lineTotal = ReadMoney(item.TotalPrice, $"lineItems[{item.Id}].totalPrice", currency);
            lines.Add(new OrderLine(item.Id, item.Variant!.Sku!, item.ProductId, item.Quantity, unit, lineTotal,
                Discount(item, unit, currency), Name(item.Name, options.Locale)));
        }

        return lines;
    }

    /// <summary>Σ quantity × (unit price − discounted unit price) over <c>discountedPricePerQuantity</c>; null without discounts.</summary>
    private static Money? Discount(LineItemDto item, Money unit, string currency)
    {
        if (item.DiscountedPricePerQuantity is not { Count: > 0 } parts)
        {
            return null;
        }

        var discount = 0m;
        foreach (var part in parts)
        {
            var discounted = ReadMoney(part.DiscountedPrice?.Value, $"lineItems[{item.Id}].discountedPricePerQuantity.discountedPrice.value", currency);
            discount += part.Quantity * (unit.Amount - discounted.Amount);
        }

        return discount == 0 ? null : new Money(discount, currency);
    }

    private static string? Name(IReadOnlyDictionary<string, string>? names, string? locale)
    {
        if (names is not { Count: > 0 })
        {
            return null;
        }

        return locale is not null && names.TryGetValue(locale, out var name) ? name : names.First().Value;
    }

    private static List<Shipment> Shipments(OrderDto o, HashSet<string> lineIds)
    {
        var shipments = new List<Shipment>();
        foreach (var delivery in o.ShippingInfo?.Deliveries ?? [])
        {
            if (string.IsNullOrEmpty(delivery.Id))
            {
                throw new Unmappable("a delivery has no id");
            }

            var lines = new List<ShipmentLine>();
            foreach (var item in delivery.Items ?? [])
            {
                if (item.Id is null || !lineIds.Contains(item.Id))
                {
                    throw new Unmappable($"delivery {delivery.Id} names a line item the order does not have ({item.Id ?? "no id"})");
                }

                lines.Add(new ShipmentLine(item.Id, item.Quantity));
            }

            var tracking = delivery.Parcels?.FirstOrDefault(p => p.TrackingData is not null)?.TrackingData;
            shipments.Add(new Shipment(delivery.Id, lines, delivery.CreatedAt, tracking?.Carrier, tracking?.TrackingId, TrackingUrl: null));
        }

        return shipments;
    }

    internal static Money ReadMoney(MoneyDto? money, string field, string? currency)
    {
        if (money is null)
        {
            throw new Unmappable($"{field} is missing");
        }

        if (money.CurrencyCode is not { Length: 3 } code)
        {
            throw new Unmappable($"{field} has no valid currencyCode");
        }

        if (money.FractionDigits is < 0 or > 10)
        {
            throw new Unmappable($"{field} has an impossible fractionDigits ({money.FractionDigits})");
        }

        // A high-precision price (product prices may be one) states its fractionDigits for preciseAmount: reading centAmount
        // with them would shrink the price by the extra digits (commercetools' example: centAmount 1, preciseAmount 123456,
        // fractionDigits 7 is €0.0123456, not €0.0000001).
        var value = string.Equals(money.Type, HighPrecisionType, StringComparison.Ordinal)
            ? money.PreciseAmount is { } precise
                ? Core.Model.Money.FromMinorUnits(precise, money.FractionDigits, code)
                : throw new Unmappable($"{field} is high-precision money without a preciseAmount")
            : Core.Model.Money.FromMinorUnits(money.CentAmount, money.FractionDigits, code);
        if (currency is not null && !string.Equals(value.Currency, currency, StringComparison.Ordinal))
        {
            throw new Unmappable($"{field} is in {value.Currency} but the order is in {currency}");
        }

        return value;
    }

    private static SalesChannelKind Channel(OrderDto o, CommercetoolsSourceOptions options)
    {
        if (options.ChannelField is { } field && o.Custom?.Fields is { } fields && fields.TryGetValue(field, out var value)
            && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
            return text?.Trim().ToLowerInvariant() switch
            {
                "dtc" => SalesChannelKind.Dtc,
                "marketplace" => SalesChannelKind.Marketplace,
                "wholesale" or "b2b" => SalesChannelKind.Wholesale,
                "pos" => SalesChannelKind.Pos,
                _ => throw new Unmappable(
                    $"custom field '{field}' holds '{text}', which is not a sales channel (expected dtc, marketplace, wholesale, b2b or pos)"),
            };
        }

        return o.Store?.Key is { } store && options.ChannelByStore.TryGetValue(store, out var kind) ? kind : SalesChannelKind.Dtc;
    }

    /// <summary>Why a record cannot be mapped; caught in <see cref="Map"/> and turned into a rejection reason.</summary>
    internal sealed class Unmappable(string message) : Exception(message);
}
