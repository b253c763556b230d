using PhoneNumbers;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Core.Rules;

/// <summary>Which region a mobile number written without a country code is read in.</summary>
public sealed class MobileRegions
{
    /// <summary>ISO 3166-1 alpha-2 region for numbers without a country code when nothing else says; null refuses them.</summary>
    public string? DefaultRegion { get; set; }

    /// <summary>Store or market → region (<c>de: DE</c>, <c>uk: GB</c>); keys compare without regard to case.</summary>
    public IDictionary<string, string> ByStore { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Reads <c>defaultRegion</c> and <c>regionByStore</c> from a destination's <c>mobile:</c> section (the caller rejects unknown
    /// keys once it has read its own). A region that is not an ISO 3166-1 alpha-2 code with a numbering plan is a config error.
    /// </summary>
    public static MobileRegions Read(IConfigSection? mobile)
    {
        var regions = new MobileRegions();
        if (mobile is null)
        {
            return regions;
        }

        regions.DefaultRegion = mobile.String("defaultRegion") is { } region ? Checked(mobile, "defaultRegion", region) : null;
        foreach (var (store, value) in mobile.Map("regionByStore") ?? new Dictionary<string, string>())
        {
            regions.ByStore[store] = Checked(mobile, "regionByStore", value);
        }

        return regions;
    }

    private static string Checked(IConfigSection section, string key, string region)
    {
        var code = region.Trim().ToUpperInvariant();
        return PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(code)
            ? code
            : throw section.Error($"'{key}' has '{region}', which is not a country code with a numbering plan",
                "use the two-letter ISO 3166-1 code of the country, e.g. DE, GB, SE");
    }

    /// <summary>
    /// The region for a customer: the country of the address the number came from, else the store's region, else
    /// <see cref="DefaultRegion"/>.
    /// </summary>
    public string? For(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        if (customer.Country is { } country && country.Trim().Length == 2)
        {
            return country.Trim();
        }

        return customer.Store is { } store && ByStore.TryGetValue(store.Trim(), out var region) ? region : DefaultRegion;
    }
}
