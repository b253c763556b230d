using Tributary.Connectors.Commercetools.Api;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Commercetools;

/// <summary>
/// Who hears about a SKU coming back: the customers whose shopping lists hold it. Shopping list predicates on the line's
/// variant SKU are not documented as queryable, so the lists are read in id order (narrowed by
/// <see cref="CommercetoolsSourceOptions.StockAlertListWhere"/> when set) and matched here. This runs only in a pass where a
/// stock signal fired, and only once for all the SKUs of that pass.
/// </summary>
public sealed partial class CommercetoolsSource
{
    /// <summary>The expansion that puts each shopping list line's variant, with its SKU, into the answer.</summary>
    public const string VariantExpansion = "lineItems[*].variant";

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetWatchersAsync(IReadOnlyCollection<string> skus,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!_options.StockAlertsFromShoppingLists || skus.Count == 0)
        {
            return result;
        }

        var wanted = new HashSet<string>(skus, StringComparer.Ordinal);
        var watchers = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            var where = new List<string> { "customer is defined" };
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            if (_options.StockAlertListWhere is { Length: > 0 } narrow)
            {
                where.Add(narrow);
            }

            if (after is not null)
            {
                where.Add("id > :after");
                variables["after"] = after;
            }

            // A line item's variant (and so its SKU) is only in the answer when its expansion is asked for (ShoppingListLineItem
            // in the HTTP API reference; the published example line has no variant).
            var request = new CatalogQueryRequest(where, variables, ["id asc"], Expand: [VariantExpansion]);
            var page = await Client.QueryShoppingListsAsync(request, cancellationToken);
            foreach (var list in page.Results.Select(r => r.Value).OfType<ShoppingListDto>())
            {
                Collect(list, wanted, watchers);
            }

            if (page.Results.Count < CommercetoolsClientOptions.MaxPageSize || page.Results[^1].Id is not { } last)
            {
                break;
            }

            after = last;
        }

        foreach (var (sku, customers) in watchers)
        {
            result[sku] = customers.ToList();
        }

        return result;
    }

    private static void Collect(ShoppingListDto list, HashSet<string> wanted, Dictionary<string, SortedSet<string>> watchers)
    {
        if (list.Customer?.Id is not { Length: > 0 } customerId)
        {
            return;
        }

        foreach (var line in list.LineItems ?? [])
        {
            // A line whose variant is gone, or that the platform deactivated, asks for nothing any more.
            if (line.DeactivatedAt is not null || line.Variant?.Sku is not { Length: > 0 } sku || !wanted.Contains(sku))
            {
                continue;
            }

            if (!watchers.TryGetValue(sku, out var customers))
            {
                watchers[sku] = customers = new SortedSet<string>(StringComparer.Ordinal);
            }

            customers.Add(customerId);
        }
    }
}
