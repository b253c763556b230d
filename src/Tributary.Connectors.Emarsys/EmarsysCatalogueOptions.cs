namespace Tributary.Connectors.Emarsys;

/// <summary>
/// The Emarsys product catalogue: which products and stock are projected, and how the CSV feed Emarsys fetches is laid out.
/// </summary>
public sealed class EmarsysCatalogueOptions
{
    /// <summary>The default locale: the one the generator and the commercetools projects use for names.</summary>
    public const string DefaultDefaultLocale = "en";

    /// <summary>The default currency of the unsuffixed <c>price</c>/<c>msrp</c> columns.</summary>
    public const string DefaultDefaultCurrency = "EUR";

    /// <summary>
    /// A new feed may lose at most 5 % of the items of the last good one. Every import replaces the whole Emarsys catalogue, so a
    /// truncated feed would make products vanish from recommendations.
    /// </summary>
    public const double DefaultMaxDropShare = 0.05;

    /// <summary>Project products and stock for the catalogue feed. Default off.</summary>
    public bool Enabled { get; set; }

    /// <summary>The locale of the unsuffixed text columns (<c>title</c>, <c>link</c>, <c>description</c>). Default <see cref="DefaultDefaultLocale"/>.</summary>
    public string DefaultLocale { get; set; } = DefaultDefaultLocale;

    /// <summary>The currency of the unsuffixed <c>price</c> and <c>msrp</c>. Default <see cref="DefaultDefaultCurrency"/>.</summary>
    public string DefaultCurrency { get; set; } = DefaultDefaultCurrency;

    /// <summary>
    /// Extra locales: source locale → column suffix (<c>["de-DE"] = "de"</c> writes <c>title_de</c>, <c>link_de</c>,
    /// <c>description_de</c>). The suffix must match the account's Product Data settings (unconfirmed per account: Emarsys's Magento
    /// plugin writes store codes, the SFCC cartridge <c>fr_FR</c>). Default none.
    /// </summary>
    public Dictionary<string, string> Locales { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Extra currencies, written as <c>price_{CCY}</c> and <c>msrp_{CCY}</c>. Default none.</summary>
    public List<string> Currencies { get; set; } = [];

    /// <summary>
    /// The country whose prices are used; prices scoped to another country are ignored. Null (default): only prices without a
    /// country are used.
    /// </summary>
    public string? PriceCountry { get; set; }

    /// <summary>The channel whose prices are used, like <see cref="PriceCountry"/>. Null (default): only prices without a channel.</summary>
    public string? PriceChannel { get; set; }

    /// <summary>
    /// How an item without a stock record is rendered: false (default) writes <c>available=false</c>, so an item never shows as
    /// buyable before its stock is known.
    /// </summary>
    public bool AvailableWithoutStock { get; set; }

    /// <summary>A custom column for the available-to-sell number, such as <c>c_stock</c>. Null (default): not written.</summary>
    public string? StockColumn { get; set; }

    /// <summary>Product attribute → custom column (must start with <c>c_</c>), e.g. <c>["color"] = "c_color"</c>. Default none.</summary>
    public Dictionary<string, string> AttributeColumns { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The largest share of items a new feed may drop against the last good one. Default <see cref="DefaultMaxDropShare"/>.</summary>
    public double MaxDropShare { get; set; } = DefaultMaxDropShare;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DefaultLocale))
        {
            throw new ArgumentException("Emarsys Catalogue.DefaultLocale is empty: set the locale of the title, link and description columns.");
        }

        foreach (var currency in Currencies.Append(DefaultCurrency))
        {
            if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetter))
            {
                throw new ArgumentException($"Emarsys Catalogue currency '{currency}' is not a three-letter ISO code.");
            }
        }

        foreach (var (locale, suffix) in Locales)
        {
            if (string.IsNullOrWhiteSpace(locale) || !IsColumnName(suffix))
            {
                throw new ArgumentException($"Emarsys Catalogue.Locales maps '{locale}' to suffix '{suffix}': use letters, digits and '_' only.");
            }
        }

        foreach (var column in AttributeColumns.Values.Concat(StockColumn is null ? [] : [StockColumn]))
        {
            if (!column.StartsWith("c_", StringComparison.Ordinal) || !IsColumnName(column))
            {
                throw new ArgumentException($"Emarsys catalogue custom column '{column}' must start with 'c_' and hold letters, digits and '_' only.");
            }
        }

        if (MaxDropShare is < 0 or > 1 || double.IsNaN(MaxDropShare))
        {
            throw new ArgumentException($"Emarsys Catalogue.MaxDropShare is {MaxDropShare}: use a share between 0 and 1 (0.05 = 5 %).");
        }

        var columns = EmarsysCatalogFeed.Columns(this);
        var duplicate = columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Emarsys catalogue column '{duplicate.Key}' is configured more than once.");
        }
    }

    private static bool IsColumnName(string? text) =>
        !string.IsNullOrEmpty(text) && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
