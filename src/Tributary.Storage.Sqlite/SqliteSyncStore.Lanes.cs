using System.Text;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Sqlite.Internal;

namespace Tributary.Storage.Sqlite;

public sealed partial class SqliteSyncStore
{
    /// <inheritdoc />
    /// <remarks>
    /// A leased row counts from when its lease ends (the later of its due time and its lease end): the time it can actually be
    /// leased again, so a worker waiting on this never spins on rows another worker is delivering.
    /// </remarks>
    public Task<DateTimeOffset?> NextDueAsync(string destination, EntityKind? entity, CancellationToken cancellationToken) =>
        RunAsync(s =>
        {
            using var command = s.Command(
                "SELECT MIN(MAX(next_attempt_at, COALESCE(lease_until, next_attempt_at))) FROM outbox " +
                "WHERE destination = $destination AND status = 'Pending'" + (entity is null ? ";" : " AND entity = $entity;"));
            command.Parameters.AddWithValue("$destination", destination);
            if (entity is { } e)
            {
                command.Parameters.AddWithValue("$entity", Codec.Name(e));
            }

            return command.ExecuteScalar() is long ms ? Codec.Time(ms) : (DateTimeOffset?)null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LaneCount>> CountLanesAsync(CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<LaneCount>>(s =>
        {
            using var command = s.Command(
                "SELECT destination, entity, status, COUNT(*) FROM outbox GROUP BY destination, entity, status ORDER BY destination, entity, status;");
            using var reader = command.ExecuteReader();
            var counts = new List<LaneCount>();
            while (reader.Read())
            {
                counts.Add(new LaneCount(reader.GetString(0), Codec.Entity(reader.GetString(1)), Codec.Status(reader.GetString(2)),
                    reader.GetInt64(3)));
            }

            return counts;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Newest by enqueue time first (then by enqueue order).</remarks>
    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus status, string? destination, int limit, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<OutboxEntry>>(s =>
        {
            using var command = s.Command(
                $"SELECT {OutboxColumns.List} FROM outbox WHERE status = $status" +
                (destination is null ? string.Empty : " AND destination = $destination") +
                " ORDER BY enqueued_at DESC, id DESC LIMIT $limit;");
            command.Parameters.AddWithValue("$status", Codec.Name(status));
            command.Parameters.AddWithValue("$limit", Math.Max(limit, 0));
            if (destination is not null)
            {
                command.Parameters.AddWithValue("$destination", destination);
            }

            using var reader = command.ExecuteReader();
            return OutboxColumns.ReadAll(reader);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<OutboxEntry?> GetOutboxAsync(string destination, EntityKind entity, string key, CancellationToken cancellationToken) =>
        RunAsync(s =>
        {
            using var command = s.Command(
                $"SELECT {OutboxColumns.List} FROM outbox WHERE destination = $destination AND entity = $entity AND key = $key;");
            command.Parameters.AddWithValue("$destination", destination);
            command.Parameters.AddWithValue("$entity", Codec.Name(entity));
            command.Parameters.AddWithValue("$key", key);
            using var reader = command.ExecuteReader();
            return reader.Read() ? OutboxColumns.Read(reader) : null;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Rows move to pending, due at <paramref name="now"/>, with attempts reset and no lease; their last
    /// error stays on the row until the next attempt replaces it (the attempts keep the full history).</remarks>
    public Task<int> RequeueAsync(ReplaySelection selection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.Keys is { Count: 0 })
        {
            return Task.FromResult(0);
        }

        return WriteAsync((s, tx) =>
        {
            var sql = new StringBuilder(
                "UPDATE outbox SET status = 'Pending', lane = 'Bulk', next_attempt_at = $now, attempts = 0, lease_until = NULL WHERE status = $status");
            using var command = s.Command(string.Empty, tx);
            command.Parameters.AddWithValue("$now", Codec.Ms(now));
            command.Parameters.AddWithValue("$status", Codec.Name(selection.Status));
            if (selection.Destination is not null)
            {
                sql.Append(" AND destination = $destination");
                command.Parameters.AddWithValue("$destination", selection.Destination);
            }

            if (selection.Entity is { } entity)
            {
                sql.Append(" AND entity = $entity");
                command.Parameters.AddWithValue("$entity", Codec.Name(entity));
            }

            if (selection.EnqueuedFrom is { } from)
            {
                sql.Append(" AND enqueued_at >= $from");
                command.Parameters.AddWithValue("$from", Codec.Ms(from));
            }

            if (selection.EnqueuedBefore is { } before)
            {
                sql.Append(" AND enqueued_at < $before");
                command.Parameters.AddWithValue("$before", Codec.Ms(before));
            }

            if (selection.Keys is { } keys)
            {
                sql.Append(" AND key IN (SELECT value FROM json_each($keys))");
                command.Parameters.AddWithValue("$keys", Codec.JsonArray(keys));
            }

            command.CommandText = sql.Append(';').ToString();
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string destination, EntityKind entity, string key, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<AttemptRecord>>(s =>
        {
            using var command = s.Command(
                "SELECT at, outcome, error_kind, status_code, message, request_summary, source_version FROM attempts " +
                "WHERE destination = $destination AND entity = $entity AND key = $key ORDER BY at, id;");
            command.Parameters.AddWithValue("$destination", destination);
            command.Parameters.AddWithValue("$entity", Codec.Name(entity));
            command.Parameters.AddWithValue("$key", key);
            using var reader = command.ExecuteReader();
            var attempts = new List<AttemptRecord>();
            while (reader.Read())
            {
                attempts.Add(new AttemptRecord(destination, entity, key, Codec.Time(reader.GetInt64(0)), reader.GetString(1),
                    Codec.Kind(reader, 2), Codec.NullableInt(reader, 3), Codec.NullableString(reader, 4), Codec.NullableString(reader, 5),
                    reader.GetInt64(6)));
            }

            return attempts;
        }, cancellationToken);
}
