using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Engine;

/// <summary>The read-only view of the delivered state the engine gives destination connectors (they never hold the store).</summary>
public sealed class DeliveredStateView(IDeliveredStateStore store) : IDeliveredStateReader
{
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, DeliveredState>> GetDeliveredAsync(string destination, EntityKind entity, IReadOnlyCollection<string> keys,
        CancellationToken cancellationToken) =>
        store.GetDeliveredAsync(destination, entity, keys, cancellationToken);
}
