namespace Tributary.Connectors.Emarsys;

/// <summary>How canonical customers become Emarsys contacts.</summary>
public sealed class EmarsysDestinationOptions
{
    /// <summary>Published limit: 1000 requests per minute per API user.</summary>
    public const int DefaultRequestsPerMinute = 1000;

    /// <summary>Published limit: at most 1000 contacts per create/update call.</summary>
    public const int MaxBatchSizeCap = 1000;

    /// <summary>
    /// The contact field holding the source customer id, used as <c>key_id</c>. Email is not unique in Emarsys (key-by-email
    /// updates fail with 2010 once duplicates exist), so a custom text field is the key.
    /// </summary>
    public string KeyFieldId { get; set; } = "9001";

    /// <summary>
    /// Canonical customer field → Emarsys field id. Known names: firstName, lastName, email, dateOfBirth, phone,
    /// customerNumber, store, locale, currency.
    /// </summary>
    public Dictionary<string, string> Fields { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["firstName"] = "1",
        ["lastName"] = "2",
        ["email"] = "3",
        ["dateOfBirth"] = "4",
        ["phone"] = "15",
    };

    /// <summary>Canonical custom attribute name → Emarsys field id.</summary>
    public Dictionary<string, string> Attributes { get; set; } = new(StringComparer.Ordinal)
    {
        ["loyaltyTier"] = "9002",
    };

    /// <summary>The opt-in system field (1 = opted in, 2 = opted out, empty = unknown).</summary>
    public string OptInFieldId { get; set; } = "31";

    /// <summary>Send email consent as the opt-in field. Turn off when Emarsys forms own consent for this account.</summary>
    public bool SendOptIn { get; set; } = true;

    /// <summary>Requests per minute for this API user; 0 for none.</summary>
    public int RequestsPerMinute { get; set; } = DefaultRequestsPerMinute;

    /// <summary>Contacts per call, capped at <see cref="MaxBatchSizeCap"/>.</summary>
    public int MaxBatchSize { get; set; } = MaxBatchSizeCap;
}
