using Npgsql;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Postgres.Internal;

namespace Tributary.Storage.Postgres;

public sealed partial class PostgresSyncStore
{
    private const string MarkSentSql =
        "INSERT INTO sent_once (ledger_key, intended_at, sent_at) SELECT k, @at, @at FROM unnest(@keys) AS k " +
        "ON CONFLICT (ledger_key) DO UPDATE SET sent_at = COALESCE(sent_once.sent_at, excluded.sent_at)";

    /// <inheritdoc />
    /// <remarks>
    /// One multi-row <c>INSERT … ON CONFLICT DO NOTHING RETURNING</c>: the keys it returns are this call's; every other key was
    /// already there (or was just committed by another process, which waited on its unique key), and its state is read back.
    /// </remarks>
    public Task<IReadOnlyDictionary<string, SentOnceState>> MarkIntendedAsync(IReadOnlyCollection<string> ledgerKeys, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledgerKeys);
        var keys = ledgerKeys.Distinct(StringComparer.Ordinal).ToArray();
        if (keys.Length == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, SentOnceState>>(new Dictionary<string, SentOnceState>(StringComparer.Ordinal));
        }

        return WriteAsync<IReadOnlyDictionary<string, SentOnceState>>(async (connection, tx, ct) =>
        {
            var inserted = new HashSet<string>(StringComparer.Ordinal);
            await using (var insert = Command(connection,
                "INSERT INTO sent_once (ledger_key, intended_at) SELECT k, @at FROM unnest(@keys) AS k " +
                "ON CONFLICT (ledger_key) DO NOTHING RETURNING ledger_key", tx))
            {
                insert.Parameters.Bigint("at", PgCodec.Ms(now));
                insert.Parameters.TextArray("keys", keys);
                await using var reader = await insert.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    inserted.Add(reader.GetString(0));
                }
            }

            var existing = new Dictionary<string, SentOnceState>(StringComparer.Ordinal);
            var others = keys.Where(k => !inserted.Contains(k)).ToArray();
            if (others.Length == 0)
            {
                return existing;
            }

            await using var read = Command(connection,
                "SELECT ledger_key, intended_at, sent_at FROM sent_once WHERE ledger_key = ANY(@keys)", tx);
            read.Parameters.TextArray("keys", others);
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var key = reader.GetString(0);
                    existing[key] = new SentOnceState(key, PgCodec.Time(reader.GetInt64(1)), reader.IsDBNull(2) ? null : PgCodec.Time(reader.GetInt64(2)));
                }
            }

            return existing;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task MarkSentAsync(IReadOnlyCollection<string> ledgerKeys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledgerKeys);
        // Distinct: one statement may not update the same row twice.
        var keys = ledgerKeys.Distinct(StringComparer.Ordinal).ToArray();
        if (keys.Length == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(async (connection, tx, ct) =>
        {
            await using var command = Command(connection, MarkSentSql, tx);
            command.Parameters.Bigint("at", PgCodec.Ms(now));
            command.Parameters.TextArray("keys", keys);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Only unconfirmed intents are forgotten: a key once sent stays sent.</remarks>
    public Task ReleaseIntentsAsync(IReadOnlyCollection<string> ledgerKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledgerKeys);
        if (ledgerKeys.Count == 0)
        {
            return Task.CompletedTask;
        }

        var keys = ledgerKeys.ToArray();
        return WriteAsync(async (connection, tx, ct) =>
        {
            await using var command = Command(connection, "DELETE FROM sent_once WHERE ledger_key = ANY(@keys) AND sent_at IS NULL", tx);
            command.Parameters.TextArray("keys", keys);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Deduplicated by the unique message id, across processes.</remarks>
    public Task<bool> TryAddInboxAsync(InboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WriteAsync((connection, tx, ct) => AddInboxAsync(connection, tx, message, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> AddFeedPageAsync(IReadOnlyList<InboxMessage> messages, string feed, EntityKind entity, string checkpoint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return WriteAsync(async (connection, tx, ct) =>
        {
            var added = 0;
            foreach (var message in messages)
            {
                added += await AddInboxAsync(connection, tx, message, ct) ? 1 : 0;
            }

            await using var cursor = Command(connection, SetCursorSql, tx);
            BindCursor(cursor.Parameters, feed, entity, checkpoint);
            await cursor.ExecuteNonQueryAsync(ct);
            return added;
        }, cancellationToken);
    }

    private static async Task<bool> AddInboxAsync(NpgsqlConnection connection, NpgsqlTransaction tx, InboxMessage message, CancellationToken ct)
    {
        await using var command = Command(connection,
            "INSERT INTO inbox (message_id, source, entity, key, received_at) VALUES (@id, @source, @entity, @key, @at) " +
            "ON CONFLICT (message_id) DO NOTHING", tx);
        command.Parameters.Text("id", message.MessageId);
        command.Parameters.Text("source", message.Source);
        command.Parameters.Text("entity", PgCodec.Name(message.Entity));
        command.Parameters.Text("key", message.Key);
        command.Parameters.Bigint("at", PgCodec.Ms(message.ReceivedAt));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxMessage>> PendingInboxAsync(int max, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<InboxMessage>>(async (connection, ct) =>
        {
            await using var command = Command(connection,
                "SELECT seq, message_id, source, entity, key, received_at FROM inbox WHERE processed_at IS NULL ORDER BY seq LIMIT @max");
            command.Parameters.Integer("max", Math.Max(max, 0));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var messages = new List<InboxMessage>();
            while (await reader.ReadAsync(ct))
            {
                messages.Add(new InboxMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    PgCodec.Entity(reader.GetString(3)), reader.GetString(4), PgCodec.Time(reader.GetInt64(5))));
            }

            return messages;
        }, cancellationToken);

    /// <inheritdoc />
    public Task CompleteInboxAsync(IReadOnlyCollection<long> sequences, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return Task.CompletedTask;
        }

        var values = sequences.ToArray();
        return WriteAsync(async (connection, tx, ct) =>
        {
            await using var command = Command(connection, "UPDATE inbox SET processed_at = @at WHERE seq = ANY(@seqs)", tx);
            command.Parameters.Bigint("at", PgCodec.Ms(now));
            command.Parameters.Add(new Npgsql.NpgsqlParameter("seqs", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint) { Value = values });
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }
}
