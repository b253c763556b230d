namespace Tributary.Core.Model;

/// <summary>The kinds of record that flow through Tributary.</summary>
public enum EntityKind
{
    /// <summary>A person who buys: becomes a contact.</summary>
    Customer,
    /// <summary>A purchase with its lines, shipments, returns and refunds.</summary>
    Order,
    /// <summary>A catalogue item keyed by variant SKU.</summary>
    Product,
    /// <summary>Stock of one SKU summed over the included locations.</summary>
    Stock,
    /// <summary>A business event that starts a marketing journey.</summary>
    Event,
    /// <summary>Attributes derived from a customer's order history (count, lifetime value…), delivered onto the contact.</summary>
    CustomerSummary,
    /// <summary>
    /// The erasure of a customer's contact at a destination (deleted or anonymised), keyed by the customer's id: staged when the
    /// customer was deleted at the source or a data-subject request (<c>forget</c>) asked for it, delivered through the outbox
    /// like any record, so an erasure interrupted by a crash completes after restart.
    /// </summary>
    Erasure,
}
