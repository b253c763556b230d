using Tributary.Core.Contracts;

namespace Tributary.Core.Modules;

/// <summary>
/// A pull feed of change hints (a platform's message log). The feed only reads: it yields pages of hints, each with the checkpoint
/// to resume after it, and the engine stores a page's hints and its checkpoint in one transaction, so a failure between the two
/// can neither lose a hint nor store one twice (the runtime, not the connector, commits checkpoints).
/// </summary>
public interface IChangeFeed
{
    /// <summary>The name the checkpoint is stored under.</summary>
    string Name { get; }

    /// <summary>
    /// Reads from <paramref name="checkpoint"/> (null: never read; the feed yields a starting checkpoint). Each page's checkpoint
    /// covers its hints and everything before.
    /// </summary>
    IAsyncEnumerable<ChangeFeedPage> ReadAsync(string? checkpoint, CancellationToken cancellationToken);
}

/// <summary>One page of a change feed.</summary>
/// <param name="Hints">Inbox messages to store (the id dedupes a hint seen twice).</param>
/// <param name="Checkpoint">Where the next read resumes once this page is stored.</param>
/// <param name="Read">Messages read in this page (including ones seen before).</param>
/// <param name="Ignored">Messages about resources the pipeline does not re-read by id.</param>
public sealed record ChangeFeedPage(IReadOnlyList<InboxMessage> Hints, string Checkpoint, int Read, int Ignored);
