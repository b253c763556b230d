using Tributary.Core.Contracts;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalDestination
{
    private const string CatalogScope = "account";
    private const string CatalogType = "catalog";

    /// <summary>Products into the catalogue collection, each record carrying the SKU's last delivered stock level.</summary>
    private async Task<DeliveryResult> DeliverProductsAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        await _catalogue.Gate.WaitAsync(cancellationToken);
        try
        {
            var stock = _options.DeliverStock
                ? await _catalogue.StockAsync(items.Select(i => i.Key).ToList(), cancellationToken)
                : [];
            var writes = items.Select(item => stock.TryGetValue(item.Key, out var level) && Record(item) is { } record
                ? WithRecord(item, DotdigitalCatalogueState.WithStock(record, level))
                : item).ToList();
            var result = await DeliverInsightAsync(writes, _options.CatalogCollection, CatalogScope, CatalogType, cancellationToken);
            foreach (var item in items.Where(i => !result.Failures.ContainsKey(i.Key)))
            {
                if (Record(item) is { } record)
                {
                    _catalogue.RememberRecord(item.Key, record);
                }
            }

            return result;
        }
        finally
        {
            _catalogue.Gate.Release();
        }
    }

    /// <summary>Stock levels: the SKU's catalogue record rewritten with the new <c>stock</c> (an Insight upsert replaces the record).</summary>
    private async Task<DeliveryResult> DeliverStockAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        await _catalogue.Gate.WaitAsync(cancellationToken);
        try
        {
            var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
            var records = await _catalogue.RecordsAsync(items.Select(i => i.Key).ToList(), cancellationToken);
            var writes = new List<DeliveryItem>(items.Count);
            foreach (var item in items)
            {
                if (!item.Fields.TryGetValue(StockField, out var level) || string.IsNullOrEmpty(level))
                {
                    failures[item.Key] = new ItemFailure(FailureKind.Invalid, null, "no stock level to send");
                }
                else if (!records.TryGetValue(item.Key, out var record))
                {
                    failures[item.Key] = new ItemFailure(FailureKind.NotFound, null,
                        "the SKU has no catalogue record in Dotdigital yet: its product must be delivered first");
                }
                else
                {
                    writes.Add(WithRecord(item, DotdigitalCatalogueState.WithStock(record, level)));
                }
            }

            var result = await DeliverInsightAsync(writes, _options.CatalogCollection, CatalogScope, CatalogType, cancellationToken);
            foreach (var (key, failure) in result.Failures)
            {
                failures[key] = failure;
            }

            foreach (var item in items.Where(i => !failures.ContainsKey(i.Key)))
            {
                _catalogue.RememberStock(item.Key, item.Fields[StockField]!);
            }

            return new DeliveryResult(failures);
        }
        finally
        {
            _catalogue.Gate.Release();
        }
    }

    private static string? Record(DeliveryItem item) =>
        item.Fields.TryGetValue(RecordField, out var json) && !string.IsNullOrEmpty(json) ? json : null;

    private static DeliveryItem WithRecord(DeliveryItem item, string record)
    {
        var fields = new Dictionary<string, string?>(item.Fields, StringComparer.Ordinal) { [RecordField] = record };
        return new DeliveryItem(item.Key, fields, fields);
    }
}
