using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>The outbox's delivery path: stage rows, lease them, complete them.</summary>
public interface IOutboxStore
{
    /// <summary>
    /// Atomically: upserts outbox rows (a newer row for the same destination × entity × key replaces the pending one and bumps its
    /// revision), removes the given pending rows, and saves the cursor. A crash leaves either all of it or none.
    /// </summary>
    Task StageAsync(StageBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Leases up to <paramref name="max"/> pending rows due at <paramref name="now"/> (oldest first) for one destination and entity,
    /// so no other worker takes them until the lease ends or the row is completed.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> LeaseDueAsync(string destination, EntityKind entity, DateTimeOffset now, int max,
        TimeSpan leaseFor, CancellationToken cancellationToken);

    /// <summary>Drops every lease (a single process after a restart owns all rows again).</summary>
    Task ReleaseLeasesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Atomically applies the outcomes of one delivery call: accepted rows update the delivered state and leave the outbox
    /// (unless a newer revision was staged meanwhile), others move to their lane; every outcome is recorded as an attempt.
    /// </summary>
    Task CompleteAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken);

    /// <summary>The earliest next-attempt time of pending rows for a destination (all entities when null); null when none are pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(string destination, EntityKind? entity, CancellationToken cancellationToken);

    /// <summary>One outbox row, or null.</summary>
    Task<OutboxEntry?> GetOutboxAsync(string destination, EntityKind entity, string key, CancellationToken cancellationToken);
}
