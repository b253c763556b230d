using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// Products and stock into the account-scoped catalogue collection. An Insight upsert replaces the whole record, so a product's
/// record carries the SKU's last delivered stock and a stock change rewrites the product's record (<see cref="DotdigitalCatalogueState"/>).
/// </summary>
internal sealed class DotdigitalCatalogueWriter(DotdigitalDestinationOptions options, DotdigitalInsightWriter insight, DotdigitalCatalogueState state)
{
    private const string CatalogScope = "account";
    private const string CatalogType = "catalog";

    public Projection Project(Product product)
    {
        var price = options.CatalogCurrency is { } currency
            ? product.Prices.FirstOrDefault(p => string.Equals(p.Price.Currency, currency, StringComparison.OrdinalIgnoreCase))
            : (product.Prices.Count > 0 ? product.Prices[0] : null);
        if (price is null)
        {
            return Projection.Quarantine($"product has no price{(options.CatalogCurrency is { } c ? $" in {c}" : string.Empty)}: the catalogue needs one");
        }

        var name = Localized(product.Names) ?? product.Sku;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", product.Sku);
            json.WriteString("name", name);
            json.WriteString("sku", product.Sku);
            json.WriteNumber("price", price.Price.Amount);
            if (price.SpecialPrice is { } special)
            {
                json.WriteNumber("specialPrice", special.Amount);
            }

            json.WriteString("currency", price.Price.Currency);
            if (Localized(product.Urls) is { } url)
            {
                json.WriteString("url", url);
            }

            if (!string.IsNullOrWhiteSpace(product.ImageUrl))
            {
                json.WriteString(options.CatalogImageKey, product.ImageUrl);
            }

            if (product.Attributes.TryGetValue("stock", out var stockText)
                && decimal.TryParse(stockText, NumberStyles.Number, CultureInfo.InvariantCulture, out var stock))
            {
                json.WriteNumber("stock", stock);
            }

            json.WriteString("status", product.Active ? "Enabled" : "Disabled");
            if (!string.IsNullOrWhiteSpace(product.Brand))
            {
                json.WriteString("brand", product.Brand);
            }

            if (product.CategoryPath.Count > 0)
            {
                json.WriteStartArray("categories");
                foreach (var category in product.CategoryPath)
                {
                    json.WriteStringValue(category);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return new Projection(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [DotdigitalDestination.RecordField] = Encoding.UTF8.GetString(buffer.WrittenSpan),
        });
    }

    // The catalogue record is written whole, so a stock level waits for its product's record to exist.
    public static Projection Project(StockLevel stock) => new(
        new Dictionary<string, string?>(StringComparer.Ordinal) { [DotdigitalDestination.StockField] = stock.AvailableToSell.ToString(CultureInfo.InvariantCulture) },
        DependsOn: new DependencyKey(EntityKind.Product, stock.Sku));

    /// <summary>Products into the catalogue collection, each record carrying the SKU's last delivered stock level.</summary>
    public async Task<DeliveryResult> DeliverProductsAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            var stock = options.DeliverStock
                ? await state.StockAsync(items.Select(i => i.Key).ToList(), cancellationToken)
                : [];
            var writes = items.Select(item => stock.TryGetValue(item.Key, out var level) && Record(item) is { } record
                ? WithRecord(item, DotdigitalCatalogueState.WithStock(record, level))
                : item).ToList();
            var result = await insight.UpsertAsync(writes, options.CatalogCollection, CatalogScope, CatalogType, cancellationToken);
            foreach (var item in items.Where(i => !result.Failures.ContainsKey(i.Key)))
            {
                if (Record(item) is { } record)
                {
                    state.RememberRecord(item.Key, record);
                }
            }

            return result;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Stock levels: the SKU's catalogue record rewritten with the new <c>stock</c> (an Insight upsert replaces the record).</summary>
    public async Task<DeliveryResult> DeliverStockAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
            var records = await state.RecordsAsync(items.Select(i => i.Key).ToList(), cancellationToken);
            var writes = new List<DeliveryItem>(items.Count);
            foreach (var item in items)
            {
                if (!item.Fields.TryGetValue(DotdigitalDestination.StockField, out var level) || string.IsNullOrEmpty(level))
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

            var result = await insight.UpsertAsync(writes, options.CatalogCollection, CatalogScope, CatalogType, cancellationToken);
            foreach (var (key, failure) in result.Failures)
            {
                failures[key] = failure;
            }

            foreach (var item in items.Where(i => !failures.ContainsKey(i.Key)))
            {
                state.RememberStock(item.Key, item.Fields[DotdigitalDestination.StockField]!);
            }

            return new DeliveryResult(failures);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private static string? Record(DeliveryItem item) =>
        item.Fields.TryGetValue(DotdigitalDestination.RecordField, out var json) && !string.IsNullOrEmpty(json) ? json : null;

    private static DeliveryItem WithRecord(DeliveryItem item, string record)
    {
        var fields = new Dictionary<string, string?>(item.Fields, StringComparer.Ordinal) { [DotdigitalDestination.RecordField] = record };
        return new DeliveryItem(item.Key, fields, fields);
    }
    private string? Localized(IReadOnlyDictionary<string, string> values) =>
        options.CatalogLocale is { } locale && values.TryGetValue(locale, out var value) ? value : values.Values.FirstOrDefault();
}
