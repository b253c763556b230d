namespace Tributary.Sandbox.Emarsys;

/// <summary>
/// Reads and checks a product catalogue file the way a Predict import does: a header with the required columns (names are
/// case-sensitive), unique <c>item</c> values, and an error for the whole file on a bad row (the last good catalogue stays).
/// </summary>
internal static class EmarsysCatalogCsv
{
    /// <summary>Columns every catalogue must have (A8.2: item, title, link, image, category, price, available).</summary>
    public static readonly string[] RequiredColumns = ["item", "title", "link", "image", "category", "price", "available"];

    /// <summary>Parses and validates; returns the rows keyed by column, or the reason the import fails.</summary>
    public static string? TryRead(string text, out List<IReadOnlyDictionary<string, string>> rows)
    {
        rows = [];
        var records = EmarsysSalesCsv.Parse(text, out var syntax);
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

        var items = new HashSet<string>(StringComparer.Ordinal);
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

            if (CheckRow(row) is { } error)
            {
                return $"Row {i}: {error}";
            }

            if (!items.Add(row["item"]))
            {
                return $"Row {i}: duplicate item '{row["item"]}' (item values must be unique)";
            }

            rows.Add(row);
        }

        return null;
    }

    private static string? CheckRow(Dictionary<string, string> row)
    {
        if (row["item"].Length == 0)
        {
            return "item is empty";
        }

        if (row["title"].Length == 0)
        {
            return "title is empty";
        }

        if (!IsWebUrl(row["link"]))
        {
            return $"link '{row["link"]}' is not an absolute URL";
        }

        if (row["image"].Length > 0 && !IsWebUrl(row["image"]))
        {
            return $"image '{row["image"]}' is not an absolute URL";
        }

        foreach (var (column, value) in row)
        {
            var isPrice = column == "price" || column == "msrp" || column.StartsWith("price_", StringComparison.Ordinal)
                || column.StartsWith("msrp_", StringComparison.Ordinal);
            if (isPrice && (value.Length > 0 || column == "price") && !EmarsysSalesCsv.IsNumber(value))
            {
                return $"{column} '{value}' is not a number ('.' as decimal separator, no currency)";
            }
        }

        return row["available"] is "true" or "false" ? null : $"available '{row["available"]}' is not true or false";
    }

    // On Unix "/x" parses as an absolute file URI; a product page or image must be a web address.
    private static bool IsWebUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
