using System.Globalization;
using Bogus;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Sandbox.Generator;

public sealed partial class ShopGenerator
{
    /// <summary>Share of customers with at least one order (each buys 1–5 times).</summary>
    public const double BuyingCustomerShare = 0.60;

    /// <summary>Share of orders placed by guests (no customer id, an email only).</summary>
    public const double GuestOrderShare = 0.15;

    /// <summary>Share of orders without any email (imported guest orders).</summary>
    public const double NoEmailOrderShare = 0.005;

    /// <summary>Share of orders in the <c>marketplace</c> store.</summary>
    public const double MarketplaceStoreShare = 0.06;

    /// <summary>Share of orders in the <c>b2b</c> (wholesale) store.</summary>
    public const double WholesaleStoreShare = 0.04;

    /// <summary>Share of DTC-store orders marked <c>salesChannel = marketplace</c> in a custom field.</summary>
    public const double MarketplaceFieldShare = 0.03;

    /// <summary>Share of cancelled orders.</summary>
    public const double CancelledShare = 0.05;

    /// <summary>Share of orders shipped in two deliveries.</summary>
    public const double SplitShipmentShare = 0.15;

    /// <summary>Share of orders with a return and a partial refund.</summary>
    public const double ReturnShare = 0.08;

    /// <summary>Share of orders shipped: every Complete order (60%) and 60% of the Confirmed ones (25%).</summary>
    private const double ShippedShare = 0.60 + (0.25 * 0.6);

    /// <summary>Id of the order custom type holding <c>salesChannel</c>.</summary>
    public const string OrderTypeId = "7c2a9e41-0d3b-4f6a-8e15-b94d2c6f0a78";

    private readonly List<SandboxPayment> _generatedPayments = [];
    private Faker? _guestFaker;
    private int _orderSequence;

    /// <summary>The payments the generated orders reference; seed them with <c>AddPayments</c> next to the orders.</summary>
    public IReadOnlyList<SandboxPayment> Payments => _generatedPayments;

    private sealed record StoreProfile(string Key, string Currency, string Country, decimal TaxRate, string[] Carriers);

    private static readonly Dictionary<string, StoreProfile> Stores = new(StringComparer.Ordinal)
    {
        ["eu"] = new("eu", "EUR", "DE", 0.19m, ["DHL", "DPD", "PostNord"]),
        ["uk"] = new("uk", "GBP", "GB", 0.20m, ["Royal Mail", "DPD", "Evri"]),
        ["us"] = new("us", "USD", "US", 0.07m, ["UPS", "USPS", "FedEx"]),
        ["marketplace"] = new("marketplace", "EUR", "DE", 0.19m, ["DHL"]),
        ["b2b"] = new("b2b", "EUR", "DE", 0.19m, ["DB Schenker", "DHL Freight"]),
    };

    /// <summary>
    /// Generates <paramref name="count"/> orders for <paramref name="customers"/>: about 60% of the customers buy 1–5 times
    /// (with fewer orders than that history needs, the first buyers of a shuffled list get theirs; with more, buyers buy
    /// again), about 15% of orders are guests' and 0.5% carry no email. Later calls continue the same shop.
    /// </summary>
    public IReadOnlyList<SandboxOrder> Orders(IReadOnlyList<SandboxCustomer> customers, int count)
    {
        var slots = new List<SandboxCustomer>();
        foreach (var customer in customers)
        {
            if (_orderRandom.Double() < BuyingCustomerShare)
            {
                var times = _orderRandom.Int(1, 5);
                for (var i = 0; i < times; i++)
                {
                    slots.Add(customer);
                }
            }
        }

        slots = [.. _orderRandom.Shuffle(slots)];
        var orders = new List<SandboxOrder>(count);
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            var roll = _orderRandom.Double();
            SandboxCustomer? buyer = null;
            if (roll >= GuestOrderShare && slots.Count > 0)
            {
                buyer = slots[next++ % slots.Count];
            }

            orders.Add(NextOrder(buyer, noEmail: buyer is null && roll < NoEmailOrderShare));
        }

        return orders;
    }

    private SandboxOrder NextOrder(SandboxCustomer? buyer, bool noEmail)
    {
        var n = ++_orderSequence;
        var storeRoll = _orderRandom.Double();
        var homeStore = buyer?.Stores.FirstOrDefault() ?? _orderRandom.ArrayElement(["eu", "eu", "uk", "us"]);
        var store = storeRoll < MarketplaceStoreShare ? "marketplace"
            : storeRoll < MarketplaceStoreShare + WholesaleStoreShare ? "b2b"
            : homeStore;
        var profile = Stores[store];

        var since = buyer?.CreatedAt ?? ReferenceTime.AddDays(-3 * 365);
        var created = since + ((ReferenceTime - since) * _orderRandom.Double() * 0.98);
        var order = new SandboxOrder
        {
            Id = NewOrderId(),
            OrderNumber = $"ORD-{(100_000 + n).ToString(CultureInfo.InvariantCulture)}",
            CustomerId = buyer?.Id,
            CustomerEmail = noEmail ? null : buyer?.Email ?? GuestEmail(n),
            Store = store,
            Country = profile.Country,
            Origin = store == "b2b" && _orderRandom.Bool(0.3f) ? "Quote" : _orderRandom.Bool(0.03f) ? "Merchant" : "Customer",
            CreatedAt = created,
            CustomTypeId = OrderTypeId,
        };
        if (store is "eu" or "uk" or "us" && _orderRandom.Double() < MarketplaceFieldShare)
        {
            order.CustomFields["salesChannel"] = "marketplace";
        }

        if (order.Origin == "Merchant")
        {
            // Imported orders carry the time they were placed elsewhere.
            order.CompletedAt = created.AddDays(-_orderRandom.Int(1, 30));
        }

        var stateRoll = _orderRandom.Double();
        order.OrderState = stateRoll < CancelledShare ? "Cancelled" : stateRoll < 0.15 ? "Open" : stateRoll < 0.40 ? "Confirmed" : "Complete";
        var shipped = order.OrderState is "Confirmed" or "Complete" && (order.OrderState == "Complete" || _orderRandom.Bool(0.6f));
        var split = shipped && _orderRandom.Double() < SplitShipmentShare / ShippedShare;
        var returned = order.OrderState == "Complete" && _orderRandom.Double() < ReturnShare / 0.60;

        AddLines(order, profile, minimumUnits: split || returned ? 2 : 1);
        var events = 1;
        var last = created;
        if (shipped)
        {
            last = Ship(order, profile, split);
            events += order.Deliveries.Count;
        }

        SetPayment(order, created);
        if (returned)
        {
            last = ReturnAndRefund(order, last);
            events += 2;
        }

        order.Version = events + _orderRandom.Int(0, 2);
        order.LastModifiedAt = Min(last.AddMinutes(_orderRandom.Int(1, 90)), ReferenceTime);
        return order;
    }

    private void AddLines(SandboxOrder order, StoreProfile profile, int minimumUnits)
    {
        var skus = _orderRandom.Int(1, 4);
        var picked = new HashSet<int>();
        long total = 0;
        for (var i = 0; i < skus; i++)
        {
            int index;
            do
            {
                index = _orderRandom.Int(0, CatalogueSize - 1);
            }
            while (!picked.Add(index));

            var item = Catalogue[index];
            var quantityRoll = _orderRandom.Double();
            var quantity = order.Store == "b2b" ? _orderRandom.Int(5, 40) : quantityRoll < 0.80 ? 1 : quantityRoll < 0.95 ? 2 : 3;
            var price = item.Prices[profile.Currency];
            var unit = price;
            SandboxMoney? discounted = null;
            if (_orderRandom.Bool(0.12f))
            {
                var off = _orderRandom.Int(10, 30);
                unit = price with { CentAmount = price.CentAmount * (100 - off) / 100 };
                discounted = unit;
            }

            var line = new SandboxLineItem
            {
                Id = NewOrderId(),
                ProductId = item.ProductId,
                Name = new Dictionary<string, string>(item.Names),
                Sku = item.Sku,
                Price = price,
                Quantity = quantity,
                DiscountedPrice = discounted,
            };
            order.LineItems.Add(line);
        }

        if (order.LineItems.Sum(l => l.Quantity) < minimumUnits)
        {
            order.LineItems[0].Quantity = minimumUnits;
        }

        foreach (var line in order.LineItems)
        {
            line.TotalPrice = (line.DiscountedPrice ?? line.Price).Times(line.Quantity);
            total += line.TotalPrice.CentAmount;
        }

        // Shipping is free above 50 in the shop currency, else a flat 4.95.
        var shipping = total >= 5_000 ? 0 : 495;
        order.ShippingMethodName = order.Store == "b2b" ? "Freight" : "Standard";
        order.TotalPrice = new SandboxMoney(profile.Currency, total + shipping);
        if (order.OrderState != "Open" || _orderRandom.Bool(0.5f))
        {
            var net = (long)Math.Round(order.TotalPrice.CentAmount / (1 + profile.TaxRate), MidpointRounding.ToEven);
            order.TaxedPrice = new SandboxTaxedPrice(order.TotalPrice with { CentAmount = net }, order.TotalPrice);
        }
    }

    /// <summary>Ships every unit in one delivery, or in two when split; returns the time of the last delivery.</summary>
    private DateTimeOffset Ship(SandboxOrder order, StoreProfile profile, bool split)
    {
        var units = order.LineItems.SelectMany(l => Enumerable.Repeat(l.Id, (int)l.Quantity)).ToList();
        var firstCount = split ? _orderRandom.Int(1, units.Count - 1) : units.Count;
        var at = order.CreatedAt.AddHours(_orderRandom.Int(6, 72));
        order.Deliveries.Add(Delivery(units.Take(firstCount), at, profile));
        if (split)
        {
            at = at.AddDays(_orderRandom.Int(2, 12));
            order.Deliveries.Add(Delivery(units.Skip(firstCount), at, profile));
        }

        order.ShipmentState = order.OrderState == "Complete" && _orderRandom.Bool(0.7f) ? "Delivered" : "Shipped";
        return at;
    }

    private SandboxDelivery Delivery(IEnumerable<string> units, DateTimeOffset at, StoreProfile profile)
    {
        var parcel = new SandboxParcel { Id = NewOrderId(), CreatedAt = at };
        if (_orderRandom.Bool(0.9f))
        {
            var carrier = _orderRandom.ArrayElement(profile.Carriers);
            parcel.Tracking = new SandboxTracking($"{carrier[..2].ToUpperInvariant()}{_orderRandom.Long(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture)}", carrier);
        }

        return new SandboxDelivery
        {
            Id = NewOrderId(),
            CreatedAt = at,
            Items = [.. units.GroupBy(u => u, StringComparer.Ordinal).Select(g => new SandboxDeliveryItem(g.Key, g.Count()))],
            Parcels = [parcel],
        };
    }

    private void SetPayment(SandboxOrder order, DateTimeOffset created)
    {
        var (paymentState, transaction) = order.OrderState switch
        {
            "Cancelled" => _orderRandom.Bool(0.4f) ? ("Failed", ("Charge", "Failure")) : ("Pending", ("Authorization", "Failure")),
            "Open" => ("Pending", ("Authorization", "Pending")),
            _ when order.Store == "b2b" => ("BalanceDue", ("Authorization", "Success")),
            _ => ("Paid", ("Charge", "Success")),
        };
        order.PaymentState = paymentState;
        if (order.Store == "marketplace")
        {
            // The marketplace collects the money; the shop holds no payment for these.
            return;
        }

        var payment = new SandboxPayment
        {
            Id = NewOrderId(),
            AmountPlanned = order.TotalPrice,
            CreatedAt = created,
            LastModifiedAt = created,
            Transactions = [new SandboxTransaction(NewOrderId(), created.AddSeconds(_orderRandom.Int(1, 60)), transaction.Item1, order.TotalPrice, transaction.Item2)],
        };
        order.PaymentIds.Add(payment.Id);
        _generatedPayments.Add(payment);
    }

    /// <summary>Returns part of one line and refunds exactly that part; returns the time of the refund.</summary>
    private DateTimeOffset ReturnAndRefund(SandboxOrder order, DateTimeOffset after)
    {
        var line = order.LineItems.OrderByDescending(l => l.Quantity).First();
        var quantity = order.LineItems.Count == 1 ? Math.Max(1, line.Quantity - 1) : _orderRandom.Long(1, line.Quantity);
        var returnedAt = after.AddDays(_orderRandom.Int(3, 20));
        var refundedAt = returnedAt.AddDays(_orderRandom.Int(1, 5));
        order.ReturnInfo.Add(new SandboxReturnInfo
        {
            ReturnTrackingId = $"RET{_orderRandom.Long(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture)}",
            ReturnDate = returnedAt,
            Items =
            [
                new SandboxReturnItem
                {
                    Id = NewOrderId(),
                    LineItemId = line.Id,
                    Quantity = quantity,
                    ShipmentState = _orderRandom.Bool(0.8f) ? "BackInStock" : "Unusable",
                    PaymentState = order.PaymentIds.Count > 0 ? "Refunded" : "NotRefunded",
                    CreatedAt = returnedAt,
                    LastModifiedAt = refundedAt,
                },
            ],
        });

        // The order's payment is the last one generated: SetPayment ran just before.
        if (order.PaymentIds.Count > 0 && _generatedPayments[^1] is var payment && payment.Id == order.PaymentIds[0])
        {
            payment.Transactions.Add(new SandboxTransaction(NewOrderId(), refundedAt, "Refund", (line.DiscountedPrice ?? line.Price).Times(quantity)));
            payment.LastModifiedAt = refundedAt;
        }

        return refundedAt;
    }

    private string GuestEmail(int n)
    {
        _guestFaker ??= new Faker("en") { Random = _orderRandom };
        var first = Slug(_guestFaker.Name.FirstName());
        var last = Slug(_guestFaker.Name.LastName());
        var domain = _orderRandom.ArrayElement(["gmail.com", "outlook.com", "yahoo.com", "web.de", "icloud.com"]);
        return $"{first}.{last}.{n.ToString(CultureInfo.InvariantCulture)}@{domain}";
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
