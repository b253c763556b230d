using System.Text.Json;

namespace Tributary.Sandbox.Commercetools;

/// <summary>Writes orders and payments in the platform's wire shape straight to a <see cref="Utf8JsonWriter"/>.</summary>
internal static class OrderJson
{
    /// <summary>Writes an order; with <paramref name="payments"/> the payment references carry the expanded <c>obj</c>.</summary>
    public static void Write(Utf8JsonWriter w, SandboxOrder o, IReadOnlyDictionary<string, SandboxPayment>? payments)
    {
        w.WriteStartObject();
        w.WriteString("id", o.Id);
        w.WriteNumber("version", o.Version);
        CustomerJson.WriteTimestamp(w, "createdAt", o.CreatedAt);
        CustomerJson.WriteTimestamp(w, "lastModifiedAt", o.LastModifiedAt);
        if (o.CompletedAt is { } completed)
        {
            CustomerJson.WriteTimestamp(w, "completedAt", completed);
        }

        Optional(w, "orderNumber", o.OrderNumber);
        Optional(w, "customerId", o.CustomerId);
        Optional(w, "customerEmail", o.CustomerEmail);
        if (o.Store is not null)
        {
            w.WriteStartObject("store");
            w.WriteString("typeId", "store");
            w.WriteString("key", o.Store);
            w.WriteEndObject();
        }

        Optional(w, "country", o.Country);
        w.WriteString("origin", o.Origin);
        w.WriteString("orderState", o.OrderState);
        Optional(w, "paymentState", o.PaymentState);
        Optional(w, "shipmentState", o.ShipmentState);
        WriteMoney(w, "totalPrice", o.TotalPrice);
        if (o.TaxedPrice is { } taxed)
        {
            w.WriteStartObject("taxedPrice");
            WriteMoney(w, "totalNet", taxed.TotalNet);
            WriteMoney(w, "totalGross", taxed.TotalGross);
            WriteMoney(w, "totalTax", taxed.TotalGross with { CentAmount = taxed.TotalGross.CentAmount - taxed.TotalNet.CentAmount });
            w.WriteStartArray("taxPortions");
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteString("taxMode", "Platform");
        w.WriteString("inventoryMode", "None");
        w.WriteString("shippingMode", "Single");

        // Multiple-shipping carts fill "shipping"; single-shipping orders (these) answer it empty, as the schema requires it.
        w.WriteStartArray("shipping");
        w.WriteEndArray();
        w.WriteStartArray("lineItems");
        foreach (var line in o.LineItems)
        {
            WriteLineItem(w, line);
        }

        w.WriteEndArray();
        w.WriteStartArray("customLineItems");
        w.WriteEndArray();
        if (o.ShippingMethodName is not null || o.Deliveries.Count > 0)
        {
            WriteShippingInfo(w, o);
        }

        w.WriteStartArray("returnInfo");
        foreach (var info in o.ReturnInfo)
        {
            WriteReturnInfo(w, info);
        }

        w.WriteEndArray();
        if (o.PaymentIds.Count > 0)
        {
            w.WriteStartObject("paymentInfo");
            w.WriteStartArray("payments");
            foreach (var id in o.PaymentIds)
            {
                w.WriteStartObject();
                w.WriteString("typeId", "payment");
                w.WriteString("id", id);
                if (payments is not null && payments.TryGetValue(id, out var payment))
                {
                    w.WritePropertyName("obj");
                    WritePayment(w, payment);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        WriteCustom(w, o.CustomTypeId, o.CustomFields);
        w.WriteStartArray("syncInfo");
        w.WriteEndArray();
        w.WriteStartArray("refusedGifts");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WritePayment(Utf8JsonWriter w, SandboxPayment p)
    {
        w.WriteStartObject();
        w.WriteString("id", p.Id);
        w.WriteNumber("version", p.Version);
        CustomerJson.WriteTimestamp(w, "createdAt", p.CreatedAt);
        CustomerJson.WriteTimestamp(w, "lastModifiedAt", p.LastModifiedAt);
        WriteMoney(w, "amountPlanned", p.AmountPlanned);
        w.WriteStartObject("paymentMethodInfo");
        w.WriteString("paymentInterface", "sandbox-psp");
        w.WriteString("method", "card");
        w.WriteEndObject();
        // Required by the published Payment; the sandbox's payment service reports no status of its own.
        w.WriteStartObject("paymentStatus");
        w.WriteEndObject();
        w.WriteStartArray("transactions");
        foreach (var t in p.Transactions)
        {
            w.WriteStartObject();
            w.WriteString("id", t.Id);
            CustomerJson.WriteTimestamp(w, "timestamp", t.Timestamp);
            w.WriteString("type", t.Type);
            WriteMoney(w, "amount", t.Amount);
            w.WriteString("state", t.State);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("interfaceInteractions");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteLineItem(Utf8JsonWriter w, SandboxLineItem l)
    {
        w.WriteStartObject();
        w.WriteString("id", l.Id);
        w.WriteString("productId", l.ProductId);
        w.WriteStartObject("name");
        foreach (var (locale, text) in l.Name)
        {
            w.WriteString(locale, text);
        }

        w.WriteEndObject();
        w.WriteStartObject("productType");
        w.WriteString("typeId", "product-type");
        w.WriteString("id", "5d1c6e3a-7f0b-4b8e-9a51-0c2f4e7d9b13");
        w.WriteEndObject();
        w.WriteStartObject("variant");
        w.WriteNumber("id", l.VariantId);
        Optional(w, "sku", l.Sku);
        w.WriteStartArray("prices");
        w.WriteEndArray();
        w.WriteStartArray("images");
        w.WriteEndArray();
        w.WriteStartArray("attributes");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("price");
        w.WriteString("id", $"{l.Id}-price");
        WriteMoney(w, "value", l.Price);
        w.WriteEndObject();
        w.WriteNumber("quantity", l.Quantity);
        WriteMoney(w, "totalPrice", l.TotalPrice);
        w.WriteStartArray("discountedPricePerQuantity");
        if (l.DiscountedPrice is { } discounted)
        {
            w.WriteStartObject();
            w.WriteNumber("quantity", l.Quantity);
            w.WriteStartObject("discountedPrice");
            WriteMoney(w, "value", discounted);
            w.WriteStartArray("includedDiscounts");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("state");
        w.WriteEndArray();
        w.WriteString("priceMode", "Platform");
        w.WriteString("lineItemMode", "Standard");
        w.WriteStartArray("perMethodTaxRate");
        w.WriteEndArray();
        w.WriteStartArray("taxedPricePortions");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteFree(Utf8JsonWriter w, string name, string currency, int fractionDigits)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "centPrecision");
        w.WriteString("currencyCode", currency);
        w.WriteNumber("centAmount", 0);
        w.WriteNumber("fractionDigits", fractionDigits);
        w.WriteEndObject();
    }

    private static void WriteShippingInfo(Utf8JsonWriter w, SandboxOrder o)
    {
        w.WriteStartObject("shippingInfo");
        w.WriteString("shippingMethodName", o.ShippingMethodName ?? "Standard");
        w.WriteString("shippingMethodState", "MatchesCart");

        // The published ShippingInfo requires the price and the rate; the sandbox ships for free.
        WriteFree(w, "price", o.TotalPrice.CurrencyCode, o.TotalPrice.FractionDigits);
        w.WriteStartObject("shippingRate");
        WriteFree(w, "price", o.TotalPrice.CurrencyCode, o.TotalPrice.FractionDigits);
        w.WriteStartArray("tiers");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartArray("deliveries");
        foreach (var d in o.Deliveries)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            Optional(w, "key", d.Key);
            CustomerJson.WriteTimestamp(w, "createdAt", d.CreatedAt);
            w.WriteStartArray("items");
            foreach (var item in d.Items)
            {
                w.WriteStartObject();
                w.WriteString("id", item.LineItemId);
                w.WriteNumber("quantity", item.Quantity);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("parcels");
            foreach (var p in d.Parcels)
            {
                w.WriteStartObject();
                w.WriteString("id", p.Id);
                CustomerJson.WriteTimestamp(w, "createdAt", p.CreatedAt);
                if (p.Tracking is { } tracking)
                {
                    w.WriteStartObject("trackingData");
                    w.WriteString("trackingId", tracking.TrackingId);
                    w.WriteString("carrier", tracking.Carrier);
                    Optional(w, "provider", tracking.Provider);
                    w.WriteBoolean("isReturn", false);
                    w.WriteEndObject();
                }

                w.WriteStartArray("items");
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteReturnInfo(Utf8JsonWriter w, SandboxReturnInfo info)
    {
        w.WriteStartObject();
        Optional(w, "returnTrackingId", info.ReturnTrackingId);
        if (info.ReturnDate is { } date)
        {
            CustomerJson.WriteTimestamp(w, "returnDate", date);
        }

        w.WriteStartArray("items");
        foreach (var item in info.Items)
        {
            w.WriteStartObject();
            w.WriteString("type", "LineItemReturnItem");
            w.WriteString("id", item.Id);
            w.WriteString("lineItemId", item.LineItemId);
            w.WriteNumber("quantity", item.Quantity);
            w.WriteString("shipmentState", item.ShipmentState);
            w.WriteString("paymentState", item.PaymentState);
            CustomerJson.WriteTimestamp(w, "createdAt", item.CreatedAt);
            CustomerJson.WriteTimestamp(w, "lastModifiedAt", item.LastModifiedAt);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteMoney(Utf8JsonWriter w, string name, SandboxMoney money)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "centPrecision");
        w.WriteString("currencyCode", money.CurrencyCode);
        w.WriteNumber("centAmount", money.CentAmount);
        w.WriteNumber("fractionDigits", money.FractionDigits);
        w.WriteEndObject();
    }

    private static void WriteCustom(Utf8JsonWriter w, string? typeId, Dictionary<string, object?> fields)
    {
        if (typeId is null && fields.Count == 0)
        {
            return;
        }

        w.WriteStartObject("custom");
        w.WriteStartObject("type");
        w.WriteString("typeId", "type");
        w.WriteString("id", typeId ?? string.Empty);
        w.WriteEndObject();
        w.WriteStartObject("fields");
        foreach (var (name, value) in fields)
        {
            if (value is not null)
            {
                w.WritePropertyName(name);
                CustomerJson.WriteValue(w, value);
            }
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
