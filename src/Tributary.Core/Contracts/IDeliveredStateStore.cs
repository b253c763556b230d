using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>The ledger's delivered state: what each destination last accepted per record (written by
/// <see cref="IOutboxStore.CompleteAsync"/>).</summary>
public interface IDeliveredStateStore
{
    /// <summary>The state each destination last accepted, for the given keys (keys never delivered are absent).</summary>
    Task<IReadOnlyDictionary<string, DeliveredState>> GetDeliveredAsync(string destination, EntityKind entity,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Forgets delivered records (the source no longer has them: a catalogue item withdrawn). Returns how many were removed.</summary>
    Task<int> RemoveDeliveredAsync(string destination, EntityKind entity, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Every record a destination holds for one entity, in key order (feeds and reconciliation read it).</summary>
    IAsyncEnumerable<DeliveredState> ReadDeliveredAsync(string destination, EntityKind entity, CancellationToken cancellationToken);
}
