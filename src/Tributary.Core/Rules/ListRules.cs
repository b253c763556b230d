using System.Globalization;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Core.Rules;

/// <summary>
/// One list (a Dotdigital address book, an Emarsys contact list) and who belongs in it. Every condition given must hold; a
/// condition with several values holds when any of them does. A rule without conditions takes every customer.
/// </summary>
/// <param name="List">The destination's list id.</param>
/// <param name="Consent">A channel (<see cref="ConsentChannels"/>) the customer must have said yes to; null for no condition.</param>
/// <param name="Stores">Stores or markets (any case); empty for any.</param>
/// <param name="Locales">Locales; <c>en</c> takes <c>en-GB</c> and <c>en-US</c>, <c>en-GB</c> only itself (any case); empty for any.</param>
/// <param name="Currencies">ISO 4217 codes (any case); empty for any.</param>
/// <param name="Attributes">Mapped attributes and the value each must have (any case); empty for none.</param>
public sealed record ListRule(string List, string? Consent = null, IReadOnlyList<string>? Stores = null, IReadOnlyList<string>? Locales = null,
    IReadOnlyList<string>? Currencies = null, IReadOnlyDictionary<string, string>? Attributes = null)
{
    /// <summary>True when the customer belongs in the list.</summary>
    public bool Matches(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (Consent is { } channel && customer.ConsentFor(channel).Status != ConsentStatus.Subscribed)
        {
            return false;
        }

        if (Stores is { Count: > 0 } stores && !stores.Contains(customer.Store?.Trim() ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Currencies is { Count: > 0 } currencies && !currencies.Contains(customer.Currency?.Trim() ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Locales is { Count: > 0 } locales && !locales.Any(l => LocaleMatches(l, customer.Locale)))
        {
            return false;
        }

        return Attributes is not { Count: > 0 } attributes || attributes.All(a =>
            customer.Attributes.TryGetValue(a.Key, out var value) && string.Equals(value?.Trim(), a.Value.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    private static bool LocaleMatches(string wanted, string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return false;
        }

        // Sources write en_GB as often as en-GB.
        var have = locale.Trim().Replace('_', '-');
        var want = wanted.Trim().Replace('_', '-');
        return string.Equals(have, want, StringComparison.OrdinalIgnoreCase)
               || (!want.Contains('-', StringComparison.Ordinal) && have.StartsWith(want + "-", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// List membership from rules: the lists a customer belongs in, as one field value the diff can compare, and what changed
/// between two such values. A customer is added to the lists a change brings and removed from the ones it takes away.
/// </summary>
public static class ListRules
{
    /// <summary>The separator of list ids in a membership value.</summary>
    public const char Separator = ',';

    // Shorter first, then by character: numeric ids in numeric order, as they were always written.
    private static readonly Comparer<string> IdOrder =
        Comparer<string>.Create((a, b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b));

    /// <summary>
    /// The lists the customer belongs in, ordered and joined; empty (never null, so leaving every list is a change the diff
    /// sees) when none.
    /// </summary>
    public static string Membership(Customer customer, IEnumerable<ListRule> rules, IEnumerable<string>? always = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var lists = new SortedSet<string>(IdOrder);
        foreach (var list in always ?? [])
        {
            lists.Add(list);
        }

        foreach (var rule in rules)
        {
            if (rule.Matches(customer))
            {
                lists.Add(rule.List);
            }
        }

        return string.Join(Separator, lists);
    }

    /// <summary>The list ids of a membership value.</summary>
    public static IReadOnlySet<string> Parse(string? membership) =>
        string.IsNullOrEmpty(membership)
            ? new HashSet<string>(StringComparer.Ordinal)
            : new HashSet<string>(membership.Split(Separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);

    /// <summary>The lists to add the customer to and to remove it from, going from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static (IReadOnlyList<string> Added, IReadOnlyList<string> Removed) Change(string? before, string? after)
    {
        var was = Parse(before);
        var now = Parse(after);
        return (now.Where(l => !was.Contains(l)).Order(IdOrder).ToList(), was.Where(l => !now.Contains(l)).Order(IdOrder).ToList());
    }

    /// <summary>
    /// Reads a destination's <c>lists:</c>, a list of rules:
    /// <code>
    /// lists:
    ///   - id: 12345
    ///     consent: email          # said yes to email (or sms)
    ///     stores: [uk, ie]
    ///     locales: [en]
    ///     currencies: [GBP]
    ///     attributes: { vip: "true" }
    /// </code>
    /// <paramref name="numeric"/> requires whole-number ids (Dotdigital's address books, Emarsys' contact lists). Unknown keys
    /// are refused with the closest known one.
    /// </summary>
    public static IReadOnlyList<ListRule> Read(IConfigSection section, string key = "lists", bool numeric = true)
    {
        ArgumentNullException.ThrowIfNull(section);
        var rules = new List<ListRule>();
        foreach (var entry in section.Sections(key) ?? [])
        {
            var id = entry.RequiredString("id", "write the list's id from the destination, e.g. 'id: 12345'");
            if (numeric && !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw entry.Error($"'{id}' in '{entry.Path}.id' is not a list id", "write the numeric list id, e.g. 'id: 12345'");
            }

            var consent = entry.String("consent");
            if (consent is not null && consent is not (ConsentChannels.Email or ConsentChannels.Sms))
            {
                throw entry.Error($"'{entry.Path}.consent' must be a channel, not '{consent}'",
                    $"write 'consent: {ConsentChannels.Email}' or 'consent: {ConsentChannels.Sms}' (the customer said yes to it), or remove the line");
            }

            rules.Add(new ListRule(id, consent, entry.List("stores"), entry.List("locales"), entry.List("currencies"), entry.Map("attributes")));
            entry.RejectUnknownKeys();
        }

        var twice = rules.GroupBy(r => r.List, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw section.Error($"list {twice.Key} has more than one rule in '{section.Path}.{key}'",
                "give each list one rule; a condition takes several values ('stores: [uk, ie]')");
        }

        return rules;
    }
}
