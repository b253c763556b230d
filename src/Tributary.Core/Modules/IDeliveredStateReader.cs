using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Core.Modules;

/// <summary>
/// A read-only view of what one destination last accepted, given to its connector by the engine (a connector never holds the
/// store): lets a destination recover, after a restart, state it keeps in memory (a contact's email, a catalogue record).
/// </summary>
public interface IDeliveredStateReader
{
    /// <summary>The delivered state of the given keys of <paramref name="destination"/> (keys never delivered are absent).</summary>
    Task<IReadOnlyDictionary<string, DeliveredState>> GetDeliveredAsync(string destination, EntityKind entity, IReadOnlyCollection<string> keys,
        CancellationToken cancellationToken);
}
