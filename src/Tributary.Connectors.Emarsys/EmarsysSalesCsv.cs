using System.Globalization;
using System.Text;
using Tributary.Core.Facts;

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// The sales-data file layout: a fixed header (column names are case-sensitive and the order must stay the same from upload
/// to upload) and one CSV row per order line, refund line or cancellation line.
/// </summary>
public sealed class EmarsysSalesCsv
{
    private readonly bool _customer;
    private readonly bool _email;

    /// <summary>Creates the layout for the configured buyer identity.</summary>
    public EmarsysSalesCsv(EmarsysSalesIdentity identity, bool guestsByEmail)
    {
        _customer = identity == EmarsysSalesIdentity.Customer;
        _email = identity == EmarsysSalesIdentity.Email || guestsByEmail;
        Columns = ["order", "timestamp", .. _customer ? ["customer"] : Array.Empty<string>(), .. _email ? ["email"] : Array.Empty<string>(),
            "item", "price", "quantity"];
        Header = string.Join(',', Columns);
    }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The header row.</summary>
    public string Header { get; }

    /// <summary>True when the layout has an <c>email</c> column.</summary>
    public bool HasEmail => _email;

    /// <summary>One row. Exactly one of <paramref name="customer"/> and <paramref name="email"/> is written.</summary>
    public string Row(string order, DateTimeOffset at, string? customer, string? email, string item, decimal price, decimal quantity) =>
        AppendRow(new StringBuilder(96), order, at, customer, email, item, price, quantity).ToString();

    /// <summary>The row of a sales line (see <see cref="Fits(SalesLine)"/> for whether this layout can write it).</summary>
    public string Row(SalesLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return AppendRow(new StringBuilder(96), line).ToString();
    }

    /// <summary>Appends the row of a sales line to a file being built, without a line break.</summary>
    public StringBuilder AppendRow(StringBuilder sb, SalesLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return AppendRow(sb, line.Order, line.At, line.Customer, line.Email, line.Item, line.Price, line.Quantity);
    }

    /// <summary>
    /// True when this layout has the column the line's buyer goes in: <c>customer</c> for a line with a customer id,
    /// <c>email</c> for one with only an email (a layout changed since the line was projected may have neither).
    /// </summary>
    public bool Fits(SalesLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Customer is not null ? _customer : _email && !string.IsNullOrEmpty(line.Email);
    }

    private StringBuilder AppendRow(StringBuilder sb, string order, DateTimeOffset at, string? customer, string? email, string item, decimal price,
        decimal quantity)
    {
        // Formatted straight into the file being built: an upload carries thousands of rows.
        Append(sb, order).Append(',').Append(CultureInfo.InvariantCulture, $"{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
        if (_customer)
        {
            Append(sb.Append(','), customer ?? string.Empty);
        }

        if (_email)
        {
            Append(sb.Append(','), customer is null ? email ?? string.Empty : string.Empty);
        }

        return Append(sb.Append(','), item).Append(',')
            .Append(CultureInfo.InvariantCulture, $"{(price == 0 ? 0m : price):0.00##}").Append(',')
            .Append(CultureInfo.InvariantCulture, $"{(quantity == 0 ? 0m : quantity):0.####}");
    }

    /// <summary>
    /// True when a row has as many values as this layout has columns (a row projected under another layout does not). Rows come
    /// as text only from outboxes staged by an earlier version, which projected sales lines as finished rows.
    /// </summary>
    public bool Fits(string row) => CountValues(row) == Columns.Count;

    /// <summary>Timestamps are ISO-8601 UTC with a Z, whole seconds.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A price: invariant, '.' as separator, at least two decimals, no currency symbol.</summary>
    public static string Amount(decimal value) => (value == 0 ? 0m : value).ToString("0.00##", CultureInfo.InvariantCulture);

    /// <summary>A quantity: invariant, no trailing zeros (2, -1, 0.5).</summary>
    public static string Quantity(decimal value) => (value == 0 ? 0m : value).ToString("0.####", CultureInfo.InvariantCulture);

    private static StringBuilder Append(StringBuilder sb, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return sb.Append(value);
        }

        return sb.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static int CountValues(string row)
    {
        var count = 1;
        var quoted = false;
        foreach (var c in row)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                count++;
            }
        }

        return count;
    }
}
