using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Commercetools.Query;

/// <summary>One sort key of a query.</summary>
internal readonly record struct SortKey(string Field, bool Descending);

/// <summary>
/// The parsed query parameters of a query endpoint (<c>GET /customers</c>, <c>GET /orders</c>): predicates (ANDed), sort,
/// paging, <c>withTotal</c> and <c>expand</c>, with the id range the predicate implies so the store can start an id-ordered
/// page with a binary search.
/// </summary>
internal sealed class ResourceQuery
{
    /// <summary>Page size limits from the platform's paging trait: limit 0..500 (default 20), offset 0..10000.</summary>
    public const int DefaultLimit = 20;
    public const int MaxLimit = 500;
    public const int MaxOffset = 10_000;

    /// <summary>Fields a customers query may sort on.</summary>
    public static readonly IReadOnlySet<string> CustomerSortFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "lastModifiedAt", "createdAt", "email", "key", "customerNumber", "version", "firstName", "lastName",
    };

    /// <summary>Fields an orders query may sort on.</summary>
    public static readonly IReadOnlySet<string> OrderSortFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "lastModifiedAt", "createdAt", "completedAt", "orderNumber", "customerEmail", "customerId", "version",
    };

    /// <summary>Fields a product projections query may sort on.</summary>
    public static readonly IReadOnlySet<string> ProductSortFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "lastModifiedAt", "createdAt", "key", "version",
    };

    /// <summary>Fields an inventory query may sort on.</summary>
    public static readonly IReadOnlySet<string> InventorySortFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "sku", "lastModifiedAt", "createdAt", "version", "quantityOnStock", "availableQuantity",
    };

    /// <summary>Fields a channels query may sort on.</summary>
    public static readonly IReadOnlySet<string> ChannelSortFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "key", "lastModifiedAt", "createdAt", "version",
    };

    public Func<object, bool>? Filter { get; private init; }

    public bool HasPredicate => Filter is not null && !RestrictedOnly;

    /// <summary>True when the only filter is the endpoint's own restriction.</summary>
    private bool RestrictedOnly { get; init; }

    /// <summary>Records must have an id greater than (or equal to, when inclusive) this.</summary>
    public string? IdFrom { get; private init; }

    public bool IdFromInclusive { get; private init; }

    /// <summary>Set when the predicate pins one id.</summary>
    public string? IdEquals { get; private init; }

    public IReadOnlyList<SortKey> Sort { get; private init; } = [];

    public int Limit { get; private init; } = DefaultLimit;

    public int Offset { get; private init; }

    public bool WithTotal { get; private init; } = true;

    /// <summary>The <c>expand</c> paths asked for.</summary>
    public IReadOnlyList<string> Expand { get; private init; } = [];

    /// <summary>True when the page can be read in id order straight from the index.</summary>
    public bool IdOrdered => Sort.Count == 0 || Sort[0] is { Field: "id", Descending: false };

    public static ResourceQuery ForCustomers(IQueryCollection query) => Parse(query, Scope.Customer, CustomerSortFields);

    public static ResourceQuery ForOrders(IQueryCollection query) => Parse(query, Scope.Order, OrderSortFields);

    public static ResourceQuery ForProducts(IQueryCollection query) => Parse(query, Scope.Product, ProductSortFields);

    public static ResourceQuery ForInventory(IQueryCollection query) => Parse(query, Scope.Inventory, InventorySortFields);

    public static ResourceQuery ForChannels(IQueryCollection query) => Parse(query, Scope.Channel, ChannelSortFields);

    /// <summary>
    /// This query restricted further by a filter the endpoint applies itself (the current view hides unpublished products). The
    /// filter does not count as a predicate for the capped total, since the caller did not send it.
    /// </summary>
    public ResourceQuery Restrict(Func<object, bool> scope)
    {
        var filter = Filter;
        return new ResourceQuery
        {
            Filter = filter is null ? scope : x => scope(x) && filter(x),
            RestrictedOnly = filter is null,
            IdFrom = IdFrom,
            IdFromInclusive = IdFromInclusive,
            IdEquals = IdEquals,
            Sort = Sort,
            Limit = Limit,
            Offset = Offset,
            WithTotal = WithTotal,
            Expand = Expand,
        };
    }

    public static ResourceQuery Parse(IQueryCollection query, Scope scope, IReadOnlySet<string> sortable)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            if (name.StartsWith("var.", StringComparison.Ordinal) && values.Count > 0)
            {
                variables[name[4..]] = values[^1] ?? string.Empty;
            }
        }

        var conjuncts = new List<PredicateNode>();
        foreach (var where in query["where"])
        {
            if (!string.IsNullOrWhiteSpace(where))
            {
                Flatten(PredicateParser.Parse(where), conjuncts);
            }
        }

        Func<object, bool>? filter = null;
        string? idFrom = null;
        var inclusive = false;
        string? idEquals = null;
        if (conjuncts.Count > 0)
        {
            filter = PredicateCompiler.Compile(conjuncts.Count == 1 ? conjuncts[0] : new AndNode(conjuncts), scope, variables);
            foreach (var part in conjuncts)
            {
                if (part is not CompareNode { Field: "id" } compare)
                {
                    continue;
                }

                var value = PredicateCompiler.AsString("id", compare.Value, variables);
                switch (compare.Op)
                {
                    case "=":
                        idEquals = value;
                        break;
                    case ">" or ">=":
                        var candidateInclusive = compare.Op == ">=";
                        var order = idFrom is null ? 1 : string.CompareOrdinal(value, idFrom);
                        if (order > 0 || (order == 0 && !candidateInclusive))
                        {
                            idFrom = value;
                            inclusive = candidateInclusive;
                        }

                        break;
                }
            }
        }

        return new ResourceQuery
        {
            Filter = filter,
            IdFrom = idFrom,
            IdFromInclusive = inclusive,
            IdEquals = idEquals,
            Sort = ParseSort(query["sort"], sortable),
            Limit = ParseInt(query["limit"], "limit", DefaultLimit, MaxLimit),
            Offset = ParseInt(query["offset"], "offset", 0, MaxOffset),
            WithTotal = ParseBool(query["withTotal"], "withTotal", defaultValue: true),
            Expand = [.. query["expand"].Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e!.Trim())],
        };
    }

    private static void Flatten(PredicateNode node, List<PredicateNode> into)
    {
        if (node is AndNode and)
        {
            foreach (var part in and.Parts)
            {
                Flatten(part, into);
            }
        }
        else
        {
            into.Add(node);
        }
    }

    private static List<SortKey> ParseSort(IEnumerable<string?> values, IReadOnlySet<string> sortable)
    {
        var keys = new List<SortKey>();
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is < 1 or > 2 || !sortable.Contains(parts[0])
                || (parts.Length == 2 && parts[1] is not ("asc" or "desc")))
            {
                throw new PredicateException($"Malformed parameter: sort: '{value}' is not a valid sort expression (expected '<field> asc|desc').");
            }

            keys.Add(new SortKey(parts[0], parts.Length == 2 && parts[1] == "desc"));
        }

        return keys;
    }

    private static int ParseInt(string? value, string name, int defaultValue, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > max)
        {
            throw new PredicateException($"Malformed parameter: {name}: must be an integer between 0 and {max}, was '{value}'.");
        }

        return n;
    }

    private static bool ParseBool(string? value, string name, bool defaultValue) => value switch
    {
        null or "" => defaultValue,
        "true" => true,
        "false" => false,
        _ => throw new PredicateException($"Malformed parameter: {name}: must be true or false, was '{value}'."),
    };
}
