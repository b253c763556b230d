using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tributary.Sandbox.Centra;

public sealed partial class CentraEmulator
{
    private void WriteCustomer(Utf8JsonWriter w, CentraSandboxCustomer c)
    {
        w.WriteStartObject();
        w.WriteNumber("id", c.Id);
        w.WriteString("email", c.Email);
        w.WriteString("firstName", c.FirstName);
        w.WriteString("lastName", c.LastName);
        w.WriteString("phoneNumber", c.PhoneNumber);
        if (c.Newsletter is { } newsletter)
        {
            w.WriteBoolean("newsletter", newsletter);
        }
        else
        {
            w.WriteNull("newsletter");
        }

        w.WriteBoolean("registered", c.Registered);
        if (c.CreatedAtOverride is { } raw)
        {
            w.WriteString("createdAt", raw);
        }
        else
        {
            CentraResults.WriteTime(w, "createdAt", c.CreatedAt);
        }

        CentraResults.WriteTime(w, "updatedAt", c.UpdatedAt);
        var store = Stores.FirstOrDefault(s => s.Id == c.StoreId);
        CentraResults.WriteRef(w, "store", c.StoreId, store?.Name, store?.Type);
        CentraResults.WriteRef(w, "market", c.MarketId, Markets.FirstOrDefault(m => m.Id == c.MarketId)?.Name);
        w.WriteStartObject("language");
        w.WriteString("code", c.Language);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private void WriteOrder(Utf8JsonWriter w, CentraSandboxOrder o)
    {
        var store = Stores.FirstOrDefault(s => s.Id == o.StoreId) ?? new CentraSandboxStore(o.StoreId, "Store", "DIRECT_TO_CONSUMER");
        var wholesale = store.Type == "WHOLESALE";
        w.WriteStartObject();
        w.WriteString("__typename", wholesale ? "WholesaleOrder" : "DirectToConsumerOrder");
        w.WriteString("id", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"order-{o.Number}")))[..32]);
        w.WriteNumber("number", o.Number);
        w.WriteString("status", o.Status);
        CentraResults.WriteTime(w, "createdAt", o.CreatedAt);
        CentraResults.WriteTime(w, "orderDate", o.CreatedAt);
        CentraResults.WriteTime(w, "updatedAt", o.UpdatedAt);
        w.WriteBoolean("isOnHold", false);
        CentraResults.WriteRef(w, "store", store.Id, store.Name, store.Type);
        CentraResults.WriteRef(w, "market", o.MarketId, Markets.FirstOrDefault(m => m.Id == o.MarketId)?.Name);
        CentraResults.WriteMoney(w, "grandTotal", o.Lines.Sum(l => (l.Quantity - l.CancelledQuantity) * l.UnitPrice), o.Currency);
        if (!wholesale && o.CustomerId is { } customerId && _customers.TryGetValue(customerId, out var customer))
        {
            w.WriteStartObject("customer");
            w.WriteNumber("id", customer.Id);
            w.WriteString("email", customer.Email);
            w.WriteBoolean("registered", customer.Registered);
            w.WriteEndObject();
        }

        w.WriteStartObject("shippingAddress");
        w.WriteString("email", o.Email);
        w.WriteEndObject();
        w.WriteStartArray("lines");
        foreach (var l in o.Lines)
        {
            w.WriteStartObject();
            w.WriteNumber("id", l.Id);
            w.WriteNumber("quantity", l.Quantity);
            w.WriteNumber("cancelledQuantity", l.CancelledQuantity);
            w.WriteString("productName", l.ProductName);
            w.WriteStartObject("productSize");
            w.WriteString("SKU", l.Sku);
            w.WriteEndObject();
            CentraResults.WriteRef(w, "product", l.ProductId);
            WriteValue(w, "unitPrice", l.UnitPrice);
            WriteValue(w, "unitOriginalPrice", l.UnitOriginalPrice ?? l.UnitPrice);
            WriteValue(w, "lineValue", (l.Quantity - l.CancelledQuantity) * l.UnitPrice);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("shipments");
        foreach (var s in o.Shipments)
        {
            w.WriteStartObject();
            w.WriteNumber("id", s.Id);
            w.WriteString("number", s.Number);
            CentraResults.WriteTime(w, "createdAt", s.CreatedAt);
            w.WriteBoolean("isShipped", s.IsShipped);
            CentraResults.WriteTime(w, "shippedAt", s.ShippedAt);
            w.WriteString("trackingNumber", s.TrackingNumber);
            w.WriteStartObject("carrierInformation");
            w.WriteString("carrierName", s.Carrier);
            w.WriteNull("serviceName");
            w.WriteEndObject();
            WriteLines(w, s.Lines);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("returns");
        foreach (var r in o.Returns)
        {
            w.WriteStartObject();
            w.WriteNumber("id", r.Id);
            CentraResults.WriteTime(w, "createdAt", r.CreatedAt);
            CentraResults.WriteTime(w, "completedAt", r.CompletedAt);
            w.WriteBoolean("isCompleted", r.IsCompleted);
            WriteLines(w, r.Lines);
            CentraResults.WriteMoney(w, "refundValue", r.RefundValue, o.Currency);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteSize(Utf8JsonWriter w, CentraSandboxProduct p, CentraSandboxVariant v, CentraSandboxSize s)
    {
        w.WriteStartObject();
        w.WriteString("SKU", s.Sku);
        w.WriteString("EAN", s.Ean);
        w.WriteString("description", s.Description);
        CentraResults.WriteTime(w, "updatedAt", s.UpdatedAt);
        w.WriteStartObject("productVariant");
        w.WriteNumber("id", v.Id);
        w.WriteString("name", v.Name);
        w.WriteString("status", v.Status);
        w.WriteStartArray("media");
        if (v.ImageUrl is not null)
        {
            w.WriteStartObject();
            w.WriteString("url", v.ImageUrl);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("product");
        w.WriteNumber("id", p.Id);
        w.WriteString("name", p.Name);
        w.WriteString("productNumber", p.ProductNumber);
        w.WriteString("status", p.Status);
        w.WriteStartObject("brand");
        w.WriteString("name", p.Brand);
        w.WriteEndObject();
        w.WriteStartArray("categories");
        if (p.Category.Count > 0)
        {
            w.WriteStartObject();
            w.WriteStartArray("name");
            foreach (var segment in p.Category)
            {
                w.WriteStringValue(segment);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartArray("prices");
        foreach (var (pricelistId, price) in s.Prices.OrderBy(x => x.Key))
        {
            var pricelist = Pricelists.FirstOrDefault(x => x.Id == pricelistId) ?? new CentraSandboxPricelist(pricelistId, "Pricelist", "EUR");
            w.WriteStartObject();
            CentraResults.WriteRef(w, "pricelist", pricelist.Id, pricelist.Name);
            CentraResults.WriteMoney(w, "price", price, pricelist.Currency);
            if (s.SalePrices.TryGetValue(pricelistId, out var sale))
            {
                CentraResults.WriteMoney(w, "salePrice", sale, pricelist.Currency);
            }
            else
            {
                w.WriteNull("salePrice");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteStock(Utf8JsonWriter w, CentraSandboxSize s)
    {
        w.WriteStartObject();
        w.WriteString("SKU", s.Sku);
        w.WriteStartArray("stock");
        foreach (var (warehouseId, free) in s.Stock.OrderBy(x => x.Key))
        {
            w.WriteStartObject();
            CentraResults.WriteRef(w, "warehouse", warehouseId, Warehouses.FirstOrDefault(x => x.Id == warehouseId)?.Name);
            w.WriteNumber("freeToAllocateQuantity", free);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, string name, decimal value)
    {
        w.WriteStartObject(name);
        w.WriteNumber("value", value);
        w.WriteEndObject();
    }

    private static void WriteLines(Utf8JsonWriter w, Dictionary<int, decimal> lines)
    {
        w.WriteStartArray("lines");
        foreach (var (id, quantity) in lines)
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteNumber("quantity", quantity);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
