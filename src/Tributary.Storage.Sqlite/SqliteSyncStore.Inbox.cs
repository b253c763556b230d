using Microsoft.Data.Sqlite;
using Tributary.Core.Contracts;
using Tributary.Storage.Sqlite.Internal;

namespace Tributary.Storage.Sqlite;

public sealed partial class SqliteSyncStore
{
    /// <inheritdoc />
    public Task<bool> TryAddInboxAsync(InboxMessage message, CancellationToken cancellationToken) =>
        WriteAsync((s, tx) => AddInbox(s, tx, message), cancellationToken);

    /// <inheritdoc />
    public Task<int> AddFeedPageAsync(IReadOnlyList<InboxMessage> messages, string feed, Tributary.Core.Model.EntityKind entity, string checkpoint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return WriteAsync((s, tx) =>
        {
            var added = 0;
            foreach (var message in messages)
            {
                added += AddInbox(s, tx, message) ? 1 : 0;
            }

            SaveCursor(s, tx, feed, entity, checkpoint);
            return added;
        }, cancellationToken);
    }

    private static bool AddInbox(Statements s, SqliteTransaction tx, InboxMessage message)
    {
        using var command = s.Command(
            "INSERT INTO inbox (message_id, source, entity, key, received_at) VALUES ($id, $source, $entity, $key, $at) " +
            "ON CONFLICT (message_id) DO NOTHING;", tx);
        command.Parameters.AddWithValue("$id", message.MessageId);
        command.Parameters.AddWithValue("$source", message.Source);
        command.Parameters.AddWithValue("$entity", Codec.Name(message.Entity));
        command.Parameters.AddWithValue("$key", message.Key);
        command.Parameters.AddWithValue("$at", Codec.Ms(message.ReceivedAt));
        return command.ExecuteNonQuery() == 1;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxMessage>> PendingInboxAsync(int max, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<InboxMessage>>(s =>
        {
            using var command = s.Command(
                "SELECT seq, message_id, source, entity, key, received_at FROM inbox WHERE processed_at IS NULL ORDER BY seq LIMIT $max;");
            command.Parameters.AddWithValue("$max", max);
            using var reader = command.ExecuteReader();
            var messages = new List<InboxMessage>();
            while (reader.Read())
            {
                messages.Add(new InboxMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    Enum.Parse<Tributary.Core.Model.EntityKind>(reader.GetString(3)), reader.GetString(4), Codec.Time(reader.GetInt64(5))));
            }

            return messages;
        }, cancellationToken);

    /// <inheritdoc />
    public Task CompleteInboxAsync(IReadOnlyCollection<long> sequences, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((s, tx) =>
        {
            using var command = s.Command("UPDATE inbox SET processed_at = $at WHERE seq = $seq;", tx);
            var seq = command.Parameters.Add("$seq", SqliteType.Integer);
            command.Parameters.AddWithValue("$at", Codec.Ms(now));
            foreach (var value in sequences)
            {
                seq.Value = value;
                command.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);
}
