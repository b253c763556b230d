using System.Text;
using System.Text.Json;
using Tributary.Connectors.Commercetools.Api;

namespace Tributary.Connectors.Commercetools;

/// <summary>An orders query: predicates (ANDed), variables, sort, page size and reference expansions.</summary>
/// <param name="Where">Predicates; each is sent as its own <c>where</c> parameter.</param>
/// <param name="Variables">Values of <c>:name</c> placeholders, sent as <c>var.name</c>.</param>
/// <param name="Sort">Sort expressions such as <c>id asc</c>.</param>
/// <param name="Limit">Page size, capped at 500.</param>
/// <param name="WithTotal">Ask the platform to count matches (costly on big projects).</param>
/// <param name="Expand">Expansion paths, e.g. <see cref="CommercetoolsClient.PaymentsExpansion"/>.</param>
public sealed record OrderQueryRequest(IReadOnlyList<string> Where, IReadOnlyDictionary<string, string>? Variables = null,
    IReadOnlyList<string>? Sort = null, int Limit = CommercetoolsClientOptions.MaxPageSize, bool WithTotal = false,
    IReadOnlyList<string>? Expand = null);

/// <summary>One order of a page: the order, or why it could not be read.</summary>
/// <param name="Id">The id, when the record has one.</param>
/// <param name="Order">The record, when it could be read.</param>
/// <param name="ReadError">Why it could not be read.</param>
public sealed record OrderRecord(string? Id, OrderDto? Order, string? ReadError = null);

/// <summary>A page of orders.</summary>
/// <param name="Count">Records in the page.</param>
/// <param name="Total">Matches in all, when asked for.</param>
/// <param name="Results">The records, in the order served.</param>
public sealed record OrderQueryResult(int Count, long? Total, IReadOnlyList<OrderRecord> Results);

public sealed partial class CommercetoolsClient
{
    /// <summary>Expansion that inlines the Payment objects of an order (their transactions carry the refunds).</summary>
    public const string PaymentsExpansion = "paymentInfo.payments[*]";

    /// <summary>Queries orders.</summary>
    public Task<OrderQueryResult> QueryOrdersAsync(OrderQueryRequest query, CancellationToken cancellationToken)
    {
        var uri = Endpoints.Orders(Options, BuildQueryString(query.Where, query.Variables, query.Sort, query.Limit, query.WithTotal, query.Expand));
        return SendAsync(uri, ErrorContext.Api(Options, "read orders", "view_orders"), ReadOrderPageAsync, allowNotFound: false, cancellationToken)!;
    }

    /// <summary>One order by id, with its payments expanded; null when it does not exist.</summary>
    public Task<OrderRecord?> GetOrderAsync(string id, CancellationToken cancellationToken)
    {
        var uri = Endpoints.Order(Options, id, $"?expand={Uri.EscapeDataString(PaymentsExpansion)}");
        return SendAsync(uri, ErrorContext.Api(Options, "read orders", "view_orders"), ReadOneOrderAsync, allowNotFound: true, cancellationToken);
    }

    private static string BuildQueryString(IReadOnlyList<string> where, IReadOnlyDictionary<string, string>? variables,
        IReadOnlyList<string>? sort, int limit, bool withTotal, IReadOnlyList<string>? expand)
    {
        var sb = new StringBuilder("?");
        foreach (var w in where)
        {
            sb.Append("where=").Append(Uri.EscapeDataString(w)).Append('&');
        }

        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            sb.Append("var.").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }

        foreach (var s in sort ?? [])
        {
            sb.Append("sort=").Append(Uri.EscapeDataString(s)).Append('&');
        }

        foreach (var e in expand ?? [])
        {
            sb.Append("expand=").Append(Uri.EscapeDataString(e)).Append('&');
        }

        sb.Append("limit=").Append(Math.Clamp(limit, 0, CommercetoolsClientOptions.MaxPageSize));
        sb.Append("&withTotal=").Append(withTotal ? "true" : "false");
        return sb.ToString();
    }

    private static async Task<OrderQueryResult?> ReadOrderPageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var doc = await ParseAsync(stream, cancellationToken);
        var root = doc.RootElement;
        var results = new List<OrderRecord>();
        if (root.TryGetProperty("results", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray())
            {
                results.Add(ReadOrder(item));
            }
        }

        long? total = root.TryGetProperty("total", out var t) && t.TryGetInt64(out var n) ? n : null;
        return new OrderQueryResult(results.Count, total, results);
    }

    private static async Task<OrderRecord?> ReadOneOrderAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var doc = await ParseAsync(stream, cancellationToken);
        return ReadOrder(doc.RootElement);
    }

    /// <summary>Reads one order on its own, so an order of the wrong shape is reported alone instead of failing its page.</summary>
    private static OrderRecord ReadOrder(JsonElement item)
    {
        var id = IdOf(item);
        try
        {
            return new OrderRecord(id, item.Deserialize(CommercetoolsJsonContext.Default.OrderDto));
        }
        catch (JsonException e)
        {
            return new OrderRecord(id, null, $"the record does not have the Order shape ({e.Path ?? "root"}: {e.Message.Split('.')[0]})");
        }
    }

    private static string? IdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
            ? idElement.GetString()
            : null;
}
