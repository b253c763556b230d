using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Engine.Reconciliation;

public sealed partial class Reconciler
{
    /// <summary>
    /// The catalogue audit: renders the feed the source implies (valid source products with their stock) and the feed
    /// rendered from the delivered state — the one Emarsys fetches — through the same renderer, and compares SKUs, prices
    /// and availability.
    /// </summary>
    private async Task<CatalogueAuditReport?> AuditCatalogueAsync(RunState run, CancellationToken cancellationToken)
    {
        if (_options.Catalogue is not { } audit)
        {
            return null;
        }

        var expected = audit.Render(run.FeedProducts.Select(p => (p.Value, run.FeedStock.GetValueOrDefault(p.Key))));
        var stock = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        await foreach (var row in _store.ReadDeliveredAsync(audit.Destination, EntityKind.Stock, cancellationToken))
        {
            stock[row.Key] = row.Fields;
        }

        var products = new List<(IReadOnlyDictionary<string, string?>, IReadOnlyDictionary<string, string?>?)>();
        await foreach (var row in _store.ReadDeliveredAsync(audit.Destination, EntityKind.Product, cancellationToken))
        {
            products.Add((row.Fields, stock.GetValueOrDefault(row.Key)));
        }

        var feed = audit.Render(products);
        var differences = new List<CatalogueDifference>();
        long missing = 0, extra = 0, price = 0, availability = 0;
        void Note(CatalogueDifference difference)
        {
            if (differences.Count < _options.MaxListed)
            {
                differences.Add(difference);
            }
        }

        foreach (var (sku, item) in expected.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!feed.TryGetValue(sku, out var published))
            {
                missing++;
                Note(new CatalogueDifference(sku, "missing from the feed", item.Price, null));
                continue;
            }

            if (!Same(item.Price, published.Price))
            {
                price++;
                Note(new CatalogueDifference(sku, "price differs", item.Price, published.Price));
            }

            if (item.Available != published.Available)
            {
                availability++;
                Note(new CatalogueDifference(sku, "availability differs", Word(item.Available), Word(published.Available)));
            }
        }

        foreach (var sku in feed.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            extra++;
            Note(new CatalogueDifference(sku, "in the feed but not at the source", null, feed[sku].Price));
        }

        return new CatalogueAuditReport(audit.Destination, expected.Count, feed.Count, missing, extra, price, availability, differences);
    }

    private static string Word(bool available) => available ? "available" : "unavailable";
}
