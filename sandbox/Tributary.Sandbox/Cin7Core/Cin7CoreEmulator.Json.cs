namespace Tributary.Sandbox.Cin7Core;

public sealed partial class Cin7CoreEmulator
{
    private static object CustomerJson(Cin7SandboxCustomer c)
    {
        var json = new Dictionary<string, object?>
        {
            ["ID"] = c.Id,
            ["Name"] = c.Name,
            ["Status"] = c.Status,
            ["Currency"] = c.Currency,
            ["PaymentTerm"] = "30 days",
            ["PriceTier"] = c.PriceTier,
            ["Tags"] = c.Tags,
            ["Location"] = "Main Warehouse",
            ["LastModifiedOn"] = c.LastModifiedOnOverride ?? Cin7CoreResults.TimeZ(c.LastModifiedOn),
            ["Contacts"] = c.Contacts.Select(x => new Dictionary<string, object?>
            {
                ["ID"] = x.Id, ["Name"] = x.Name, ["JobTitle"] = null, ["Phone"] = x.Phone, ["MobilePhone"] = null, ["Email"] = x.Email,
                ["Default"] = x.Default, ["IncludeInEmail"] = x.IncludeInEmail, ["Comment"] = null,
            }).ToList(),
            ["Addresses"] = c.Country is null
                ? new List<object>()
                : [new Dictionary<string, object?> { ["Line1"] = "Main St 1", ["Country"] = c.Country, ["Type"] = "Shipping", ["DefaultForType"] = true }],
        };
        for (var i = 1; i <= 10; i++)
        {
            json[$"AdditionalAttribute{i}"] = c.AdditionalAttributes.GetValueOrDefault($"AdditionalAttribute{i}");
        }

        return json;
    }

    private static object SaleRowJson(Cin7SandboxSale s) => new Dictionary<string, object?>
    {
        ["SaleID"] = s.Id,
        ["OrderNumber"] = s.OrderNumber,
        ["Status"] = s.Status,
        ["OrderDate"] = Cin7CoreResults.Time(s.OrderDate),
        ["Customer"] = s.CustomerName,
        ["CustomerID"] = s.CustomerId,
        ["CustomerCurrency"] = s.Currency,
        ["InvoiceAmount"] = s.Lines.Sum(l => l.Total + l.Tax),
        ["CombinedShippingStatus"] = ShippingStatus(s),
        ["SourceChannel"] = s.SourceChannel,
        ["Type"] = s.Fulfilments.Count > 1 ? "Advanced Sale" : "Simple Sale",
        ["Updated"] = Cin7CoreResults.Time(s.LastModifiedOn),
    };

    private static object SaleJson(Cin7SandboxSale s)
    {
        var total = s.Lines.Sum(l => l.Total);
        var tax = s.Lines.Sum(l => l.Tax);
        return new Dictionary<string, object?>
        {
            ["ID"] = s.Id,
            ["Customer"] = s.CustomerName,
            ["CustomerID"] = s.CustomerId,
            ["Email"] = s.Email,
            ["Status"] = s.Status,
            ["SourceChannel"] = s.SourceChannel,
            ["Type"] = s.Fulfilments.Count > 1 ? "Advanced Sale" : "Simple Sale",
            ["BaseCurrency"] = "EUR",
            ["CustomerCurrency"] = s.Currency,
            ["Location"] = "Main Warehouse",
            ["SaleOrderDate"] = Cin7CoreResults.Time(s.OrderDate),
            ["LastModifiedOn"] = Cin7CoreResults.Time(s.LastModifiedOn),
            ["CombinedPaymentStatus"] = s.PaymentStatus,
            ["CombinedShippingStatus"] = ShippingStatus(s),
            ["FulFilmentStatus"] = s.Fulfilments.Count == 0 ? "NOT FULFILLED" : ShippingStatus(s) == "SHIPPED" ? "FULFILLED" : "PARTIALLY FULFILLED",
            ["Order"] = new Dictionary<string, object?>
            {
                ["SaleOrderNumber"] = s.OrderNumber,
                ["Status"] = "AUTHORISED",
                ["Lines"] = s.Lines.Select(l => new Dictionary<string, object?>
                {
                    ["ProductID"] = null, ["SKU"] = l.Sku, ["Name"] = l.Name ?? l.Sku, ["Quantity"] = l.Quantity, ["Price"] = l.Price,
                    ["Discount"] = l.Discount, ["Tax"] = l.Tax, ["TaxRule"] = "Tax on Sales", ["Total"] = l.Total,
                }).ToList(),
                ["TotalBeforeTax"] = total,
                ["Tax"] = tax,
                ["Total"] = total + tax,
            },
            ["Fulfilments"] = s.Fulfilments.Select(f => FulfilmentJson(s, f)).ToList(),
            ["CreditNotes"] = s.CreditNotes.Select(c => new Dictionary<string, object?>
            {
                ["TaskID"] = DeterministicGuid(s.Id, 900 + s.CreditNotes.IndexOf(c)), ["CreditNoteNumber"] = c.Number,
                ["CreditNoteDate"] = Cin7CoreResults.Time(c.Date), ["Status"] = c.Status, ["Total"] = c.Total,
            }).ToList(),
        };
    }

    private static object FulfilmentJson(Cin7SandboxSale s, Cin7SandboxFulfilment f)
    {
        var lines = f.Lines.Select(l => new Dictionary<string, object?>
        {
            ["ProductID"] = null, ["SKU"] = l.Sku, ["Name"] = l.Name ?? l.Sku, ["Location"] = "Main Warehouse", ["Quantity"] = l.Quantity,
        }).ToList();
        return new Dictionary<string, object?>
        {
            ["TaskID"] = DeterministicGuid(s.Id, f.Number),
            ["FulfillmentNumber"] = f.Number,
            ["FulFilmentStatus"] = f.Shipped ? "FULFILLED" : "NOT FULFILLED",
            ["Pick"] = new Dictionary<string, object?> { ["Status"] = "AUTHORISED", ["Lines"] = lines },
            ["Pack"] = new Dictionary<string, object?> { ["Status"] = "AUTHORISED", ["Lines"] = lines },
            ["Ship"] = new Dictionary<string, object?>
            {
                ["Status"] = f.Shipped ? "AUTHORISED" : "DRAFT",
                ["RequireBy"] = null,
                ["Lines"] = f.Shipped
                    ? new List<object>
                    {
                        new Dictionary<string, object?>
                        {
                            ["ID"] = DeterministicGuid(s.Id, 100 + f.Number),
                            ["ShipmentDate"] = f.ShipmentDate is { } d ? Cin7CoreResults.Time(d) : null,
                            ["Carrier"] = f.Carrier, ["Boxes"] = "1", ["TrackingNumber"] = f.TrackingNumber, ["TrackingURL"] = f.TrackingUrl,
                            ["IsShipped"] = true,
                        },
                    }
                    : [],
            },
        };
    }

    private static object ProductJson(Cin7SandboxProduct p, bool attachments)
    {
        var json = new Dictionary<string, object?>
        {
            ["ID"] = p.Id,
            ["SKU"] = p.Sku,
            ["Name"] = p.Name,
            ["Category"] = p.Category,
            ["Brand"] = p.Brand,
            ["Type"] = "Stock",
            ["Status"] = p.Status,
            ["UOM"] = "Item",
            ["Sellable"] = true,
            ["LastModifiedOn"] = Cin7CoreResults.Time(p.LastModifiedOn),
            ["PriceTiers"] = p.PriceTiers,
        };
        for (var i = 1; i <= 10; i++)
        {
            json[$"PriceTier{i}"] = p.PriceTiers.GetValueOrDefault($"Tier {i}");
        }

        if (attachments)
        {
            json["Attachments"] = p.Images.Select((url, i) => new Dictionary<string, object?>
            {
                ["ID"] = DeterministicGuid(p.Id, i + 1),
                ["ContentType"] = "image/jpeg",
                ["FileName"] = $"{p.Sku}-{i + 1}.jpg",
                ["DownloadUrl"] = url,
                // Written as a string, as in the documented example.
                ["IsDefault"] = i == 0 ? "true" : "false",
            }).ToList();
        }

        return json;
    }

    private static string ShippingStatus(Cin7SandboxSale s) =>
        s.Fulfilments.Count == 0 || s.Fulfilments.TrueForAll(f => !f.Shipped) ? "NOT SHIPPED"
        : s.Fulfilments.TrueForAll(f => f.Shipped) && s.Lines.Sum(l => l.Quantity) <= s.Fulfilments.Sum(f => f.Lines.Sum(l => l.Quantity)) ? "SHIPPED"
        : "PARTIALLY SHIPPED";

    private static Guid DeterministicGuid(Guid parent, int n)
    {
        var bytes = parent.ToByteArray();
        BitConverter.GetBytes(n).CopyTo(bytes, 12);
        return new Guid(bytes);
    }
}
