using System.Globalization;
using System.Runtime.CompilerServices;
using Tributary.Connectors.Cin7Core.Api;

namespace Tributary.Connectors.Cin7Core;

public sealed partial class Cin7CoreClient
{
    private static Cin7CoreJsonContext Json => Cin7CoreJsonContext.Default;

    /// <summary><c>GET /me</c>: the account (company and base currency); also the cheapest call for the server clock.</summary>
    public async Task<MeDto> GetMeAsync(CancellationToken cancellationToken) =>
        (await GetAsync("me", [], Json.MeDto, "the account (me)", notFoundAsNull: false, cancellationToken))!;

    /// <summary><c>GET /customer</c>: one page, deprecated customers included, optionally changed since a time.</summary>
    public async Task<CustomerListDto> ListCustomersAsync(int page, int limit, DateTimeOffset? modifiedSince, CancellationToken cancellationToken) =>
        (await GetAsync("customer", Paging(page, limit, ("ModifiedSince", Since(modifiedSince)), ("IncludeDeprecated", "true")),
            Json.CustomerListDto, "customers", notFoundAsNull: false, cancellationToken))!;

    /// <summary>One customer by id, or null.</summary>
    public async Task<CustomerDto?> GetCustomerAsync(string id, CancellationToken cancellationToken)
    {
        var list = await GetAsync("customer", Paging(1, 1, ("ID", id), ("IncludeDeprecated", "true")), Json.CustomerListDto, "a customer",
            notFoundAsNull: true, cancellationToken);
        return list?.CustomerList?.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary><c>GET /saleList</c>: one page of sale headers, optionally updated since a time.</summary>
    public async Task<SaleListDto> ListSalesAsync(int page, int limit, DateTimeOffset? updatedSince, CancellationToken cancellationToken) =>
        (await GetAsync("saleList", Paging(page, limit, ("UpdatedSince", Since(updatedSince))), Json.SaleListDto, "sales",
            notFoundAsNull: false, cancellationToken))!;

    /// <summary><c>GET /sale?ID=</c>: one sale with its order lines, fulfilments and credit notes, or null when it does not exist.</summary>
    public Task<SaleDto?> GetSaleAsync(string id, CancellationToken cancellationToken) =>
        GetAsync("sale", [new("ID", id), new("HideInventoryMovements", "true")], Json.SaleDto, "a sale", notFoundAsNull: true, cancellationToken);

    /// <summary><c>GET /product</c>: one page with attachments (images), deprecated products included, optionally by SKU or changed since a time.</summary>
    public async Task<ProductListDto> ListProductsAsync(int page, int limit, DateTimeOffset? modifiedSince, string? sku, CancellationToken cancellationToken) =>
        (await GetAsync("product", Paging(page, limit, ("ModifiedSince", Since(modifiedSince)), ("Sku", sku), ("IncludeDeprecated", "true"),
            ("IncludeAttachments", "true")), Json.ProductListDto, "products", notFoundAsNull: false, cancellationToken))!;

    /// <summary>Availability rows (product × location × bin × batch), optionally for one SKU.</summary>
    public async Task<AvailabilityListDto> ListAvailabilityAsync(int page, int limit, string? sku, CancellationToken cancellationToken) =>
        (await GetAsync(Options.AvailabilityPath, Paging(page, limit, ("Sku", sku)), Json.AvailabilityListDto, "product availability",
            notFoundAsNull: false, cancellationToken))!;

    /// <summary><c>GET /ref/location</c>: one page of locations.</summary>
    public async Task<LocationListDto> ListLocationsAsync(int page, int limit, CancellationToken cancellationToken) =>
        (await GetAsync("ref/location", Paging(page, limit), Json.LocationListDto, "locations", notFoundAsNull: false, cancellationToken))!;

    /// <summary>
    /// Walks every page of a list endpoint at <see cref="Cin7CoreClientOptions.EffectivePageLimit"/>, stopping when
    /// <c>Page × Limit ≥ Total</c> or a page comes back short, so no call is spent on an empty last page.
    /// </summary>
    public async IAsyncEnumerable<TItem> ReadAllPagesAsync<TPage, TItem>(Func<int, int, CancellationToken, Task<TPage>> fetch,
        Func<TPage, IReadOnlyList<TItem>?> items, Func<TPage, int> total, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        var limit = Options.EffectivePageLimit;
        for (var page = 1; ; page++)
        {
            var answer = await fetch(page, limit, cancellationToken);
            var list = items(answer) ?? [];
            foreach (var item in list)
            {
                yield return item;
            }

            if (list.Count < limit || (long)page * limit >= total(answer))
            {
                yield break;
            }
        }
    }

    private static List<KeyValuePair<string, string?>> Paging(int page, int limit, params (string Name, string? Value)[] more)
    {
        var query = new List<KeyValuePair<string, string?>>
        {
            new("Page", page.ToString(CultureInfo.InvariantCulture)),
            new("Limit", Math.Clamp(limit, 1, Cin7CoreClientOptions.MaxPageLimit).ToString(CultureInfo.InvariantCulture)),
        };
        query.AddRange(more.Select(m => new KeyValuePair<string, string?>(m.Name, m.Value)));
        return query;
    }

    /// <summary>
    /// A filter bound in Cin7 Core's format (UTC without offset), moved back by <see cref="Cin7CoreClientOptions.FilterSlack"/>
    /// and floored to the second; the exact window is applied on our side.
    /// </summary>
    private string? Since(DateTimeOffset? since)
    {
        if (since is not { } value)
        {
            return null;
        }

        var t = value.ToUniversalTime() - Options.FilterSlack;
        t = new DateTimeOffset(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
