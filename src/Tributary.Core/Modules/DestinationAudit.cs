using Tributary.Core.Model;

namespace Tributary.Core.Modules;

/// <summary>What reconciliation can ask one destination.</summary>
/// <param name="ReadApis">Entities the destination can be asked back; the rest are compared with the delivered state.</param>
/// <param name="SumFields">Per entity, fields whose totals are compared.</param>
/// <param name="Catalogue">The catalogue feed to audit, when one is published.</param>
public sealed record DestinationAudit(IReadOnlyList<DestinationReadApi> ReadApis, IReadOnlyDictionary<EntityKind, IReadOnlyList<string>> SumFields,
    CatalogueAudit? Catalogue);

/// <summary>
/// A destination's read API for one entity: given record keys and the projected field names, returns what the destination holds
/// for each key it has (field → value). Keys it does not have are absent.
/// </summary>
/// <param name="Destination">Destination name.</param>
/// <param name="Entity">Entity kind.</param>
/// <param name="MaxKeysPerCall">Keys one call may carry.</param>
/// <param name="ReadAsync">The call.</param>
/// <param name="ConsentFields">
/// Projected fields that carry consent (an opt-in field, a channel status). A difference in them is consent drift: the person
/// may have answered in the destination itself, so a repair never overwrites them.
/// </param>
/// <param name="Unread">
/// Projected fields this read cannot return (a list membership, which is no contact field): never asked for, never compared.
/// </param>
public sealed record DestinationReadApi(string Destination, EntityKind Entity, int MaxKeysPerCall,
    Func<IReadOnlyList<string>, IReadOnlyList<string>, CancellationToken, Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>>> ReadAsync,
    IReadOnlySet<string>? ConsentFields = null, IReadOnlySet<string>? Unread = null);

/// <summary>
/// How to render a catalogue feed from product and stock projections and read its items back, so the audit compares the
/// feed the source implies with the feed rendered from the delivered state, through the same renderer.
/// </summary>
/// <param name="Destination">The destination whose delivered state the feed is rendered from.</param>
/// <param name="Fields">Projected fields the renderer needs for price and availability (the rest are dropped to save memory).</param>
/// <param name="Render">Renders rows (product fields, stock fields) and returns the feed's items by SKU.</param>
public sealed record CatalogueAudit(string Destination, IReadOnlySet<string> Fields,
    Func<IEnumerable<(IReadOnlyDictionary<string, string?> Product, IReadOnlyDictionary<string, string?>? Stock)>, IReadOnlyDictionary<string, FeedItem>> Render);

/// <summary>One item of a catalogue feed.</summary>
/// <param name="Sku">The item id.</param>
/// <param name="Price">The price as the feed writes it.</param>
/// <param name="Available">Whether the feed offers it.</param>
public sealed record FeedItem(string Sku, string? Price, bool Available);
