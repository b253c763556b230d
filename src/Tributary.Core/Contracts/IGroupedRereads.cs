using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>
/// A source some of whose notifications name a group of records instead of one record key: a commercetools product notification
/// names the product, whose records are its variants' SKUs; an inventory entry notification without a SKU names the entry, whose
/// record is its SKU's stock. The real-time lane asks such a source first; a key that names no group is re-read with
/// <see cref="ISourceConnector.GetAsync"/> as usual.
/// </summary>
public interface IGroupedRereads
{
    /// <summary>True when <paramref name="key"/> is a group key of this source rather than a record key.</summary>
    bool IsGroup(EntityKind entity, string key);

    /// <summary>
    /// Re-reads every record the group names, now. Empty when the group no longer exists (a deleted product: the next full read
    /// withdraws its records).
    /// </summary>
    Task<IReadOnlyList<CanonicalRecord>> GetGroupAsync(EntityKind entity, string key, CancellationToken cancellationToken);
}
