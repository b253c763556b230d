using System.Text;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Postgres.Internal;

namespace Tributary.Storage.Postgres;

public sealed partial class PostgresSyncStore
{
    /// <inheritdoc />
    /// <remarks>A leased row counts from when its lease ends (the later of its due time and its lease end).</remarks>
    public Task<DateTimeOffset?> NextDueAsync(string destination, EntityKind? entity, CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            await using var command = Command(connection,
                "SELECT MIN(GREATEST(next_attempt_at, COALESCE(lease_until, next_attempt_at))) FROM outbox " +
                "WHERE destination = @destination AND status = 'Pending'" + (entity is null ? string.Empty : " AND entity = @entity"));
            command.Parameters.Text("destination", destination);
            if (entity is { } e)
            {
                command.Parameters.Text("entity", PgCodec.Name(e));
            }

            return await command.ExecuteScalarAsync(ct) is long ms ? PgCodec.Time(ms) : (DateTimeOffset?)null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<LaneCount>> CountLanesAsync(CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<LaneCount>>(async (connection, ct) =>
        {
            await using var command = Command(connection,
                "SELECT destination, entity, status, COUNT(*) FROM outbox GROUP BY destination, entity, status " +
                "ORDER BY destination, entity, status COLLATE \"C\"");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var counts = new List<LaneCount>();
            while (await reader.ReadAsync(ct))
            {
                counts.Add(new LaneCount(reader.GetString(0), PgCodec.Entity(reader.GetString(1)), PgCodec.Status(reader.GetString(2)),
                    reader.GetInt64(3)));
            }

            return counts;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Newest by enqueue time first (then by enqueue order).</remarks>
    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus status, string? destination, int limit, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<OutboxEntry>>(async (connection, ct) =>
        {
            await using var command = Command(connection,
                $"SELECT {PgOutboxColumns.List} FROM outbox WHERE status = @status" +
                (destination is null ? string.Empty : " AND destination = @destination") +
                " ORDER BY enqueued_at DESC, id DESC LIMIT @limit");
            command.Parameters.Text("status", PgCodec.Name(status));
            command.Parameters.Integer("limit", Math.Max(limit, 0));
            if (destination is not null)
            {
                command.Parameters.Text("destination", destination);
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            return await PgOutboxColumns.ReadAllAsync(reader, ct);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<OutboxEntry?> GetOutboxAsync(string destination, EntityKind entity, string key, CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            await using var command = Command(connection,
                $"SELECT {PgOutboxColumns.List} FROM outbox WHERE destination = @destination AND entity = @entity AND key = @key");
            command.Parameters.Text("destination", destination);
            command.Parameters.Text("entity", PgCodec.Name(entity));
            command.Parameters.Text("key", key);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? PgOutboxColumns.Read(reader) : null;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Rows move to pending, due at <paramref name="now"/>, with attempts reset and no lease; their last error stays on
    /// the row until the next attempt replaces it (the attempts keep the full history).</remarks>
    public Task<int> RequeueAsync(ReplaySelection selection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.Keys is { Count: 0 })
        {
            return Task.FromResult(0);
        }

        return WriteAsync(async (connection, tx, ct) =>
        {
            var sql = new StringBuilder(
                "UPDATE outbox SET status = 'Pending', lane = 'Bulk', next_attempt_at = @now, attempts = 0, lease_until = NULL WHERE status = @status");
            await using var command = Command(connection, string.Empty, tx);
            command.Parameters.Bigint("now", PgCodec.Ms(now));
            command.Parameters.Text("status", PgCodec.Name(selection.Status));
            if (selection.Destination is not null)
            {
                sql.Append(" AND destination = @destination");
                command.Parameters.Text("destination", selection.Destination);
            }

            if (selection.Entity is { } entity)
            {
                sql.Append(" AND entity = @entity");
                command.Parameters.Text("entity", PgCodec.Name(entity));
            }

            if (selection.EnqueuedFrom is { } from)
            {
                sql.Append(" AND enqueued_at >= @from");
                command.Parameters.Bigint("from", PgCodec.Ms(from));
            }

            if (selection.EnqueuedBefore is { } before)
            {
                sql.Append(" AND enqueued_at < @before");
                command.Parameters.Bigint("before", PgCodec.Ms(before));
            }

            if (selection.Keys is { } keys)
            {
                sql.Append(" AND key = ANY(@keys)");
                command.Parameters.TextArray("keys", keys.ToArray());
            }

            command.CommandText = sql.ToString();
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> ReleaseDeliveredDependenciesAsync(string destination, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, tx, ct) =>
        {
            await using var command = Command(connection,
                "UPDATE outbox SET status = 'Pending', lane = 'Bulk', next_attempt_at = @now, lease_until = NULL " +
                "WHERE destination = @destination AND status = 'Parked' AND EXISTS (SELECT 1 FROM delivered d " +
                "WHERE d.destination = outbox.destination AND d.entity = outbox.waiting_entity AND d.key = outbox.waiting_key)", tx);
            command.Parameters.Bigint("now", PgCodec.Ms(now));
            command.Parameters.Text("destination", destination);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string destination, EntityKind entity, string key, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<AttemptRecord>>(async (connection, ct) =>
        {
            await using var command = Command(connection,
                "SELECT at, outcome, error_kind, status_code, message, request_summary, source_version FROM attempts " +
                "WHERE destination = @destination AND entity = @entity AND key = @key ORDER BY at, id");
            command.Parameters.Text("destination", destination);
            command.Parameters.Text("entity", PgCodec.Name(entity));
            command.Parameters.Text("key", key);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var attempts = new List<AttemptRecord>();
            while (await reader.ReadAsync(ct))
            {
                attempts.Add(new AttemptRecord(destination, entity, key, PgCodec.Time(reader.GetInt64(0)), reader.GetString(1),
                    PgCodec.Kind(reader, 2), PgCodec.NullableInt(reader, 3), PgCodec.NullableString(reader, 4),
                    PgCodec.NullableString(reader, 5), reader.GetInt64(6)));
            }

            return attempts;
        }, cancellationToken);
}
