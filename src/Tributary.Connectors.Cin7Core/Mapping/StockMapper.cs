using Tributary.Connectors.Cin7Core.Api;
using Tributary.Core.Model;

namespace Tributary.Connectors.Cin7Core.Mapping;

/// <summary>
/// Maps a SKU's availability rows onto <see cref="StockLevel"/>. Available to sell is never On Hand: it is the sum over
/// sellable locations of (on hand − allocated), minus the SKU's safety stock, floored at 0. Non-sellable (quarantine) locations
/// carry their free stock as NonSellable and wholesale locations as Reserved, so Σ(onHand − allocated − reserved − nonSellable)
/// over all locations gives the same sum.
/// </summary>
internal static class StockMapper
{
    public static StockLevel Map(string sku, IEnumerable<AvailabilityDto> rows, Cin7CoreSourceOptions options, DateTimeOffset readAt)
    {
        var locations = new List<StockLocation>();
        decimal sellable = 0;
        // Rows are per location × bin × batch; a location is summed over its bins and batches.
        foreach (var byLocation in rows.GroupBy(r => Wire.Trimmed(r.Location) ?? "(no location)", StringComparer.OrdinalIgnoreCase)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var onHand = byLocation.Sum(r => r.OnHand);
            var allocated = byLocation.Sum(r => r.Allocated);
            var free = Math.Max(0, onHand - allocated);
            if (options.NonSellableLocations.Contains(byLocation.Key))
            {
                locations.Add(new StockLocation(byLocation.Key, onHand, allocated, NonSellable: free));
            }
            else if (options.WholesaleLocations.Contains(byLocation.Key))
            {
                locations.Add(new StockLocation(byLocation.Key, onHand, allocated, Reserved: free));
            }
            else
            {
                locations.Add(new StockLocation(byLocation.Key, onHand, allocated));
                sellable += onHand - allocated;
            }
        }

        return new StockLevel
        {
            Sku = sku,
            Locations = locations,
            AvailableToSell = Math.Max(0, sellable - options.SafetyStockFor(sku)),
            ModifiedAt = readAt,
            SourceVersion = readAt.ToUnixTimeMilliseconds(),
        };
    }
}
