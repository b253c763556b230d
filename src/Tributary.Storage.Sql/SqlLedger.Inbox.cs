using System.Data.Common;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Storage.Sql;

public abstract partial class SqlLedger
{
    /// <inheritdoc cref="IInboxStore.TryAddInboxAsync"/>
    /// <remarks>Deduplicated by the unique message id, across processes.</remarks>
    public Task<bool> TryAddInboxAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WriteSqlAsync((connection, tx, ct) => AddInboxAsync(connection, tx, message, ct), cancellationToken);
    }

    /// <inheritdoc cref="IInboxStore.AddFeedPageAsync"/>
    /// <remarks>The page's messages and the feed's checkpoint are one transaction: both are stored, or neither.</remarks>
    public Task<int> AddFeedPageAsync(IReadOnlyList<InboxMessage> messages, string feed, EntityKind entity, string checkpoint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return WriteSqlAsync(async (connection, tx, ct) =>
        {
            var added = 0;
            foreach (var message in messages)
            {
                added += await AddInboxAsync(connection, tx, message, ct) ? 1 : 0;
            }

            await using var cursor = connection.Command(SetCursorSql, tx);
            cursor.Text("source", feed);
            cursor.Text("entity", SqlCodec.Name(entity));
            cursor.Text("value", checkpoint);
            await cursor.ExecuteNonQueryAsync(ct);
            return added;
        }, cancellationToken);
    }

    private static async Task<bool> AddInboxAsync(DbConnection connection, DbTransaction tx, InboxMessage message, CancellationToken ct)
    {
        await using var command = connection.Command(
            "INSERT INTO inbox (message_id, source, entity, key, received_at) VALUES (@id, @source, @entity, @key, @at) " +
            "ON CONFLICT (message_id) DO NOTHING", tx);
        command.Text("id", message.MessageId);
        command.Text("source", message.Source);
        command.Text("entity", SqlCodec.Name(message.Entity));
        command.Text("key", message.Key);
        command.Bigint("at", SqlCodec.Ms(message.ReceivedAt));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <inheritdoc cref="IInboxStore.PendingInboxAsync"/>
    public Task<IReadOnlyList<InboxMessage>> PendingInboxAsync(int max, CancellationToken cancellationToken) =>
        ReadInboxAsync("processed_at IS NULL", max, null, cancellationToken);

    /// <inheritdoc cref="IInboxStore.DueInboxAsync"/>
    public Task<IReadOnlyList<InboxMessage>> DueInboxAsync(int max, DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadInboxAsync("processed_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= @now)", max, now, cancellationToken);

    private Task<IReadOnlyList<InboxMessage>> ReadInboxAsync(string where, int max, DateTimeOffset? now, CancellationToken cancellationToken) =>
        ReadSqlAsync<IReadOnlyList<InboxMessage>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                $"SELECT seq, message_id, source, entity, key, received_at, attempts, last_error FROM inbox WHERE {where} ORDER BY seq LIMIT @max");
            command.Integer("max", Math.Max(max, 0));
            if (now is { } at)
            {
                command.Bigint("now", SqlCodec.Ms(at));
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            var messages = new List<InboxMessage>();
            while (await reader.ReadAsync(ct))
            {
                messages.Add(new InboxMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    SqlCodec.Entity(reader.GetString(3)), reader.GetString(4), SqlCodec.Time(reader.GetInt64(5)))
                {
                    Attempts = reader.GetInt32(6),
                    LastError = reader.IsDBNull(7) ? null : reader.GetString(7),
                });
            }

            return messages;
        }, cancellationToken);

    /// <inheritdoc cref="IInboxStore.DeferInboxAsync"/>
    public Task DeferInboxAsync(IReadOnlyCollection<long> sequences, DateTimeOffset until, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteSqlAsync(async (connection, tx, ct) =>
        {
            await using var command = connection.Command(
                $"UPDATE inbox SET attempts = attempts + 1, next_attempt_at = @until, last_error = @reason WHERE processed_at IS NULL AND {Dialect.InList("seq", "@seqs")}", tx);
            command.Bigint("until", SqlCodec.Ms(until));
            command.Text("reason", reason);
            Dialect.AddLongList(command, "seqs", sequences);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc cref="IInboxStore.CompleteInboxAsync"/>
    public Task CompleteInboxAsync(IReadOnlyCollection<long> sequences, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteSqlAsync(async (connection, tx, ct) =>
        {
            await using var command = connection.Command($"UPDATE inbox SET processed_at = @at WHERE {Dialect.InList("seq", "@seqs")}", tx);
            command.Bigint("at", SqlCodec.Ms(now));
            Dialect.AddLongList(command, "seqs", sequences);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }
}
