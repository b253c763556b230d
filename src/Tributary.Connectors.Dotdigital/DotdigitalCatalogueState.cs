using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// What the catalogue collection holds per SKU: the product's record as last written and its last stock level. An Insight upsert
/// replaces the whole record, so a stock change rewrites the product's record with the new <c>stock</c>, and a product change
/// keeps the stock. Remembered in memory; after a restart read from the delivered state (the engine's read-only view).
/// </summary>
internal sealed class DotdigitalCatalogueState(IDeliveredStateReader? deliveredState, string destination)
{
    private readonly ConcurrentDictionary<string, string> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _stock = new(StringComparer.Ordinal);

    /// <summary>One catalogue write at a time, so a product and its stock never overwrite each other's latest value.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public void RememberRecord(string sku, string record) => _records[sku] = record;

    public void RememberStock(string sku, string stock) => _stock[sku] = stock;

    public Task<Dictionary<string, string>> RecordsAsync(IReadOnlyCollection<string> skus, CancellationToken cancellationToken) =>
        LookUpAsync(_records, EntityKind.Product, DotdigitalDestination.RecordField, skus, cancellationToken);

    public Task<Dictionary<string, string>> StockAsync(IReadOnlyCollection<string> skus, CancellationToken cancellationToken) =>
        LookUpAsync(_stock, EntityKind.Stock, DotdigitalDestination.StockField, skus, cancellationToken);

    /// <summary>The record with its <c>stock</c> set (a number, as the collection's schema fixed it).</summary>
    public static string WithStock(string record, string stock)
    {
        var json = JsonNode.Parse(record)?.AsObject() ?? [];
        json["stock"] = decimal.Parse(stock, NumberStyles.Number, CultureInfo.InvariantCulture);
        return json.ToJsonString();
    }

    private async Task<Dictionary<string, string>> LookUpAsync(ConcurrentDictionary<string, string> memory, EntityKind entity, string field,
        IReadOnlyCollection<string> skus, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var sku in skus)
        {
            if (memory.TryGetValue(sku, out var value))
            {
                found[sku] = value;
            }
            else
            {
                missing.Add(sku);
            }
        }

        if (missing.Count == 0 || deliveredState is null)
        {
            return found;
        }

        var delivered = await deliveredState.GetDeliveredAsync(destination, entity, missing, cancellationToken);
        foreach (var (sku, state) in delivered)
        {
            if (state.Fields.TryGetValue(field, out var value) && !string.IsNullOrEmpty(value))
            {
                found[sku] = value;
                memory.TryAdd(sku, value);
            }
        }

        return found;
    }
}
