using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Engine;

/// <summary>What one pull of a change feed did.</summary>
/// <param name="Read">Messages read (including ones seen before).</param>
/// <param name="Stored">Hints newly stored in the inbox.</param>
/// <param name="Ignored">Messages about resources the pipeline does not re-read by id.</param>
public sealed record ChangeFeedReport(int Read, int Stored, int Ignored);

/// <summary>
/// Pulls a source's change feed into the durable inbox. The feed only reads; the engine owns its checkpoint: each page's hints and
/// the checkpoint after it are stored in one transaction, so a crash or a failed write between pages repeats at most the page in
/// flight (whose hints the inbox deduplicates by id) and never moves the checkpoint past a hint it did not store.
/// </summary>
public sealed class ChangeFeedPump(IChangeFeed feed, IInboxStore inbox, ICursorStore cursors)
{
    // A feed checkpoint is a cursor of the store under the feed's name; the entity only completes the cursor's key.
    private const EntityKind CheckpointEntity = EntityKind.Customer;

    /// <summary>The feed.</summary>
    public IChangeFeed Feed => feed;

    /// <summary>Reads every page since the stored checkpoint into the inbox.</summary>
    public async Task<ChangeFeedReport> PullAsync(CancellationToken cancellationToken)
    {
        var checkpoint = await cursors.GetCursorAsync(feed.Name, CheckpointEntity, cancellationToken);
        int read = 0, stored = 0, ignored = 0;
        await foreach (var page in feed.ReadAsync(checkpoint, cancellationToken))
        {
            stored += await inbox.AddFeedPageAsync(page.Hints, feed.Name, CheckpointEntity, page.Checkpoint, cancellationToken);
            read += page.Read;
            ignored += page.Ignored;
        }

        return new ChangeFeedReport(read, stored, ignored);
    }

    /// <summary>The stored checkpoint (null before the first pull).</summary>
    public Task<string?> CheckpointAsync(CancellationToken cancellationToken) => cursors.GetCursorAsync(feed.Name, CheckpointEntity, cancellationToken);
}
