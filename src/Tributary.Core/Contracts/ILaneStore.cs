using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>The outbox's lanes as operators and the engine see them: count, list, trace, replay and release.</summary>
public interface ILaneStore
{
    /// <summary>Counts outbox rows per destination, entity and status.</summary>
    Task<IReadOnlyList<LaneCount>> CountLanesAsync(CancellationToken cancellationToken);

    /// <summary>Lists outbox rows in a status, newest first.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus status, string? destination, int limit, CancellationToken cancellationToken);

    /// <summary>Every attempt for one record, oldest first.</summary>
    Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string destination, EntityKind entity, string key, CancellationToken cancellationToken);

    /// <summary>Moves matching rows (parked, quarantined or dead) back to pending, due now. Returns how many moved.</summary>
    Task<int> RequeueAsync(ReplaySelection selection, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Re-drives every parked row of a destination whose dependency has been delivered meanwhile (one statement; closes the
    /// race between parking a record and delivering what it waits on). Returns how many moved.
    /// </summary>
    Task<int> ReleaseDeliveredDependenciesAsync(string destination, DateTimeOffset now, CancellationToken cancellationToken);
}
