using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>
/// Per-record state of a rule (for example a SKU's stock crossings, so back-in-stock fires once per crossing), kept apart from
/// what destinations accepted.
/// </summary>
public interface IRuleStateStore
{
    /// <summary>The saved state of the given keys under one rule (keys with no state are absent).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>> GetRuleStateAsync(string rule, EntityKind entity,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Saves (replaces) the state of each given key under one rule.</summary>
    Task SaveRuleStateAsync(string rule, EntityKind entity, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> states,
        DateTimeOffset now, CancellationToken cancellationToken);
}
