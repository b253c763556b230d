using System.Globalization;
using System.Text.Json;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

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

/// <summary>What one pull of the Messages API did.</summary>
/// <param name="Read">Messages read (including ones seen before).</param>
/// <param name="Stored">Hints newly stored in the inbox.</param>
/// <param name="Ignored">Messages about resources the pipeline does not re-read by id.</param>
public sealed record MessageFeedReport(int Read, int Stored, int Ignored);

/// <summary>
/// The Messages API as a pull feed, for projects that have messages enabled: pages through messages oldest first from a stored
/// cursor and puts one hint per message in the durable inbox, under the same id a Subscription push carries, so a message seen
/// by both ways, or twice by either, is taken once. A hint is never trusted: the real-time lane re-reads the record and the
/// version gate drops anything older than what was delivered.
/// </summary>
public sealed class CommercetoolsMessageFeed
{
    /// <summary>The cursor's source name in the sync store.</summary>
    public const string CursorSource = "commercetools-messages";

    // The platform caps offset at 10 000: past it, the next page starts again from the newest time seen.
    private const int MaxOffset = 10_000;

    private readonly CommercetoolsClient _client;
    private readonly ISyncStore _store;
    private readonly TimeProvider _time;
    private readonly CommercetoolsMessageFeedOptions _options;

    /// <summary>Creates the feed.</summary>
    public CommercetoolsMessageFeed(CommercetoolsClient client, ISyncStore store, TimeProvider time, CommercetoolsMessageFeedOptions options)
    {
        _client = client;
        _store = store;
        _time = time;
        _options = options;
    }

    /// <summary>Pulls every message created since the cursor into the inbox and moves the cursor on.</summary>
    public async Task<MessageFeedReport> PullAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.GetCursorAsync(CursorSource, EntityKind.Customer, cancellationToken);
        DateTimeOffset since;
        if (stored is null)
        {
            // First pull: start now (by the platform's clock). Earlier changes are the sweep's.
            since = await _client.GetServerTimeAsync(cancellationToken);
            await SaveAsync(since, cancellationToken);
            return new MessageFeedReport(0, 0, 0);
        }

        since = Parse(stored);
        var from = since - _options.Overlap;
        var offset = 0;
        int read = 0, added = 0, ignored = 0;
        while (true)
        {
            var page = await _client.QueryMessagesAsync(from, offset, _options.PageSize, cancellationToken);
            read += page.Count;
            // Per resource, oldest first: the inbox keeps arrival order, and a re-read always takes the newest state anyway.
            foreach (var message in page.OrderBy(m => m.ResourceId, StringComparer.Ordinal).ThenBy(m => m.SequenceNumber))
            {
                var entity = message.TypeId switch
                {
                    "customer" => EntityKind.Customer,
                    "order" => EntityKind.Order,
                    _ => (EntityKind?)null,
                };
                if (entity is null)
                {
                    ignored++;
                    continue;
                }

                var hint = new InboxMessage(0, $"commercetools:{message.Id}", "commercetools", entity.Value, message.ResourceId, _time.GetUtcNow());
                if (await _store.TryAddInboxAsync(hint, cancellationToken))
                {
                    added++;
                }
            }

            if (page.Count > 0 && page[^1].CreatedAt > since)
            {
                since = page[^1].CreatedAt;
                await SaveAsync(since, cancellationToken);
            }

            if (page.Count < _options.PageSize)
            {
                return new MessageFeedReport(read, added, ignored);
            }

            offset += page.Count;
            if (offset + _options.PageSize > MaxOffset)
            {
                from = since;
                offset = 0;
            }
        }
    }

    private Task SaveAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        _store.SetCursorAsync(CursorSource, EntityKind.Customer,
            JsonSerializer.Serialize(new Dictionary<string, string> { ["createdAt"] = since.ToString("O", CultureInfo.InvariantCulture) }),
            cancellationToken);

    private static DateTimeOffset Parse(string cursor)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(cursor);
        return values is not null && values.TryGetValue("createdAt", out var at)
            ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : throw new InvalidOperationException("The stored Messages API cursor is unreadable; delete it to start again from now.");
    }
}
