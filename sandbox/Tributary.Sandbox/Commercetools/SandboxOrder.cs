namespace Tributary.Sandbox.Commercetools;

/// <summary>
/// An order as the emulator stores it, mirroring the commercetools Order resource. Mutable so tests and the demo can seed
/// and change orders the way a merchant (or the platform's checkout) would.
/// </summary>
public sealed class SandboxOrder
{
    /// <summary>UUID; assigned on add when missing.</summary>
    public string? Id { get; set; }

    /// <summary>Optimistic-locking version; 1 on create, bumped by every write.</summary>
    public long Version { get; set; }

    /// <summary>The number shown to the shopper; unique per project when set.</summary>
    public string? OrderNumber { get; set; }

    /// <summary>Id of the customer; null for guest orders.</summary>
    public string? CustomerId { get; set; }

    /// <summary>Email on the order (guests have only this); may be missing.</summary>
    public string? CustomerEmail { get; set; }

    /// <summary><c>Open</c>, <c>Confirmed</c>, <c>Complete</c> or <c>Cancelled</c>.</summary>
    public string OrderState { get; set; } = "Open";

    /// <summary><c>Pending</c>, <c>Paid</c>, <c>Failed</c>, <c>CreditOwed</c>, <c>BalanceDue</c>, or null.</summary>
    public string? PaymentState { get; set; }

    /// <summary><c>Shipped</c>, <c>Partial</c>, <c>Delivered</c>, <c>Ready</c>, <c>Pending</c>, <c>Delayed</c>, <c>Backorder</c>, or null.</summary>
    public string? ShipmentState { get; set; }

    /// <summary>Key of the store the order was placed in; null for orders outside any store.</summary>
    public string? Store { get; set; }

    /// <summary><c>Customer</c>, <c>Merchant</c> or <c>Quote</c>.</summary>
    public string Origin { get; set; } = "Customer";

    /// <summary>Country of the order (ISO 3166-1 alpha-2).</summary>
    public string? Country { get; set; }

    /// <summary>Total of the order (gross when the order is not taxed).</summary>
    public SandboxMoney TotalPrice { get; set; }

    /// <summary>Net and gross totals once taxes are calculated; null when not taxed.</summary>
    public SandboxTaxedPrice? TaxedPrice { get; set; }

    /// <summary>The lines.</summary>
    public List<SandboxLineItem> LineItems { get; set; } = [];

    /// <summary>Name of the shipping method; <c>shippingInfo</c> is served when this is set or deliveries exist.</summary>
    public string? ShippingMethodName { get; set; }

    /// <summary>Deliveries (shipments), each with its items and parcels.</summary>
    public List<SandboxDelivery> Deliveries { get; set; } = [];

    /// <summary>Returns, each with its items.</summary>
    public List<SandboxReturnInfo> ReturnInfo { get; set; } = [];

    /// <summary>Ids of the payments referenced from <c>paymentInfo.payments</c>.</summary>
    public List<string> PaymentIds { get; set; } = [];

    /// <summary>Id of the custom type; the <c>custom</c> object is served when this is set or fields exist.</summary>
    public string? CustomTypeId { get; set; }

    /// <summary>Custom field values (for example <c>salesChannel</c>).</summary>
    public Dictionary<string, object?> CustomFields { get; set; } = [];

    /// <summary>Creation time (UTC, millisecond precision on the wire).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last modification time (UTC, millisecond precision on the wire).</summary>
    public DateTimeOffset LastModifiedAt { get; set; }

    /// <summary>User-defined time the order was placed (set by imports); null when not set.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>A deep copy.</summary>
    public SandboxOrder Clone()
    {
        var copy = (SandboxOrder)MemberwiseClone();
        copy.LineItems = LineItems.ConvertAll(l => l.Clone());
        copy.Deliveries = Deliveries.ConvertAll(d => d.Clone());
        copy.ReturnInfo = ReturnInfo.ConvertAll(r => r.Clone());
        copy.PaymentIds = [.. PaymentIds];
        copy.CustomFields = new Dictionary<string, object?>(CustomFields);
        return copy;
    }
}

/// <summary>CentPrecisionMoney: an amount in minor units of a currency.</summary>
/// <param name="CurrencyCode">ISO 4217 code.</param>
/// <param name="CentAmount">Amount in minor units.</param>
/// <param name="FractionDigits">Digits after the decimal point (2 for EUR, 0 for JPY).</param>
public readonly record struct SandboxMoney(string CurrencyCode, long CentAmount, int FractionDigits = 2)
{
    /// <summary>Money from a major-unit amount with two fraction digits.</summary>
    public static SandboxMoney Of(decimal amount, string currency) => new(currency, (long)Math.Round(amount * 100m, MidpointRounding.ToEven));

    /// <summary>This amount times <paramref name="factor"/>.</summary>
    public SandboxMoney Times(long factor) => this with { CentAmount = CentAmount * factor };
}

/// <summary>TaxedPrice of an order: net and gross totals.</summary>
/// <param name="TotalNet">Total without tax.</param>
/// <param name="TotalGross">Total with tax.</param>
public sealed record SandboxTaxedPrice(SandboxMoney TotalNet, SandboxMoney TotalGross);

/// <summary>A line item: a snapshot of the product variant, its price and quantity.</summary>
public sealed class SandboxLineItem
{
    /// <summary>Line item id, unique within the order.</summary>
    public string Id { get; set; } = Guid.NewGuid().ToString();

    /// <summary>Id of the product.</summary>
    public string ProductId { get; set; } = Guid.NewGuid().ToString();

    /// <summary>Product name per locale.</summary>
    public Dictionary<string, string> Name { get; set; } = [];

    /// <summary>Variant id (1 is the master variant).</summary>
    public int VariantId { get; set; } = 1;

    /// <summary>SKU of the variant; the platform allows variants without one.</summary>
    public string? Sku { get; set; }

    /// <summary>Unit price (<c>price.value</c>).</summary>
    public SandboxMoney Price { get; set; }

    /// <summary>Quantity ordered.</summary>
    public long Quantity { get; set; } = 1;

    /// <summary>Line total after discounts.</summary>
    public SandboxMoney TotalPrice { get; set; }

    /// <summary>Discounted unit price applying to every unit; null when no discount applies.</summary>
    public SandboxMoney? DiscountedPrice { get; set; }

    /// <summary>A copy.</summary>
    public SandboxLineItem Clone()
    {
        var copy = (SandboxLineItem)MemberwiseClone();
        copy.Name = new Dictionary<string, string>(Name);
        return copy;
    }
}

/// <summary>Quantity of one line item in a delivery or a return.</summary>
/// <param name="LineItemId">The line item.</param>
/// <param name="Quantity">Units.</param>
public sealed record SandboxDeliveryItem(string LineItemId, long Quantity);

/// <summary>Tracking data of a parcel.</summary>
/// <param name="TrackingId">The carrier's tracking number.</param>
/// <param name="Carrier">Carrier name.</param>
/// <param name="Provider">Shipping provider, when different from the carrier.</param>
public sealed record SandboxTracking(string TrackingId, string Carrier, string? Provider = null);

/// <summary>A delivery: what left the warehouse together.</summary>
public sealed class SandboxDelivery
{
    /// <summary>Delivery id.</summary>
    public string Id { get; set; } = Guid.NewGuid().ToString();

    /// <summary>User-defined key.</summary>
    public string? Key { get; set; }

    /// <summary>When the delivery was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Line items and quantities in the delivery.</summary>
    public List<SandboxDeliveryItem> Items { get; set; } = [];

    /// <summary>Parcels of the delivery.</summary>
    public List<SandboxParcel> Parcels { get; set; } = [];

    /// <summary>A deep copy.</summary>
    public SandboxDelivery Clone()
    {
        var copy = (SandboxDelivery)MemberwiseClone();
        copy.Items = [.. Items];
        copy.Parcels = Parcels.ConvertAll(p => p.Clone());
        return copy;
    }
}

/// <summary>A parcel of a delivery.</summary>
public sealed class SandboxParcel
{
    /// <summary>Parcel id.</summary>
    public string Id { get; set; } = Guid.NewGuid().ToString();

    /// <summary>When the parcel was added.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Tracking data; null when the parcel is not tracked.</summary>
    public SandboxTracking? Tracking { get; set; }

    /// <summary>A copy.</summary>
    public SandboxParcel Clone() => (SandboxParcel)MemberwiseClone();
}

/// <summary>One return (ReturnInfo): the items sent back together.</summary>
public sealed class SandboxReturnInfo
{
    /// <summary>Tracking id of the return parcel.</summary>
    public string? ReturnTrackingId { get; set; }

    /// <summary>When the return was registered.</summary>
    public DateTimeOffset? ReturnDate { get; set; }

    /// <summary>The returned items.</summary>
    public List<SandboxReturnItem> Items { get; set; } = [];

    /// <summary>A deep copy.</summary>
    public SandboxReturnInfo Clone()
    {
        var copy = (SandboxReturnInfo)MemberwiseClone();
        copy.Items = Items.ConvertAll(i => i.Clone());
        return copy;
    }
}

/// <summary>A returned line item (LineItemReturnItem).</summary>
public sealed class SandboxReturnItem
{
    /// <summary>Return item id.</summary>
    public string Id { get; set; } = Guid.NewGuid().ToString();

    /// <summary>The returned line item.</summary>
    public string LineItemId { get; set; } = string.Empty;

    /// <summary>Units returned.</summary>
    public long Quantity { get; set; } = 1;

    /// <summary><c>Advised</c>, <c>Returned</c>, <c>BackInStock</c> or <c>Unusable</c>.</summary>
    public string ShipmentState { get; set; } = "Returned";

    /// <summary><c>Initial</c>, <c>Refunded</c>, <c>NotRefunded</c> or <c>NonRefundable</c>.</summary>
    public string PaymentState { get; set; } = "Initial";

    /// <summary>When the item was registered as returned.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the item last changed.</summary>
    public DateTimeOffset LastModifiedAt { get; set; }

    /// <summary>A copy.</summary>
    public SandboxReturnItem Clone() => (SandboxReturnItem)MemberwiseClone();
}

/// <summary>A payment (the Payment resource): the planned amount and its transactions.</summary>
public sealed class SandboxPayment
{
    /// <summary>Payment id.</summary>
    public string Id { get; set; } = Guid.NewGuid().ToString();

    /// <summary>Optimistic-locking version.</summary>
    public long Version { get; set; } = 1;

    /// <summary>The amount the payment is for.</summary>
    public SandboxMoney AmountPlanned { get; set; }

    /// <summary>Authorizations, charges and refunds.</summary>
    public List<SandboxTransaction> Transactions { get; set; } = [];

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last modification time.</summary>
    public DateTimeOffset LastModifiedAt { get; set; }

    /// <summary>A deep copy.</summary>
    public SandboxPayment Clone()
    {
        var copy = (SandboxPayment)MemberwiseClone();
        copy.Transactions = [.. Transactions];
        return copy;
    }
}

/// <summary>A payment transaction.</summary>
/// <param name="Id">Transaction id.</param>
/// <param name="Timestamp">When it happened at the payment provider.</param>
/// <param name="Type"><c>Authorization</c>, <c>Charge</c>, <c>Refund</c> or <c>CancelAuthorization</c>.</param>
/// <param name="Amount">The amount.</param>
/// <param name="State"><c>Initial</c>, <c>Pending</c>, <c>Success</c> or <c>Failure</c>.</param>
public sealed record SandboxTransaction(string Id, DateTimeOffset Timestamp, string Type, SandboxMoney Amount, string State = "Success");
