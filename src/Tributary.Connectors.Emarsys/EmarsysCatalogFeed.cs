using System.Globalization;
using System.Text;

namespace Tributary.Connectors.Emarsys;

/// <summary>Whether a new catalogue feed may replace the last good one, and why.</summary>
/// <param name="Allowed">True when the new feed may be served.</param>
/// <param name="Reason">Why, in words for the operator.</param>
public readonly record struct EmarsysFeedDecision(bool Allowed, string Reason);

/// <summary>
/// Renders the Emarsys product catalogue CSV from the delivered catalogue state: the fields <see cref="EmarsysDestination"/>
/// projected for each product (column name → value) and, when delivered, for its stock (<c>available</c>, <c>ats</c>).
/// Pure: no I/O besides the writer.
/// </summary>
public static class EmarsysCatalogFeed
{
    /// <summary>Item id (the SKU); must equal the sales-data <c>item</c>.</summary>
    public const string Item = "item";

    /// <summary><c>true</c>/<c>false</c>.</summary>
    public const string Available = "available";

    /// <summary>Title in the default locale.</summary>
    public const string Title = "title";

    /// <summary>Absolute product page URL in the default locale.</summary>
    public const string Link = "link";

    /// <summary>Absolute image URL.</summary>
    public const string Image = "image";

    /// <summary>Category path joined with <c> &gt; </c>.</summary>
    public const string Category = "category";

    /// <summary>Current selling price in the default currency.</summary>
    public const string Price = "price";

    /// <summary>List price when a special price applies.</summary>
    public const string Msrp = "msrp";

    /// <summary>Brand.</summary>
    public const string Brand = "brand";

    /// <summary>Description, newlines stripped.</summary>
    public const string Description = "description";

    /// <summary>Parent product id grouping variants.</summary>
    public const string GroupId = "group_id";

    /// <summary>
    /// Product field (not a column) holding <c>true</c>/<c>false</c>: a product that is not sellable renders unavailable whatever its stock.
    /// </summary>
    public const string Active = "active";

    /// <summary>Stock field (not a column) holding the available-to-sell number.</summary>
    public const string Ats = "ats";

    private static readonly string[] BaseColumns =
        [Item, Available, Title, Link, Image, Category, Price, Msrp, Brand, Description, GroupId];

    /// <summary>Text columns that get a copy per extra locale.</summary>
    internal static readonly string[] LocalizedColumns = [Title, Link, Description];

    /// <summary>
    /// The header, in order: the standard columns, the stock and attribute custom columns, then per extra locale (by suffix)
    /// <c>title_{s}</c>, <c>link_{s}</c>, <c>description_{s}</c>, then per extra currency <c>price_{CCY}</c>, <c>msrp_{CCY}</c>.
    /// </summary>
    public static IReadOnlyList<string> Columns(EmarsysCatalogueOptions options)
    {
        var columns = new List<string>(BaseColumns);
        if (options.StockColumn is { } stock)
        {
            columns.Add(stock);
        }

        columns.AddRange(options.AttributeColumns.Values.Order(StringComparer.Ordinal));
        foreach (var suffix in options.Locales.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            columns.AddRange(LocalizedColumns.Select(c => $"{c}_{suffix}"));
        }

        foreach (var currency in Currencies(options))
        {
            columns.Add($"{Price}_{currency}");
            columns.Add($"{Msrp}_{currency}");
        }

        return columns;
    }

    /// <summary>
    /// Writes the header and one row per item (RFC 4180: comma separated, CRLF line ends, fields with a comma, quote or line
    /// break quoted with doubled quotes). An item repeated (after trimming) is written once, the first time; an item without
    /// an id is skipped. <c>available</c> is <c>false</c> for an inactive product, else the stock's value, else
    /// <see cref="EmarsysCatalogueOptions.AvailableWithoutStock"/>. Returns the rows written.
    /// </summary>
    public static int Render(IEnumerable<(IReadOnlyDictionary<string, string?> Product, IReadOnlyDictionary<string, string?>? Stock)> items,
        EmarsysCatalogueOptions options, TextWriter writer)
    {
        var columns = Columns(options);
        writer.Write(Line(columns));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var (product, stock) in items)
        {
            if (Row(product, stock, columns, options, seen) is { } row)
            {
                writer.Write(row);
                count++;
            }
        }

        return count;
    }

    /// <summary>The same as <see cref="Render"/>, writing asynchronously (for a response stream).</summary>
    public static async Task<int> RenderAsync(
        IEnumerable<(IReadOnlyDictionary<string, string?> Product, IReadOnlyDictionary<string, string?>? Stock)> items,
        EmarsysCatalogueOptions options, TextWriter writer, CancellationToken cancellationToken)
    {
        var columns = Columns(options);
        await writer.WriteAsync(Line(columns).AsMemory(), cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var (product, stock) in items)
        {
            if (Row(product, stock, columns, options, seen) is { } row)
            {
                await writer.WriteAsync(row.AsMemory(), cancellationToken);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Whether a feed of <paramref name="newItems"/> may replace the last good one of <paramref name="previousItems"/>. Every
    /// Emarsys import replaces the whole catalogue, so a feed that lost more than <paramref name="maxDropShare"/> of the items
    /// (a partial read, a broken filter) is refused and the last good feed stays served. The first feed is always allowed.
    /// </summary>
    public static EmarsysFeedDecision Guard(int previousItems, int newItems, double maxDropShare = EmarsysCatalogueOptions.DefaultMaxDropShare)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(previousItems);
        ArgumentOutOfRangeException.ThrowIfNegative(newItems);
        if (maxDropShare is < 0 or > 1 || double.IsNaN(maxDropShare))
        {
            throw new ArgumentOutOfRangeException(nameof(maxDropShare), maxDropShare, "Use a share between 0 and 1.");
        }

        if (previousItems == 0)
        {
            return new EmarsysFeedDecision(true, $"first feed: {newItems} items");
        }

        if (newItems >= previousItems)
        {
            return new EmarsysFeedDecision(true, $"{newItems} items, {previousItems} before");
        }

        var dropped = previousItems - newItems;
        var share = (double)dropped / previousItems;
        var percent = (share * 100).ToString("0.#", CultureInfo.InvariantCulture);
        var limit = (maxDropShare * 100).ToString("0.#", CultureInfo.InvariantCulture);
        return share > maxDropShare
            ? new EmarsysFeedDecision(false, $"refused: {newItems} items against {previousItems} in the last good feed, "
                + $"{dropped} ({percent} %) would vanish from Emarsys, more than the {limit} % allowed; the last good feed stays served")
            : new EmarsysFeedDecision(true, $"{newItems} items, {previousItems} before ({percent} % fewer, within {limit} %)");
    }

    internal static IEnumerable<string> Currencies(EmarsysCatalogueOptions options) =>
        options.Currencies.Select(c => c.ToUpperInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static string? Row(IReadOnlyDictionary<string, string?> product, IReadOnlyDictionary<string, string?>? stock,
        IReadOnlyList<string> columns, EmarsysCatalogueOptions options, HashSet<string> seen)
    {
        var item = product.TryGetValue(Item, out var value) ? value?.Trim() : null;
        if (string.IsNullOrEmpty(item) || !seen.Add(item))
        {
            return null;
        }

        var values = new string?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            values[i] = column switch
            {
                Item => item,
                Available => IsAvailable(product, stock, options) ? "true" : "false",
                _ when column == options.StockColumn => stock?.GetValueOrDefault(Ats),
                _ => product.GetValueOrDefault(column),
            };
        }

        return Line(values);
    }

    private static bool IsAvailable(IReadOnlyDictionary<string, string?> product, IReadOnlyDictionary<string, string?>? stock,
        EmarsysCatalogueOptions options)
    {
        if (product.TryGetValue(Active, out var active) && string.Equals(active, "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return stock is not null && stock.TryGetValue(Available, out var available) && available is not null
            ? string.Equals(available, "true", StringComparison.OrdinalIgnoreCase)
            : options.AvailableWithoutStock;
    }

    private static string Line(IReadOnlyList<string?> values)
    {
        var sb = new StringBuilder(256);
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            var value = values[i] ?? string.Empty;
            if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
            {
                sb.Append(value);
            }
            else
            {
                sb.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
        }

        return sb.Append("\r\n").ToString();
    }
}
