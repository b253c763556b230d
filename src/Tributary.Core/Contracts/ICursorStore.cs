using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>The ledger's cursors: where each source's sweep of an entity got to.</summary>
public interface ICursorStore
{
    /// <summary>Reads a cursor (an opaque string the engine owns); null when none was saved.</summary>
    Task<string?> GetCursorAsync(string source, EntityKind entity, CancellationToken cancellationToken);

    /// <summary>Saves a cursor on its own (staging saves it atomically with its rows through <see cref="IOutboxStore.StageAsync"/>).</summary>
    Task SetCursorAsync(string source, EntityKind entity, string cursor, CancellationToken cancellationToken);
}
