namespace Tributary.Core.Model;

/// <summary>
/// Attributes derived from a customer's verified order history. Keyed by the customer's source id and delivered onto the
/// contact, after the contact itself.
/// </summary>
public sealed record CustomerSummary : CanonicalRecord
{
    /// <inheritdoc />
    public override EntityKind Kind => EntityKind.CustomerSummary;

    /// <inheritdoc />
    public override string Key => CustomerId;

    /// <summary>The customer's source id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Orders placed and not cancelled.</summary>
    public int OrderCount { get; init; }

    /// <summary>Lifetime value net of refunds and cancellations, in <see cref="Currency"/>.</summary>
    public decimal LifetimeValue { get; init; }

    /// <summary>Lifetime value divided by the order count (0 without orders).</summary>
    public decimal AverageOrderValue { get; init; }

    /// <summary>Currency of the amounts (the customer's orders in other currencies are not summed in).</summary>
    public required string Currency { get; init; }

    /// <summary>When the first counted order was placed.</summary>
    public DateTimeOffset? FirstOrderAt { get; init; }

    /// <summary>When the last counted order was placed.</summary>
    public DateTimeOffset? LastOrderAt { get; init; }
}
