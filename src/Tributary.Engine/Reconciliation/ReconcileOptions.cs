using Tributary.Core.Model;

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

/// <summary>
/// A destination's read API for one entity: given record keys and the projected field names, returns what the destination holds
/// for each key it has (field → value). Keys it does not have are absent.
/// </summary>
/// <param name="Destination">Destination name.</param>
/// <param name="Entity">Entity kind.</param>
/// <param name="MaxKeysPerCall">Keys one call may carry.</param>
/// <param name="ReadAsync">The call.</param>
public sealed record DestinationReadApi(string Destination, EntityKind Entity, int MaxKeysPerCall,
    Func<IReadOnlyList<string>, IReadOnlyList<string>, CancellationToken, Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>>> ReadAsync);

/// <summary>
/// How to render a catalogue feed from product and stock projections and read its items back, so the audit compares the
/// feed the source implies with the feed rendered from the delivered state, through the same renderer.
/// </summary>
/// <param name="Destination">The destination whose delivered state the feed is rendered from.</param>
/// <param name="Fields">Projected fields the renderer needs for price and availability (the rest are dropped to save memory).</param>
/// <param name="Render">Renders rows (product fields, stock fields) and returns the feed's items by SKU.</param>
public sealed record CatalogueAudit(string Destination, IReadOnlySet<string> Fields,
    Func<IEnumerable<(IReadOnlyDictionary<string, string?> Product, IReadOnlyDictionary<string, string?>? Stock)>, IReadOnlyDictionary<string, FeedItem>> Render);
