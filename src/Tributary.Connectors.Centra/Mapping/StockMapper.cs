using System.Text.Json;
using Tributary.Core.Model;

namespace Tributary.Connectors.Centra.Mapping;

/// <summary>
/// Maps a size's per-warehouse stock onto <see cref="StockLevel"/>. Only <c>freeToAllocateQuantity</c> is read (free in
/// Centra's complexity scoring; physical and allocated are expensive), so each location carries it as on-hand with nothing
/// allocated: free-to-allocate already excludes allocations, the warehouse threshold and the variant's stock offset.
/// </summary>
internal static class StockMapper
{
    public static StockLevel Map(JsonElement size, CentraSourceOptions options, DateTimeOffset readAt)
    {
        var sku = Node.Required(size, "SKU");
        var locations = new List<StockLocation>();
        decimal sellable = 0;
        foreach (var row in Node.List(size, "stock"))
        {
            var warehouse = Node.Obj(row, "warehouse") ?? throw new UnmappableException($"stock of {sku} has a row without a warehouse");
            var name = Node.Text(warehouse, "name") ?? Node.Required(warehouse, "id");
            var free = Node.Decimal(row, "freeToAllocateQuantity") ?? 0;
            locations.Add(new StockLocation(name, free, 0));
            if (options.StockWarehouses.Count == 0 || options.StockWarehouses.Contains(name)
                || (Node.Text(warehouse, "id") is { } id && options.StockWarehouses.Contains(id)))
            {
                sellable += free;
            }
        }

        return new StockLevel
        {
            Sku = sku,
            Locations = locations,
            AvailableToSell = Math.Max(0, sellable),
            ModifiedAt = readAt,
            SourceVersion = readAt.ToUnixTimeMilliseconds(),
        };
    }
}
