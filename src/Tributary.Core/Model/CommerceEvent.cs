namespace Tributary.Core.Model;

/// <summary>Business events that start marketing journeys.</summary>
public enum CommerceEventType
{
    /// <summary>An order was placed.</summary>
    OrderPlaced,
    /// <summary>An order was paid.</summary>
    OrderPaid,
    /// <summary>One shipment left the warehouse (one event per shipment).</summary>
    ShipmentDispatched,
    /// <summary>An order was delivered.</summary>
    OrderDelivered,
    /// <summary>An order was cancelled.</summary>
    OrderCancelled,
    /// <summary>One refund was issued (one event per refund).</summary>
    RefundIssued,
    /// <summary>A customer's first order.</summary>
    FirstPurchase,
    /// <summary>A customer's second or later order.</summary>
    RepeatPurchase,
    /// <summary>A customer was created.</summary>
    CustomerCreated,
    /// <summary>A SKU came back in stock.</summary>
    BackInStock,
    /// <summary>A SKU fell below its low-stock threshold.</summary>
    LowStock,
    /// <summary>A cart was abandoned.</summary>
    CartAbandoned,
}

/// <summary>A business event with a stable dedupe key: it is delivered at most once per key.</summary>
public sealed record CommerceEvent : CanonicalRecord
{
    /// <inheritdoc />
    public override EntityKind Kind => EntityKind.Event;

    /// <inheritdoc />
    public override string Key => DedupeKey;

    /// <summary>The event type.</summary>
    public required CommerceEventType Type { get; init; }

    /// <summary>Stable key, for example <c>ShipmentDispatched:order-1:delivery-2</c>.</summary>
    public required string DedupeKey { get; init; }

    /// <summary>The contact the event is about (source customer id), if any.</summary>
    public string? CustomerId { get; init; }

    /// <summary>The subject of the event: order id or SKU.</summary>
    public string? SubjectId { get; init; }

    /// <summary>When the event happened at the source.</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>Personalisation data for the journey.</summary>
    public IReadOnlyDictionary<string, string?> Data { get; init; } = new Dictionary<string, string?>();
}
