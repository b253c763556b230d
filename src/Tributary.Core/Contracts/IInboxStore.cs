using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>The durable inbox of change notifications (hints to re-read a record), deduplicated by message id.</summary>
public interface IInboxStore
{
    /// <summary>
    /// Stores a change notification unless its message id was seen before. Returns false for a duplicate. A notification is
    /// acknowledged to the platform only after this returns.
    /// </summary>
    Task<bool> TryAddInboxAsync(InboxMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Stores one page of a change feed: its hints (each unless its message id was seen before) and the feed's checkpoint (a cursor
    /// named <paramref name="feed"/>, read back with <see cref="ICursorStore.GetCursorAsync"/>), in one transaction, so a failure
    /// stores neither and the next read repeats the page. Returns the hints newly stored.
    /// </summary>
    Task<int> AddFeedPageAsync(IReadOnlyList<InboxMessage> messages, string feed, EntityKind entity, string checkpoint, CancellationToken cancellationToken);

    /// <summary>Unprocessed inbox messages, oldest first, deferred ones included.</summary>
    Task<IReadOnlyList<InboxMessage>> PendingInboxAsync(int max, CancellationToken cancellationToken);

    /// <summary>
    /// Unprocessed inbox messages due at <paramref name="now"/>, oldest first: those never deferred and those whose deferral has
    /// passed. A deferred message never holds back the ones behind it.
    /// </summary>
    Task<IReadOnlyList<InboxMessage>> DueInboxAsync(int max, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Leaves unprocessed messages in the inbox for another try at <paramref name="until"/> (their re-read failed for a passing
    /// reason), counting the try in <see cref="InboxMessage.Attempts"/> and keeping <paramref name="reason"/>.
    /// </summary>
    Task DeferInboxAsync(IReadOnlyCollection<long> sequences, DateTimeOffset until, string reason, CancellationToken cancellationToken);

    /// <summary>Marks inbox messages processed (their records were re-read and staged).</summary>
    Task CompleteInboxAsync(IReadOnlyCollection<long> sequences, DateTimeOffset now, CancellationToken cancellationToken);
}
