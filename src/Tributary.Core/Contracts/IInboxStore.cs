namespace Tributary.Core.Contracts;

/// <summary>The durable inbox of change notifications (hints to re-read a record), deduplicated by message id.</summary>
public interface IInboxStore
{
    /// <summary>
    /// Stores a change notification unless its message id was seen before. Returns false for a duplicate. A notification is
    /// acknowledged to the platform only after this returns.
    /// </summary>
    Task<bool> TryAddInboxAsync(InboxMessage message, CancellationToken cancellationToken);

    /// <summary>Unprocessed inbox messages, oldest first.</summary>
    Task<IReadOnlyList<InboxMessage>> PendingInboxAsync(int max, CancellationToken cancellationToken);

    /// <summary>Marks inbox messages processed (their records were re-read and staged).</summary>
    Task CompleteInboxAsync(IReadOnlyCollection<long> sequences, DateTimeOffset now, CancellationToken cancellationToken);
}
