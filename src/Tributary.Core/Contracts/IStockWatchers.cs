namespace Tributary.Core.Contracts;

/// <summary>
/// A source that knows which shoppers want to hear about a SKU (commercetools shopping lists and wishlists, for example).
/// Back-in-stock and low-stock signals are sent to these customers only: a marketing platform starts journeys for
/// contacts, and a stock signal alone has none. Sources without such lists simply do not implement it, and their stock
/// signals are recorded but reach no one.
/// </summary>
public interface IStockWatchers
{
    /// <summary>For each SKU asked about that somebody watches, the source ids of the customers watching it.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetWatchersAsync(IReadOnlyCollection<string> skus, CancellationToken cancellationToken);
}
