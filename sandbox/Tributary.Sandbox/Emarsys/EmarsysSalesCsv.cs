using System.Globalization;
using System.Text;

namespace Tributary.Sandbox.Emarsys;

/// <summary>
/// Reads and checks a sales-data file the way the HAPI endpoint does: a header row whose names are case-sensitive
/// (<c>Price</c> is a custom column, not <c>price</c>), one row per order line, and an error for the whole file on a bad row.
/// </summary>
internal static class EmarsysSalesCsv
{
    /// <summary>Columns every file must have.</summary>
    public static readonly string[] RequiredColumns = ["order", "timestamp", "item", "price", "quantity"];

    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd"];

    /// <summary>Parses and validates; returns the rows keyed by column, or the error text of a 400.</summary>
    public static string? TryRead(string text, out List<IReadOnlyDictionary<string, string>> rows)
    {
        rows = [];
        var records = Parse(text, out var syntax);
        if (syntax is not null)
        {
            return syntax;
        }

        if (records.Count == 0)
        {
            return "Empty file: a header row is required";
        }

        var header = records[0];
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return $"Duplicate column: {duplicate.Key}";
        }

        var missing = RequiredColumns.Where(c => !header.Contains(c, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            return $"Missing required column(s): {string.Join(", ", missing)} (column names are case-sensitive)";
        }

        var hasCustomer = header.Contains("customer", StringComparer.Ordinal);
        var hasEmail = header.Contains("email", StringComparer.Ordinal);
        if (!hasCustomer && !hasEmail)
        {
            return "Missing required column: customer or email";
        }

        for (var i = 1; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Count != header.Count)
            {
                return $"Row {i}: {record.Count} values for {header.Count} columns";
            }

            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var c = 0; c < header.Count; c++)
            {
                row[header[c]] = record[c];
            }

            if (CheckRow(row, hasCustomer, hasEmail) is { } error)
            {
                return $"Row {i}: {error}";
            }

            rows.Add(row);
        }

        return null;
    }

    private static string? CheckRow(Dictionary<string, string> row, bool hasCustomer, bool hasEmail)
    {
        // A row without order or timestamp fails the whole load.
        if (row["order"].Length == 0)
        {
            return "order is empty";
        }

        if (!DateTime.TryParseExact(row["timestamp"], TimestampFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _))
        {
            return $"timestamp '{row["timestamp"]}' is not an ISO-8601 UTC time";
        }

        if (row["item"].Length == 0)
        {
            return "item is empty";
        }

        if (!IsNumber(row["price"]))
        {
            return $"price '{row["price"]}' is not a number ('.' as decimal separator, no currency)";
        }

        if (!IsNumber(row["quantity"]))
        {
            return $"quantity '{row["quantity"]}' is not a number";
        }

        var customer = hasCustomer ? row["customer"] : string.Empty;
        var email = hasEmail ? row["email"] : string.Empty;
        if (customer.Length == 0 && email.Length == 0)
        {
            return "neither customer nor email is set";
        }

        return customer.Length > 0 && email.Length > 0 ? "both customer and email are set; use one of them" : null;
    }

    internal static bool IsNumber(string text)
    {
        var body = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        var dot = body.IndexOf('.');
        var whole = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? ReadOnlySpan<char>.Empty : body[(dot + 1)..];
        return whole.Length > 0 && !whole.ContainsAnyExceptInRange('0', '9')
            && (dot < 0 || (fraction.Length > 0 && !fraction.ContainsAnyExceptInRange('0', '9')));
    }

    /// <summary>RFC 4180: commas, double-quoted fields with <c>""</c> escapes, CRLF or LF line ends.</summary>
    internal static List<List<string>> Parse(string text, out string? error)
    {
        error = null;
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var atFieldStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when atFieldStart:
                    quoted = true;
                    atFieldStart = false;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    atFieldStart = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    record.Add(field.ToString());
                    field.Clear();
                    records.Add(record);
                    record = [];
                    atFieldStart = true;
                    break;
                default:
                    field.Append(c);
                    atFieldStart = false;
                    break;
            }
        }

        if (quoted)
        {
            error = "Unterminated quoted field";
        }
        else if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }

        records.RemoveAll(r => r.Count == 1 && r[0].Length == 0);
        return records;
    }
}
