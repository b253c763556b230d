using System.Runtime.CompilerServices;
using Tributary.Connectors.Commercetools.Api;
using Tributary.Connectors.Http;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

/// <summary>
/// Products and stock. Products page over product projections by product id (a page's <see cref="SourcePage.LastKey"/> is the
/// last product id, the paging key, while its records are keyed by variant SKU). Stock pages over inventory entries by SKU
/// (<c>sort=sku asc</c>, <c>where=sku &gt; "last"</c>), so every SKU arrives whole, with all its channels, in one page.
/// </summary>
public sealed partial class CommercetoolsSource
{
    /// <summary>SKUs per <c>sku in (…)</c> predicate: keeps the URL short on every gateway.</summary>
    private const int SkusPerQuery = 50;

    private async Task<MappedPage> ReadProductPageAsync(List<string> where, Dictionary<string, string> variables, int limit,
        CancellationToken cancellationToken)
    {
        var page = await Client.QueryProductProjectionsAsync(new CatalogQueryRequest(where, variables, ["id asc"], limit),
            new ProductProjectionParameters(Staged: _options.StagedProducts), cancellationToken);
        var records = new List<CanonicalRecord>();
        var rejected = new List<SourceRejection>();
        await MapProductsAsync(page.Results, records, rejected, cancellationToken);
        return new MappedPage(page.Results.Select(r => r.Id).ToList(), records, rejected);
    }

    private async Task MapProductsAsync(IReadOnlyList<QueryRecord<ProductProjectionDto>> results, List<CanonicalRecord> records,
        List<SourceRejection> rejected, CancellationToken cancellationToken)
    {
        var channelIds = results.Select(r => r.Value).OfType<ProductProjectionDto>()
            .SelectMany(ProductMapper.AllVariants)
            .SelectMany(v => v.Prices ?? [])
            .Select(p => p.Channel?.Id)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (channelIds.Count > 0)
        {
            await _channels.EnsureAsync(channelIds, cancellationToken);
        }

        var now = Client.LastServerDate?.Server;
        foreach (var result in results)
        {
            if (result.Value is null)
            {
                rejected.Add(new SourceRejection(EntityKind.Product, result.Id ?? string.Empty, result.ReadError ?? "the record could not be read",
                    ProductMapper.Summarize(null, result.Id)));
                continue;
            }

            ProductMapper.Map(result.Value, _options, _channels.KeyOf, now, records, rejected);
        }
    }

    // The SKUs of a page in the order served, one per run of entries (entries without a SKU are rejected later, not checked).
    private static List<string?> SkuRuns(IReadOnlyList<QueryRecord<InventoryEntryDto>> entries)
    {
        var runs = new List<string?>();
        foreach (var entry in entries)
        {
            if (entry.Value?.Sku is { Length: > 0 } sku && (runs.Count == 0 || !string.Equals(runs[^1], sku, StringComparison.Ordinal)))
            {
                runs.Add(sku);
            }
        }

        return runs;
    }

    private async IAsyncEnumerable<SourcePage> ReadStockAsync(SourceReadRequest request, int limit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (window, variables) = Window(request);
        var incremental = window.Count > 0;
        var after = request.AfterKey;
        // The platform's collation of sku asc is not published: checked under every common collation (KeysetOrder.Text).
        var order = KeysetOrder.Text(SourceName, EntityKind.Stock, "sku", after);
        while (true)
        {
            var where = new List<string>(window);
            if (after is not null)
            {
                where.Add($"sku > \"{Escape(after)}\"");
            }

            var page = await Client.QueryInventoryAsync(new CatalogQueryRequest(where, variables, ["sku asc", "id asc"], limit), cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }

            // Before the page is used. A SKU has one entry per channel, served together (sort sku asc, id asc): each run of one
            // SKU counts once, and a SKU served again after another is out of order.
            order.Check(SkuRuns(page.Results));
            var rejected = new List<SourceRejection>();
            var entries = Readable(page.Results, rejected);
            var skus = entries.Select(e => e.Sku!).Distinct(StringComparer.Ordinal).ToList();
            if (skus.Count == 0)
            {
                throw new CommercetoolsException(FailureKind.Invalid,
                    "commercetools served a page of inventory entries none of which has a SKU, so paging cannot continue past it.");
            }

            var full = page.Count >= limit;
            if (incremental)
            {
                // The window found which SKUs changed; their levels need every channel, changed or not.
                entries = await EntriesOfAsync(skus, rejected, cancellationToken);
            }
            else if (full)
            {
                // A full page may have cut the last SKU's entries short: read that SKU whole.
                entries.RemoveAll(e => e.Sku == skus[^1]);
                entries.AddRange(await EntriesOfAsync([skus[^1]], rejected, cancellationToken));
            }

            var records = await MapStockAsync(skus, entries, cancellationToken);
            after = skus[^1];
            yield return new SourcePage(records, after, rejected);
            if (!full)
            {
                yield break;
            }
        }
    }

    private async Task<Product?> GetProductAsync(string sku, CancellationToken cancellationToken)
    {
        var query = new CatalogQueryRequest(["masterVariant(sku = :sku) or variants(sku = :sku)"],
            new Dictionary<string, string>(StringComparer.Ordinal) { ["sku"] = sku }, Limit: 1);
        var page = await Client.QueryProductProjectionsAsync(query, new ProductProjectionParameters(Staged: _options.StagedProducts), cancellationToken);
        if (page.Count == 0)
        {
            return null;
        }

        var records = new List<CanonicalRecord>();
        var rejected = new List<SourceRejection>();
        await MapProductsAsync(page.Results, records, rejected, cancellationToken);
        return records.OfType<Product>().FirstOrDefault(p => p.Sku == sku)
               ?? throw new CommercetoolsException(FailureKind.Invalid,
                   $"commercetools product with SKU {sku} cannot be mapped: {rejected.FirstOrDefault()?.Reason ?? "the SKU is not on the product served"}",
                   platformCode: "Unmappable");
    }

    private async Task<StockLevel?> GetStockAsync(string sku, CancellationToken cancellationToken)
    {
        var rejected = new List<SourceRejection>();
        var entries = await EntriesOfAsync([sku], rejected, cancellationToken);
        if (rejected.Count > 0)
        {
            throw new CommercetoolsException(FailureKind.Invalid, $"commercetools stock of SKU {sku} cannot be mapped: {rejected[0].Reason}",
                platformCode: "Unmappable");
        }

        return entries.Count == 0 ? null : (StockLevel)(await MapStockAsync([sku], entries, cancellationToken))[0];
    }

    /// <summary>Every inventory entry of <paramref name="skus"/>, in batches, each paged by id.</summary>
    private async Task<List<InventoryEntryDto>> EntriesOfAsync(IReadOnlyList<string> skus, List<SourceRejection> rejected,
        CancellationToken cancellationToken)
    {
        var entries = new List<InventoryEntryDto>();
        foreach (var batch in skus.Chunk(SkusPerQuery))
        {
            var inList = $"sku in ({string.Join(", ", batch.Select(s => $"\"{Escape(s)}\""))})";
            string? after = null;
            while (true)
            {
                List<string> where = after is null ? [inList] : [inList, $"id > \"{Escape(after)}\""];
                var page = await Client.QueryInventoryAsync(new CatalogQueryRequest(where, Sort: ["id asc"]), cancellationToken);
                entries.AddRange(Readable(page.Results, rejected));
                after = page.Results.Count > 0 ? page.Results[^1].Id : null;
                if (page.Count < CommercetoolsClientOptions.MaxPageSize || after is null)
                {
                    break;
                }
            }
        }

        return entries;
    }

    private async Task<List<CanonicalRecord>> MapStockAsync(List<string> skus, List<InventoryEntryDto> entries, CancellationToken cancellationToken)
    {
        var channelIds = entries.Select(e => e.SupplyChannel?.Id).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (channelIds.Count > 0)
        {
            await _channels.EnsureAsync(channelIds, cancellationToken);
        }

        var bySku = entries.GroupBy(e => e.Sku!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var readAt = Client.LastServerDate?.Server;
        return skus.Where(bySku.ContainsKey)
            .Select(sku => (CanonicalRecord)StockMapper.Map(sku, bySku[sku], _options, _channels.KeyOf, readAt))
            .ToList();
    }

    /// <summary>The entries that could be read and name a SKU; the others become rejections keyed by entry id.</summary>
    private static List<InventoryEntryDto> Readable(IReadOnlyList<QueryRecord<InventoryEntryDto>> results, List<SourceRejection> rejected)
    {
        var entries = new List<InventoryEntryDto>(results.Count);
        foreach (var result in results)
        {
            if (result.Value is { Sku: { Length: > 0 } } entry)
            {
                entries.Add(entry);
            }
            else
            {
                rejected.Add(new SourceRejection(EntityKind.Stock, result.Id ?? string.Empty,
                    result.ReadError ?? "the inventory entry has no SKU", $"inventory entry id={result.Id}"));
            }
        }

        return entries;
    }
}
