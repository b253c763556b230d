using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Tests.Support;

/// <summary>What a destination last accepted, as the engine's delivered-state view would answer a connector: fixed per key.</summary>
internal sealed class DeliveredStates(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> byKey) : IDeliveredStateReader
{
    /// <summary>Nothing was ever delivered: every customer is delivered for the first time.</summary>
    public static DeliveredStates None { get; } = new(new Dictionary<string, IReadOnlyDictionary<string, string?>>());

    /// <summary>One key's delivered fields.</summary>
    public static DeliveredStates One(string key, IReadOnlyDictionary<string, string?> fields) =>
        new(new Dictionary<string, IReadOnlyDictionary<string, string?>> { [key] = fields });

    public Task<IReadOnlyDictionary<string, DeliveredState>> GetDeliveredAsync(string destination, EntityKind entity, IReadOnlyCollection<string> keys,
        CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, DeliveredState>>(keys.Where(byKey.ContainsKey).ToDictionary(k => k,
            k => new DeliveredState(destination, entity, k, FieldDiff.Hash(byKey[k]), byKey[k], 1, DateTimeOffset.UnixEpoch), StringComparer.Ordinal));
}
