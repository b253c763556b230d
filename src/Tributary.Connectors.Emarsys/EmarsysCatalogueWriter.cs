using System.Text;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// Products and stock as rows of the catalogue feed. Emarsys pulls the feed, which the host renders from the delivered state, so a
/// row's columns are its projected fields (one field per column, diffed like any state) and "delivering" makes no call.
/// </summary>
internal sealed class EmarsysCatalogueWriter(EmarsysCatalogueOptions catalogue)
{
    private const string CategorySeparator = " > ";

    /// <summary>
    /// Projects a product onto its catalogue columns (see <see cref="EmarsysCatalogFeed.Columns"/>), keyed by SKU. Every column
    /// is projected, empty when the source has no value: the feed is a full replace, so a value removed at the source must
    /// leave the delivered state too. A product missing a mandatory column (item, title, link, image, price) is quarantined
    /// with the columns named.
    /// </summary>
    public Projection Project(Product product)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [EmarsysCatalogFeed.Item] = Text(product.Sku),
            [EmarsysCatalogFeed.Title] = Text(Localized(product.Names, catalogue.DefaultLocale)),
            [EmarsysCatalogFeed.Link] = Text(Localized(product.Urls, catalogue.DefaultLocale)),
            [EmarsysCatalogFeed.Image] = Text(product.ImageUrl),
            [EmarsysCatalogFeed.Category] = string.Join(CategorySeparator, product.CategoryPath.Select(Text).Where(c => c.Length > 0)),
            [EmarsysCatalogFeed.Brand] = Text(product.Brand),
            [EmarsysCatalogFeed.Description] = Text(Localized(product.Descriptions, catalogue.DefaultLocale)),
            [EmarsysCatalogFeed.GroupId] = Text(product.ProductId),
            [EmarsysCatalogFeed.Active] = product.Active ? "true" : "false",
        };
        (fields[EmarsysCatalogFeed.Price], fields[EmarsysCatalogFeed.Msrp]) = Prices(product, catalogue.DefaultCurrency);

        foreach (var (locale, suffix) in catalogue.Locales)
        {
            fields[$"{EmarsysCatalogFeed.Title}_{suffix}"] = Text(Localized(product.Names, locale));
            fields[$"{EmarsysCatalogFeed.Link}_{suffix}"] = Text(Localized(product.Urls, locale));
            fields[$"{EmarsysCatalogFeed.Description}_{suffix}"] = Text(Localized(product.Descriptions, locale));
        }

        foreach (var currency in EmarsysCatalogFeed.Currencies(catalogue))
        {
            (fields[$"{EmarsysCatalogFeed.Price}_{currency}"], fields[$"{EmarsysCatalogFeed.Msrp}_{currency}"]) = Prices(product, currency);
        }

        foreach (var (attribute, column) in catalogue.AttributeColumns)
        {
            fields[column] = Text(product.Attributes.GetValueOrDefault(attribute));
        }

        var problems = CatalogueProblems(fields, catalogue);
        return problems.Count == 0 ? new Projection(fields) : Projection.Quarantine(string.Join("; ", problems));
    }

    /// <summary>Stock as the catalogue's <c>available</c> (ATS above zero) and <c>ats</c>; it waits until its SKU is in the catalogue.</summary>
    public static Projection Project(StockLevel stock)
    {
        if (string.IsNullOrWhiteSpace(stock.Sku))
        {
            return Projection.Quarantine("stock without a SKU");
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [EmarsysCatalogFeed.Available] = stock.AvailableToSell > 0 ? "true" : "false",
            [EmarsysCatalogFeed.Ats] = EmarsysSalesCsv.Quantity(Math.Max(0, stock.AvailableToSell)),
        };
        return new Projection(fields, DependsOn: new DependencyKey(EntityKind.Product, stock.Key));
    }

    /// <summary>The feed is pulled by Emarsys from the host: "delivering" is recording the row in the delivered state.</summary>
    public static Task<DeliveryResult> DeliverAsync() => Task.FromResult(DeliveryResult.AllAccepted);

    private static List<string> CatalogueProblems(Dictionary<string, string?> fields, EmarsysCatalogueOptions catalogue)
    {
        var problems = new List<string>();
        var missing = new List<string>();
        void Require(string column, string detail)
        {
            if (string.IsNullOrEmpty(fields[column]))
            {
                missing.Add($"{column} ({detail})");
            }
        }

        Require(EmarsysCatalogFeed.Item, "no SKU");
        Require(EmarsysCatalogFeed.Title, $"no name in locale '{catalogue.DefaultLocale}'");
        Require(EmarsysCatalogFeed.Link, $"no URL in locale '{catalogue.DefaultLocale}'");
        Require(EmarsysCatalogFeed.Image, "no image URL");
        Require(EmarsysCatalogFeed.Price, $"no {catalogue.DefaultCurrency.ToUpperInvariant()} price{PriceScope(catalogue)}");
        if (missing.Count > 0)
        {
            problems.Add($"missing mandatory catalogue field{(missing.Count > 1 ? "s" : string.Empty)}: {string.Join(", ", missing)}");
        }

        foreach (var column in new[] { EmarsysCatalogFeed.Link, EmarsysCatalogFeed.Image })
        {
            if (fields[column] is { Length: > 0 } url && !IsAbsoluteWebUrl(url))
            {
                problems.Add($"catalogue field {column} is not an absolute http(s) URL");
            }
        }

        return problems;
    }

    private static string PriceScope(EmarsysCatalogueOptions catalogue) => (catalogue.PriceCountry, catalogue.PriceChannel) switch
    {
        (null, null) => " without country or channel",
        (var country, null) => $" for country '{country}'",
        (null, var channel) => $" for channel '{channel}'",
        var (country, channel) => $" for country '{country}' and channel '{channel}'",
    };

    private static bool IsAbsoluteWebUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>
    /// The selling price (the special price when one applies) and the msrp (the list price, only when a special price applies)
    /// in one currency. Prices scoped to another country or channel than configured are ignored; the most specific match wins.
    /// </summary>
    private (string Price, string Msrp) Prices(Product product, string currency)
    {
        var price = product.Prices
            .Where(p => string.Equals(p.Price.Currency, currency, StringComparison.OrdinalIgnoreCase)
                && (p.Country is null || string.Equals(p.Country, catalogue.PriceCountry, StringComparison.OrdinalIgnoreCase))
                && (p.Channel is null || string.Equals(p.Channel, catalogue.PriceChannel, StringComparison.Ordinal)))
            .OrderByDescending(p => (p.Country is null ? 0 : 2) + (p.Channel is null ? 0 : 1))
            .FirstOrDefault();
        if (price is null)
        {
            return (string.Empty, string.Empty);
        }

        return price.SpecialPrice is { } special && special.Amount != price.Price.Amount
            ? (EmarsysSalesCsv.Amount(special.Amount), EmarsysSalesCsv.Amount(price.Price.Amount))
            : (EmarsysSalesCsv.Amount(price.Price.Amount), string.Empty);
    }

    /// <summary>
    /// The value for a locale: exact (case-insensitive, <c>-</c> and <c>_</c> alike), else the same language (<c>de</c> finds
    /// <c>de-DE</c>, <c>de-AT</c> finds <c>de</c>), first by ordinal order so the choice is stable.
    /// </summary>
    private static string? Localized(IReadOnlyDictionary<string, string> values, string locale)
    {
        var wanted = locale.Replace('_', '-');
        var keys = values.Keys.Order(StringComparer.Ordinal).ToList();
        var exact = keys.FirstOrDefault(k => string.Equals(k.Replace('_', '-'), wanted, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return values[exact];
        }

        var language = Language(wanted);
        var same = keys.FirstOrDefault(k => string.Equals(Language(k.Replace('_', '-')), language, StringComparison.OrdinalIgnoreCase));
        return same is null ? null : values[same];
    }

    private static string Language(string locale)
    {
        var dash = locale.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? locale : locale[..dash];
    }

    /// <summary>Trimmed, with line breaks and tabs folded to single spaces (Emarsys wants descriptions without newlines).</summary>
    private static string Text(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c is '\r' or '\n' or '\t' || char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
