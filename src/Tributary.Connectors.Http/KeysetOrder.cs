using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Http;

/// <summary>
/// Checks that a keyset read gets what it asked for: ids strictly increasing within each page, and each page's first id after
/// the previous page's last (or after the key the read resumed from). A page that breaks this would make the next
/// <c>id &gt; last</c> query skip records without anyone noticing, so the read stops before the page is used, and the engine
/// never stores a cursor past it.
/// </summary>
public sealed class KeysetOrder
{
    private readonly string _platform;
    private readonly EntityKind _entity;
    private readonly Comparison<string> _compare;
    private readonly string _field;
    private string? _last;
    private int _page;

    private KeysetOrder(string platform, EntityKind entity, string field, string? after, Comparison<string> compare)
    {
        _platform = platform;
        _entity = entity;
        _field = field;
        _last = after;
        _compare = compare;
    }

    /// <summary>Ids compared as strings, byte by byte (commercetools sorts <c>id asc</c> this way; its ids are lower-case UUIDs).</summary>
    public static KeysetOrder Ordinal(string platform, EntityKind entity, string field, string? after) =>
        new(platform, entity, field, after, string.CompareOrdinal);

    /// <summary>
    /// Keys that are free text (SKUs) in a collation the platform does not publish: a key counts as out of order only when it is
    /// not after the previous one under every common collation (ordinal, ordinal ignoring case, invariant culture with and without
    /// case). A page served from an earlier point ("SKU-0100" after "SKU-0500") is caught whatever the platform's collation; a
    /// pair the collations disagree on ("sku-b" after "SKU-A") is never taken for a fault, so a correct read is never stopped.
    /// </summary>
    public static KeysetOrder Text(string platform, EntityKind entity, string field, string? after) =>
        new(platform, entity, field, after, static (a, b) => Math.Max(
            Math.Max(Math.Sign(string.CompareOrdinal(a, b)), Math.Sign(string.Compare(a, b, StringComparison.OrdinalIgnoreCase))),
            Math.Max(Math.Sign(string.Compare(a, b, StringComparison.InvariantCulture)),
                Math.Sign(string.Compare(a, b, StringComparison.InvariantCultureIgnoreCase)))));

    /// <summary>Ids compared as whole numbers (Centra's customer ids and order numbers); a non-number sorts as unreadable.</summary>
    public static KeysetOrder Numeric(string platform, EntityKind entity, string field, string? after) =>
        new(platform, entity, field, after, static (a, b) => Number(a).CompareTo(Number(b)));

    /// <summary>Checks the next page's ids, in the order served; throws <see cref="KeysetOrderException"/> when they are out of order.</summary>
    public void Check(IReadOnlyList<string?> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        _page++;
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is not { } id)
            {
                continue;
            }

            if (_last is not null && _compare(id, _last) <= 0)
            {
                var where = i == 0
                    ? $"its first {_field} '{Short(id)}' is not after '{Short(_last)}', where the previous page ended"
                    : $"its {_field}s do not increase ('{Short(id)}' comes after '{Short(_last)}')";
                throw new KeysetOrderException(_platform,
                    $"{_platform} served page {_page} of the {Plural(_entity)} read out of {_field} order: {where}. The read stopped and its " +
                    "cursor was not moved past the last page in order, so no record is skipped; the next pass reads from there again. " +
                    $"If this repeats, report it to {_platform} support with this message.", _page);
            }

            _last = id;
        }
    }

    private static decimal Number(string value) =>
        decimal.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    private static string Short(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static string Plural(EntityKind entity) => entity switch
    {
        EntityKind.Stock => "stock",
        _ => entity.ToString().ToLowerInvariant() + "s",
    };
}

/// <summary>A keyset read came back out of order; the read stopped (see <see cref="KeysetOrder"/>).</summary>
public sealed class KeysetOrderException(string platform, string message, int page)
    : PlatformException(platform, FailureKind.Invalid, message, platformCode: "KeysetOrder")
{
    /// <summary>The page of the read (1 for the first page after the resume point) that was out of order.</summary>
    public int Page { get; } = page;
}
