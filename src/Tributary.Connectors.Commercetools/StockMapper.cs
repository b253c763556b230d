using Tributary.Connectors.Commercetools.Api;
using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

/// <summary>
/// Folds the inventory entries of one SKU (one per supply channel) into a <see cref="StockLevel"/>: one location per channel
/// (its key), OnHand = <c>quantityOnStock</c>, Allocated = <c>quantityOnStock − availableQuantity</c> (reservations and orders
/// the platform already took off), and AvailableToSell = Σ <c>availableQuantity</c> over the storefront channels, less the
/// SKU's safety stock, floored at zero. Reserved units are never counted: only <c>availableQuantity</c> enters the sum.
/// </summary>
internal static class StockMapper
{
    public static StockLevel Map(string sku, IReadOnlyList<InventoryEntryDto> entries, CommercetoolsSourceOptions options,
        Func<string, string?> channelKey, DateTimeOffset? readAt)
    {
        var locations = new List<StockLocation>(entries.Count);
        decimal available = 0;
        var modified = DateTimeOffset.MinValue;
        foreach (var entry in entries.OrderBy(e => e.SupplyChannel?.Id, StringComparer.Ordinal))
        {
            var channelId = entry.SupplyChannel?.Id;
            var location = channelId is null ? CommercetoolsSourceOptions.DefaultStockLocation : channelKey(channelId) ?? channelId;
            locations.Add(new StockLocation(location, entry.QuantityOnStock, entry.QuantityOnStock - entry.AvailableQuantity));
            if (options.StockChannels.Count == 0 || options.StockChannels.Contains(location)
                || (channelId is not null && options.StockChannels.Contains(channelId)))
            {
                available += entry.AvailableQuantity;
            }

            modified = entry.LastModifiedAt > modified ? entry.LastModifiedAt : modified;
        }

        var safety = options.SafetyStockBySku.TryGetValue(sku, out var perSku) ? perSku : options.SafetyStock;

        // The level is a sum over entries, so no single entry version orders it; the time it was read does (a later read sees a
        // later state), raised to the newest entry change so a read within the same second as a change still orders after it.
        var version = Math.Max(readAt?.ToUnixTimeMilliseconds() ?? 0, modified == DateTimeOffset.MinValue ? 0 : modified.ToUnixTimeMilliseconds());
        return new StockLevel
        {
            Sku = sku,
            Locations = locations,
            AvailableToSell = Math.Max(0, available - safety),
            ModifiedAt = modified == DateTimeOffset.MinValue ? readAt ?? default : modified,
            SourceVersion = version,
        };
    }
}
