using Tributary.Connectors.Commercetools.Api;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

/// <summary>
/// Re-reads what a product or inventory entry notification names (<see cref="CommercetoolsHints"/>): every variant of the
/// product, or the stock of the entry's SKU over all its channels.
/// </summary>
public sealed partial class CommercetoolsSource
{
    /// <inheritdoc />
    public bool IsGroup(EntityKind entity, string key) => CommercetoolsHints.GroupId(entity, key) is not null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<CanonicalRecord>> GetGroupAsync(EntityKind entity, string key, CancellationToken cancellationToken)
    {
        var id = CommercetoolsHints.GroupId(entity, key)
                 ?? throw new ArgumentException($"'{key}' is not a commercetools group key.", nameof(key));
        if (entity == EntityKind.Stock)
        {
            var entries = await Client.QueryInventoryAsync(new CatalogQueryRequest([$"id = \"{Escape(id)}\""], Limit: 1), cancellationToken);
            return entries.Results.Count > 0 && entries.Results[0].Value?.Sku is { Length: > 0 } sku && await GetStockAsync(sku, cancellationToken) is { } level
                ? [level]
                : [];
        }

        var records = await ReadProductByIdAsync(id, staged: _options.StagedProducts, cancellationToken);
        if (records is null && !_options.StagedProducts)
        {
            // Not in the current view: unpublished (or deleted). The staged view still has an unpublished product, so its variants
            // are sent as inactive at once instead of lingering in the catalogue until the next full read. That view needs
            // view_products; a client holding view_published_products only cannot see it, and the full read withdraws the product.
            try
            {
                records = (await ReadProductByIdAsync(id, staged: true, cancellationToken))?
                    .Select(r => r is Product p ? p with { Active = false } : r)
                    .ToList();
            }
            catch (CommercetoolsException ex) when (ex.Kind == FailureKind.Config)
            {
                records = null;
            }
        }

        return records ?? [];
    }

    /// <summary>The product's variants from one projection; null when that projection has no product with the id.</summary>
    private async Task<List<CanonicalRecord>?> ReadProductByIdAsync(string id, bool staged, CancellationToken cancellationToken)
    {
        var query = new CatalogQueryRequest(["id = :id"], new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = id }, Limit: 1);
        var page = await Client.QueryProductProjectionsAsync(query, new ProductProjectionParameters(Staged: staged), cancellationToken);
        if (page.Count == 0)
        {
            return null;
        }

        var records = new List<CanonicalRecord>();
        var rejected = new List<SourceRejection>();
        await MapProductsAsync(page.Results, records, rejected, cancellationToken);
        if (records.Count == 0 && rejected.Count > 0)
        {
            throw new CommercetoolsException(FailureKind.Invalid, $"commercetools product {id} cannot be mapped: {rejected[0].Reason}",
                platformCode: "Unmappable");
        }

        return records;
    }
}
