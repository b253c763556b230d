namespace Tributary.Connectors.Commercetools;

/// <summary>How commercetools customers map onto the canonical model. Consent and attributes live in custom fields, named here.</summary>
public sealed class CommercetoolsSourceOptions
{
    /// <summary>Name of the custom field holding email marketing consent (boolean, or a string such as "yes"/"opted_out").</summary>
    public string ConsentField { get; set; } = "marketingOptIn";

    /// <summary>Optional custom field with the time consent was given or withdrawn (ISO-8601 date or timestamp).</summary>
    public string? ConsentDateField { get; set; }

    /// <summary>Canonical attribute name → custom field name.</summary>
    public IDictionary<string, string> Attributes { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["loyaltyTier"] = "loyaltyTier",
    };
}
