namespace Tributary.Core.Model;

/// <summary>Canonical order status after the configured status mapping.</summary>
public enum OrderStatus
{
    /// <summary>Placed, not yet paid or confirmed.</summary>
    Pending,
    /// <summary>Paid or confirmed.</summary>
    Paid,
    /// <summary>Fully shipped or completed.</summary>
    Completed,
    /// <summary>Cancelled.</summary>
    Cancelled,
}

/// <summary>Where an order was sold; only DTC reaches marketing by default.</summary>
public enum SalesChannelKind
{
    /// <summary>Direct to consumer web shop.</summary>
    Dtc,
    /// <summary>Sold through a marketplace.</summary>
    Marketplace,
    /// <summary>Business to business.</summary>
    Wholesale,
    /// <summary>Point of sale.</summary>
    Pos,
}

/// <summary>One order line. <paramref name="LineTotal"/> is after discounts; <paramref name="Name"/> is for personalisation.</summary>
public sealed record OrderLine(string LineId, string Sku, string? ProductId, decimal Quantity, Money UnitPrice, Money LineTotal, Money? Discount = null,
    string? Name = null);

/// <summary>A shipment (delivery) with the quantities it carries.</summary>
public sealed record Shipment(string ShipmentId, IReadOnlyList<ShipmentLine> Lines, DateTimeOffset? ShippedAt, string? Carrier, string? TrackingNumber, string? TrackingUrl);

/// <summary>Quantity of one order line inside a shipment or a return.</summary>
public sealed record ShipmentLine(string LineId, decimal Quantity);

/// <summary>A refund or return with its lines and amount.</summary>
public sealed record Refund(string RefundId, IReadOnlyList<ShipmentLine> Lines, Money Amount, DateTimeOffset At);

/// <summary>An order as every source describes it.</summary>
public sealed record Order : CanonicalRecord
{
    /// <inheritdoc />
    public override EntityKind Kind => EntityKind.Order;

    /// <inheritdoc />
    public override string Key => SourceId;

    /// <summary>The source platform's id of the order.</summary>
    public required string SourceId { get; init; }

    /// <summary>The order number shown to the shopper.</summary>
    public string? OrderNumber { get; init; }

    /// <summary>The source id of the customer, when the order belongs to one.</summary>
    public string? CustomerId { get; init; }

    /// <summary>The email on the order.</summary>
    public string? Email { get; init; }

    /// <summary>The status as the source names it, before mapping.</summary>
    public string? SourceStatus { get; init; }

    /// <summary>Canonical status after mapping; null when the source status is unmapped.</summary>
    public OrderStatus? Status { get; init; }

    /// <summary>Payment state as the source names it.</summary>
    public string? PaymentStatus { get; init; }

    /// <summary>Shipment state as the source names it (for example Shipped, Delivered); "Delivered" starts the delivered journey.</summary>
    public string? ShipmentState { get; init; }

    /// <summary>Where the order was sold.</summary>
    public SalesChannelKind Channel { get; init; } = SalesChannelKind.Dtc;

    /// <summary>Store or market.</summary>
    public string? Store { get; init; }

    /// <summary>Order currency.</summary>
    public required string Currency { get; init; }

    /// <summary>Order lines.</summary>
    public IReadOnlyList<OrderLine> Lines { get; init; } = [];

    /// <summary>Total including tax.</summary>
    public Money Total { get; init; }

    /// <summary>Shipments, one per delivery.</summary>
    public IReadOnlyList<Shipment> Shipments { get; init; } = [];

    /// <summary>Refunds and returns.</summary>
    public IReadOnlyList<Refund> Refunds { get; init; } = [];

    /// <summary>When the order was placed.</summary>
    public DateTimeOffset PlacedAt { get; init; }
}
