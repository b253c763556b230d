namespace Tributary.Sandbox.Commercetools;

/// <summary>
/// Seeding and story helpers for orders: what checkout, the warehouse and customer service do to an order, each a single
/// thread-safe write that bumps the order's version and <c>lastModifiedAt</c> like the platform does.
/// </summary>
public sealed partial class CommercetoolsEmulator
{
    /// <summary>A snapshot of every order, in id order.</summary>
    public IReadOnlyList<SandboxOrder> Orders =>
        _orders.Read(all => all.Values.OrderBy(o => o.Id, StringComparer.Ordinal).Select(o => o.Clone()).ToList());

    /// <summary>A snapshot of every payment, in id order.</summary>
    public IReadOnlyList<SandboxPayment> Payments =>
        _payments.Values.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Clone()).ToList();

    /// <summary>Adds an order, assigning id, version and timestamps when missing. Returns its id.</summary>
    public string AddOrder(SandboxOrder order)
    {
        var stored = PrepareOrder(order);
        _orders.Write(_ => { _orders.AddLocked(stored); return true; });
        return stored.Id!;
    }

    /// <summary>Adds many orders at once (one index rebuild).</summary>
    public void AddOrders(IEnumerable<SandboxOrder> orders) => _orders.Put(orders.Select(PrepareOrder).ToList());

    /// <summary>Adds (or replaces) a payment; reference it from an order's <see cref="SandboxOrder.PaymentIds"/>.</summary>
    public string AddPayment(SandboxPayment payment)
    {
        var stored = payment.Clone();
        var now = Now();
        stored.CreatedAt = stored.CreatedAt == default ? now : TruncateToMilliseconds(stored.CreatedAt);
        stored.LastModifiedAt = stored.LastModifiedAt == default ? stored.CreatedAt : TruncateToMilliseconds(stored.LastModifiedAt);
        _payments[stored.Id] = stored;
        return stored.Id;
    }

    /// <summary>Adds many payments.</summary>
    public void AddPayments(IEnumerable<SandboxPayment> payments)
    {
        foreach (var payment in payments)
        {
            AddPayment(payment);
        }
    }

    /// <summary>A copy of one order, or null.</summary>
    public SandboxOrder? GetOrder(string id) => _orders.Read(all => all.TryGetValue(id, out var o) ? o.Clone() : null);

    /// <summary>A copy of one payment, or null.</summary>
    public SandboxPayment? GetPayment(string id) => _payments.TryGetValue(id, out var p) ? p.Clone() : null;

    /// <summary>Changes an order; bumps its version and lastModifiedAt. False when it does not exist.</summary>
    public bool UpdateOrder(string id, Action<SandboxOrder> change) => _orders.Write(all =>
    {
        if (!all.TryGetValue(id, out var current))
        {
            return false;
        }

        var updated = current.Clone();
        change(updated);
        updated.Id = id;
        updated.Version = current.Version + 1;
        updated.LastModifiedAt = Now();
        all[id] = updated;
        return true;
    });

    /// <summary>Sets <c>orderState</c> (Open, Confirmed, Complete, Cancelled).</summary>
    public bool SetOrderState(string orderId, string orderState) => UpdateOrder(orderId, o => o.OrderState = orderState);

    /// <summary>Sets <c>shipmentState</c> (for example Delivered once the carrier reports it).</summary>
    public bool SetShipmentState(string orderId, string? shipmentState) => UpdateOrder(orderId, o => o.ShipmentState = shipmentState);

    /// <summary>Sets <c>paymentState</c>.</summary>
    public bool SetPaymentState(string orderId, string? paymentState) => UpdateOrder(orderId, o => o.PaymentState = paymentState);

    /// <summary>
    /// Ships some items: adds a delivery with one parcel (tracked when <paramref name="tracking"/> is given) and sets
    /// <c>shipmentState</c> to <c>Shipped</c> once every unit is in a delivery, else <c>Partial</c>. Returns the delivery id,
    /// or null when the order does not exist.
    /// </summary>
    public string? AddDelivery(string orderId, IEnumerable<SandboxDeliveryItem> items, SandboxTracking? tracking = null)
    {
        var now = Now();
        var delivery = new SandboxDelivery
        {
            CreatedAt = now,
            Items = [.. items],
            Parcels = [new SandboxParcel { CreatedAt = now, Tracking = tracking }],
        };
        var found = UpdateOrder(orderId, o =>
        {
            o.ShippingMethodName ??= "Standard";
            o.Deliveries.Add(delivery);
            var shipped = o.Deliveries.SelectMany(d => d.Items).GroupBy(i => i.LineItemId).ToDictionary(g => g.Key, g => g.Sum(i => i.Quantity));
            o.ShipmentState = o.LineItems.TrueForAll(l => shipped.GetValueOrDefault(l.Id) >= l.Quantity) ? "Shipped" : "Partial";
        });
        return found ? delivery.Id : null;
    }

    /// <summary>
    /// Registers a return of some items (shipment state Returned, payment state Initial until refunded). False when the order
    /// does not exist.
    /// </summary>
    public bool AddReturn(string orderId, IEnumerable<SandboxDeliveryItem> items, string? returnTrackingId = null)
    {
        var now = Now();
        var info = new SandboxReturnInfo
        {
            ReturnTrackingId = returnTrackingId,
            ReturnDate = now,
            Items = [.. items.Select(i => new SandboxReturnItem { LineItemId = i.LineItemId, Quantity = i.Quantity, CreatedAt = now, LastModifiedAt = now })],
        };
        return UpdateOrder(orderId, o => o.ReturnInfo.Add(info));
    }

    /// <summary>
    /// Refunds money: adds a successful Refund transaction of <paramref name="amount"/> to the order's first payment (creating
    /// a paid payment when the order has none) and marks the returned items of <paramref name="lineItemIds"/> (all returned
    /// items not yet refunded when null) as Refunded. Returns the transaction id, or null when the order does not exist.
    /// </summary>
    public string? AddRefund(string orderId, decimal amount, IEnumerable<string>? lineItemIds = null)
    {
        var lines = lineItemIds?.ToHashSet(StringComparer.Ordinal);
        string? transactionId = null;
        _orders.Write(all =>
        {
            if (!all.TryGetValue(orderId, out var current))
            {
                return false;
            }

            var now = Now();
            var updated = current.Clone();
            var currency = updated.TotalPrice.CurrencyCode;
            SandboxPayment payment;
            if (updated.PaymentIds.Count > 0 && _payments.TryGetValue(updated.PaymentIds[0], out var existing))
            {
                payment = existing.Clone();
                payment.Version++;
            }
            else
            {
                payment = new SandboxPayment { AmountPlanned = updated.TotalPrice, CreatedAt = now };
                payment.Transactions.Add(new SandboxTransaction(Guid.NewGuid().ToString(), now, "Charge", updated.TotalPrice));
                updated.PaymentIds.Insert(0, payment.Id);
            }

            transactionId = Guid.NewGuid().ToString();
            payment.Transactions.Add(new SandboxTransaction(transactionId, now, "Refund", SandboxMoney.Of(amount, currency)));
            payment.LastModifiedAt = now;
            _payments[payment.Id] = payment;

            foreach (var item in updated.ReturnInfo.SelectMany(r => r.Items))
            {
                if (item.PaymentState != "Refunded" && (lines is null || lines.Contains(item.LineItemId)))
                {
                    item.PaymentState = "Refunded";
                    item.LastModifiedAt = now;
                }
            }

            updated.Version = current.Version + 1;
            updated.LastModifiedAt = now;
            all[orderId] = updated;
            return true;
        });
        return transactionId;
    }

    private SandboxOrder PrepareOrder(SandboxOrder order)
    {
        var now = Now();
        order.Id ??= Guid.NewGuid().ToString();
        order.Version = order.Version <= 0 ? 1 : order.Version;
        order.CreatedAt = order.CreatedAt == default ? now : TruncateToMilliseconds(order.CreatedAt);
        order.LastModifiedAt = order.LastModifiedAt == default ? now : TruncateToMilliseconds(order.LastModifiedAt);
        order.CompletedAt = order.CompletedAt is { } completed ? TruncateToMilliseconds(completed) : null;
        return order.Clone();
    }
}
