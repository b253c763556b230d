namespace Tributary.Core.Model;

/// <summary>Stock of one SKU at one location.</summary>
/// <param name="Location">Location, warehouse or supply channel.</param>
/// <param name="OnHand">Physically present.</param>
/// <param name="Allocated">Committed to open orders.</param>
/// <param name="Reserved">Held for other purposes (carts, wholesale).</param>
/// <param name="NonSellable">Damaged, quarantined or otherwise unsellable.</param>
public sealed record StockLocation(string Location, decimal OnHand, decimal Allocated, decimal Reserved = 0, decimal NonSellable = 0);

/// <summary>Stock of one SKU over its locations, with the computed available-to-sell.</summary>
public sealed record StockLevel : CanonicalRecord
{
    /// <inheritdoc />
    public override EntityKind Kind => EntityKind.Stock;

    /// <inheritdoc />
    public override string Key => Sku;

    /// <summary>Variant SKU.</summary>
    public required string Sku { get; init; }

    /// <summary>Per-location figures.</summary>
    public IReadOnlyList<StockLocation> Locations { get; init; } = [];

    /// <summary>Available to sell after the ATS rule, floored at zero.</summary>
    public decimal AvailableToSell { get; init; }
}
