using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tributary.Connectors.Commercetools.Api;

namespace Tributary.Connectors.Commercetools;

/// <summary>A query of product projections, inventory entries or channels: predicates (ANDed), variables, sort, page size.</summary>
/// <param name="Where">Predicates; each is sent as its own <c>where</c> parameter.</param>
/// <param name="Variables">Values of <c>:name</c> placeholders, sent as <c>var.name</c>.</param>
/// <param name="Sort">Sort expressions such as <c>id asc</c>.</param>
/// <param name="Limit">Page size, capped at 500.</param>
/// <param name="WithTotal">Ask the platform to count matches (costly on big projects).</param>
/// <param name="Expand">Reference expansions (<c>expand</c> parameters), e.g. a shopping list line's variant.</param>
public sealed record CatalogQueryRequest(IReadOnlyList<string> Where, IReadOnlyDictionary<string, string>? Variables = null,
    IReadOnlyList<string>? Sort = null, int Limit = CommercetoolsClientOptions.MaxPageSize, bool WithTotal = false,
    IReadOnlyList<string>? Expand = null);

/// <summary>Which projection of products to read, and the price selection.</summary>
/// <param name="Staged">The staged projection (needs <c>view_products</c>) instead of the current (published) one.</param>
/// <param name="PriceCurrency">priceCurrency: with it each variant carries the selected <c>price</c>.</param>
/// <param name="PriceCountry">priceCountry (needs <paramref name="PriceCurrency"/>).</param>
/// <param name="PriceChannel">priceChannel, a channel id (needs <paramref name="PriceCurrency"/>).</param>
public sealed record ProductProjectionParameters(bool Staged = false, string? PriceCurrency = null, string? PriceCountry = null, string? PriceChannel = null);

/// <summary>One record of a page: the value, or why it could not be read.</summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <param name="Id">The id, when the record has one.</param>
/// <param name="Value">The record, when it could be read.</param>
/// <param name="ReadError">Why it could not be read.</param>
public sealed record QueryRecord<T>(string? Id, T? Value, string? ReadError = null)
    where T : class;

/// <summary>A page of records.</summary>
/// <typeparam name="T">The resource type.</typeparam>
/// <param name="Count">Records in the page.</param>
/// <param name="Total">Matches in all, when asked for.</param>
/// <param name="Results">The records, in the order served.</param>
public sealed record QueryPage<T>(int Count, long? Total, IReadOnlyList<QueryRecord<T>> Results)
    where T : class;

public sealed partial class CommercetoolsClient
{
    /// <summary>Queries product projections (<c>view_published_products</c> for the current view, <c>view_products</c> for staged).</summary>
    public Task<QueryPage<ProductProjectionDto>> QueryProductProjectionsAsync(CatalogQueryRequest query, ProductProjectionParameters? projection,
        CancellationToken cancellationToken)
    {
        var extra = new StringBuilder();
        if (projection is not null)
        {
            extra.Append(projection.Staged ? "&staged=true" : string.Empty);
            Append(extra, "priceCurrency", projection.PriceCurrency);
            Append(extra, "priceCountry", projection.PriceCountry);
            Append(extra, "priceChannel", projection.PriceChannel);
        }

        var uri = Endpoints.Resource(Options, "product-projections", BuildQueryString(query) + extra);
        var scope = projection?.Staged == true ? "view_products" : "view_published_products";
        return QueryAsync(uri, ErrorContext.Api(Options, "read product projections", scope), CommercetoolsJsonContext.Default.ProductProjectionDto,
            "ProductProjection", cancellationToken);
    }

    /// <summary>Queries inventory entries (<c>view_products</c>).</summary>
    public Task<QueryPage<InventoryEntryDto>> QueryInventoryAsync(CatalogQueryRequest query, CancellationToken cancellationToken) =>
        QueryAsync(Endpoints.Resource(Options, "inventory", BuildQueryString(query)), ErrorContext.Api(Options, "read inventory", "view_products"),
            CommercetoolsJsonContext.Default.InventoryEntryDto, "InventoryEntry", cancellationToken);

    /// <summary>Queries channels (<c>view_channels</c> or <c>view_products</c>).</summary>
    public Task<QueryPage<ChannelDto>> QueryChannelsAsync(CatalogQueryRequest query, CancellationToken cancellationToken) =>
        QueryAsync(Endpoints.Resource(Options, "channels", BuildQueryString(query)), ErrorContext.Api(Options, "read channels", "view_channels"),
            CommercetoolsJsonContext.Default.ChannelDto, "Channel", cancellationToken);

    /// <summary>Queries shopping lists (<c>view_shopping_lists</c>).</summary>
    public Task<QueryPage<ShoppingListDto>> QueryShoppingListsAsync(CatalogQueryRequest query, CancellationToken cancellationToken) =>
        QueryAsync(Endpoints.Resource(Options, "shopping-lists", BuildQueryString(query)), ErrorContext.Api(Options, "read shopping lists", "view_shopping_lists"),
            CommercetoolsJsonContext.Default.ShoppingListDto, "ShoppingList", cancellationToken);

    private static string BuildQueryString(CatalogQueryRequest query) =>
        BuildQueryString(query.Where, query.Variables, query.Sort, query.Limit, query.WithTotal, expand: query.Expand);

    private static void Append(StringBuilder sb, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            sb.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
    }

    private Task<QueryPage<T>> QueryAsync<T>(Uri uri, ErrorContext context, JsonTypeInfo<T> info, string shape, CancellationToken cancellationToken)
        where T : class =>
        SendAsync(uri, context, async (response, ct) =>
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var doc = await ParseAsync(stream, ct);
            var root = doc.RootElement;
            var results = new List<QueryRecord<T>>();
            if (root.TryGetProperty("results", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    results.Add(ReadOne(item, info, shape));
                }
            }

            long? total = root.TryGetProperty("total", out var t) && t.TryGetInt64(out var n) ? n : null;
            return new QueryPage<T>(results.Count, total, results);
        }, allowNotFound: false, cancellationToken)!;

    /// <summary>Reads one record on its own, so a record of the wrong shape is reported alone instead of failing its page.</summary>
    private static QueryRecord<T> ReadOne<T>(JsonElement item, JsonTypeInfo<T> info, string shape)
        where T : class
    {
        var id = IdOf(item);
        try
        {
            return new QueryRecord<T>(id, item.Deserialize(info));
        }
        catch (JsonException e)
        {
            return new QueryRecord<T>(id, null, $"the record does not have the {shape} shape ({e.Path ?? "root"}: {e.Message.Split('.')[0]})");
        }
    }
}
