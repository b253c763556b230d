using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Engine.Reconciliation;

/// <summary>How a reconciliation compares.</summary>
public sealed class ReconcileOptions
{
    /// <summary>Listed differences per destination and entity (all are counted); a repair re-drives the listed ones.</summary>
    public const int DefaultMaxListed = 10_000;

    /// <summary>Share of records (0–1) whose fields are compared; chosen by a stable hash of the key, so runs are comparable.</summary>
    public double SampleShare { get; set; } = 1.0;

    /// <summary>Differences listed per destination and entity.</summary>
    public int MaxListed { get; set; } = DefaultMaxListed;

    /// <summary>Numeric projected fields summed on both sides, per entity (for example the feed's <c>price</c> for products).</summary>
    public IReadOnlyDictionary<EntityKind, IReadOnlyList<string>> SumFields { get; set; } = new Dictionary<EntityKind, IReadOnlyList<string>>();

    /// <summary>Destinations that can be asked what they hold, per entity; others are compared with the delivered state.</summary>
    public IReadOnlyList<DestinationReadApi> ReadApis { get; set; } = [];

    /// <summary>The catalogue feed to audit, when one is published.</summary>
    public CatalogueAudit? Catalogue { get; set; }
}
