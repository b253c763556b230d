using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Commercetools;

/// <summary>Settings of the Messages API pull feed (<c>source.commercetools.messages</c>).</summary>
public sealed class CommercetoolsMessageFeedOptions
{
    /// <summary>
    /// How far back each pull starts before the last message seen: messages become visible to queries with a small delay, so a
    /// message created just before the last one seen may only show up now. UNCONFIRMED: the platform names no figure; 2 s by
    /// default, configurable (<c>source.commercetools.messagesOverlap</c>). Messages seen twice are deduplicated by id.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Messages per page (the platform's maximum is 500).</summary>
    public int PageSize { get; set; } = CommercetoolsClientOptions.MaxPageSize;
}

/// <summary>
/// The Messages API as a pull feed, for projects that have messages enabled: pages through messages oldest first from a checkpoint
/// and yields one hint per message, under the same id a Subscription push carries, so a message seen by both ways, or twice by
/// either, is taken once. The feed stores nothing: the engine stores each page's hints with its checkpoint in one transaction. A
/// hint is never trusted: the real-time lane re-reads the record and the version gate drops anything older than what was delivered.
/// </summary>
public sealed class CommercetoolsMessageFeed : IChangeFeed
{
    /// <summary>The name the checkpoint is stored under (a cursor of the sync store).</summary>
    public const string CursorSource = "commercetools-messages";

    // The platform caps offset at 10 000: past it, the next page starts again from the newest time seen.
    private const int MaxOffset = 10_000;

    private readonly CommercetoolsClient _client;
    private readonly TimeProvider _time;
    private readonly CommercetoolsMessageFeedOptions _options;

    /// <summary>Creates the feed.</summary>
    public CommercetoolsMessageFeed(CommercetoolsClient client, TimeProvider time, CommercetoolsMessageFeedOptions options)
    {
        _client = client;
        _time = time;
        _options = options;
    }

    /// <inheritdoc />
    public string Name => CursorSource;

    /// <inheritdoc />
    public async IAsyncEnumerable<ChangeFeedPage> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (checkpoint is null)
        {
            // First pull: start now (by the platform's clock). Earlier changes are the sweep's.
            yield return new ChangeFeedPage([], Format(await _client.GetServerTimeAsync(cancellationToken)), 0, 0);
            yield break;
        }

        var since = Parse(checkpoint);
        var from = since - _options.Overlap;
        var offset = 0;
        while (true)
        {
            var page = await _client.QueryMessagesAsync(from, offset, _options.PageSize, cancellationToken);
            var hints = new List<InboxMessage>(page.Count);
            var ignored = 0;
            // Per resource, oldest first: the inbox keeps arrival order, and a re-read always takes the newest state anyway.
            foreach (var message in page.OrderBy(m => m.ResourceId, StringComparer.Ordinal).ThenBy(m => m.SequenceNumber))
            {
                if (CommercetoolsHints.For(message.TypeId, message.ResourceId, message.Sku) is not { } hint)
                {
                    ignored++;
                    continue;
                }

                hints.Add(new InboxMessage(0, $"commercetools:{message.Id}", CommercetoolsSource.SourceName, hint.Entity, hint.Key, _time.GetUtcNow()));
            }

            if (page.Count > 0 && page[^1].CreatedAt > since)
            {
                since = page[^1].CreatedAt;
            }

            yield return new ChangeFeedPage(hints, Format(since), page.Count, ignored);
            if (page.Count < _options.PageSize)
            {
                yield break;
            }

            offset += page.Count;
            if (offset + _options.PageSize > MaxOffset)
            {
                from = since;
                offset = 0;
            }
        }
    }

    private static string Format(DateTimeOffset since) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["createdAt"] = since.ToString("O", CultureInfo.InvariantCulture) });

    private static DateTimeOffset Parse(string cursor)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(cursor);
        return values is not null && values.TryGetValue("createdAt", out var at)
            ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : throw new InvalidOperationException("The stored Messages API cursor is unreadable; delete it to start again from now.");
    }
}
