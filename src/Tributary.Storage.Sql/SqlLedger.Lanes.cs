using System.Text;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Storage.Sql;

public abstract partial class SqlLedger
{
    /// <inheritdoc cref="ILaneStore.CountLanesAsync"/>
    public Task<IReadOnlyList<LaneCount>> CountLanesAsync(CancellationToken cancellationToken) =>
        ReadSqlAsync<IReadOnlyList<LaneCount>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                "SELECT destination, entity, status, COUNT(*) FROM outbox GROUP BY destination, entity, status " +
                $"ORDER BY destination, entity, {Dialect.Bytewise("status")}");
            await using var reader = await command.ExecuteReaderAsync(ct);
            var counts = new List<LaneCount>();
            while (await reader.ReadAsync(ct))
            {
                counts.Add(new LaneCount(reader.GetString(0), SqlCodec.Entity(reader.GetString(1)), SqlCodec.Status(reader.GetString(2)),
                    reader.GetInt64(3)));
            }

            return counts;
        }, cancellationToken);

    /// <inheritdoc cref="ILaneStore.ListAsync"/>
    /// <remarks>Newest by enqueue time first (then by enqueue order).</remarks>
    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus status, string? destination, int limit, CancellationToken cancellationToken) =>
        ReadSqlAsync<IReadOnlyList<OutboxEntry>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                $"SELECT {SqlOutboxColumns.List} FROM outbox WHERE status = @status" +
                (destination is null ? string.Empty : " AND destination = @destination") +
                " ORDER BY enqueued_at DESC, id DESC LIMIT @limit");
            command.Text("status", SqlCodec.Name(status));
            command.Integer("limit", Math.Max(limit, 0));
            if (destination is not null)
            {
                command.Text("destination", destination);
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            return await SqlOutboxColumns.ReadAllAsync(reader, ct);
        }, cancellationToken);

    /// <inheritdoc cref="ILaneStore.GetAttemptsAsync"/>
    public Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(string destination, EntityKind entity, string key, CancellationToken cancellationToken) =>
        ReadSqlAsync<IReadOnlyList<AttemptRecord>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                "SELECT at, outcome, error_kind, status_code, message, request_summary, source_version FROM attempts " +
                "WHERE destination = @destination AND entity = @entity AND key = @key ORDER BY at, id");
            command.Text("destination", destination);
            command.Text("entity", SqlCodec.Name(entity));
            command.Text("key", key);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var attempts = new List<AttemptRecord>();
            while (await reader.ReadAsync(ct))
            {
                attempts.Add(new AttemptRecord(destination, entity, key, SqlCodec.Time(reader.GetInt64(0)), reader.GetString(1),
                    SqlCodec.Kind(reader, 2), SqlCodec.NullableInt(reader, 3), SqlCodec.NullableString(reader, 4),
                    SqlCodec.NullableString(reader, 5), reader.GetInt64(6)));
            }

            return attempts;
        }, cancellationToken);

    /// <inheritdoc cref="ILaneStore.RequeueAsync"/>
    /// <remarks>Rows move to pending in the bulk lane, due at <paramref name="now"/>, with attempts reset and no lease; their
    /// last error stays on the row until the next attempt replaces it (the attempts keep the full history). An empty key
    /// collection matches nothing.</remarks>
    public Task<int> RequeueAsync(ReplaySelection selection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.Keys is { Count: 0 })
        {
            return Task.FromResult(0);
        }

        return WriteSqlAsync(async (connection, tx, ct) =>
        {
            var sql = new StringBuilder(
                "UPDATE outbox SET status = 'Pending', lane = 'Bulk', next_attempt_at = @now, attempts = 0, lease_until = NULL WHERE status = @status");
            await using var command = connection.Command(string.Empty, tx);
            command.Bigint("now", SqlCodec.Ms(now));
            command.Text("status", SqlCodec.Name(selection.Status));
            if (selection.Destination is not null)
            {
                sql.Append(" AND destination = @destination");
                command.Text("destination", selection.Destination);
            }

            if (selection.Entity is { } entity)
            {
                sql.Append(" AND entity = @entity");
                command.Text("entity", SqlCodec.Name(entity));
            }

            if (selection.EnqueuedFrom is { } from)
            {
                sql.Append(" AND enqueued_at >= @from");
                command.Bigint("from", SqlCodec.Ms(from));
            }

            if (selection.EnqueuedBefore is { } before)
            {
                sql.Append(" AND enqueued_at < @before");
                command.Bigint("before", SqlCodec.Ms(before));
            }

            if (selection.Keys is { } keys)
            {
                sql.Append(" AND ").Append(Dialect.InList("key", "@keys"));
                Dialect.AddTextList(command, "keys", keys);
            }

            command.CommandText = sql.ToString();
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc cref="ILaneStore.ReleaseDeliveredDependenciesAsync"/>
    /// <remarks>Released rows go to the bulk lane and keep their attempt count (so a record parked again and again still meets
    /// the retry bound) and their <see cref="OutboxEntry.WaitingOn"/>, which says what the record depends on.</remarks>
    public Task<int> ReleaseDeliveredDependenciesAsync(string destination, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteSqlAsync(async (connection, tx, ct) =>
        {
            await using var command = connection.Command(
                "UPDATE outbox SET status = 'Pending', lane = 'Bulk', next_attempt_at = @now, lease_until = NULL " +
                "WHERE destination = @destination AND status = 'Parked' AND EXISTS (SELECT 1 FROM delivered d " +
                "WHERE d.destination = outbox.destination AND d.entity = outbox.waiting_entity AND d.key = outbox.waiting_key)", tx);
            command.Bigint("now", SqlCodec.Ms(now));
            command.Text("destination", destination);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
}
