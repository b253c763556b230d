using Npgsql;
using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;
using Tributary.Storage.Postgres.Internal;
using Tributary.Storage.Sql;

namespace Tributary.Storage.Postgres;

public sealed partial class PostgresSyncStore
{
    private const string UpsertDeliveredSql = """
        INSERT INTO delivered (destination, entity, key, hash, fields, source_version, delivered_at)
        VALUES (@destination, @entity, @key, @hash, @fields, @version, @at)
        ON CONFLICT (destination, entity, key) DO UPDATE SET hash = excluded.hash, fields = excluded.fields,
            source_version = excluded.source_version, delivered_at = excluded.delivered_at
        """;

    /// <inheritdoc />
    /// <remarks>One statement for the whole key set (<c>key = ANY(array)</c>).</remarks>
    public Task<IReadOnlyDictionary<string, DeliveredState>> GetDeliveredAsync(string destination, EntityKind entity,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, DeliveredState>>(new Dictionary<string, DeliveredState>(StringComparer.Ordinal));
        }

        var keyArray = keys.ToArray();
        return RunAsync<IReadOnlyDictionary<string, DeliveredState>>(async (connection, ct) =>
        {
            await using var command = Command(connection,
                "SELECT key, hash, fields, source_version, delivered_at FROM delivered " +
                "WHERE destination = @destination AND entity = @entity AND key = ANY(@keys)");
            command.Parameters.Text("destination", destination);
            command.Parameters.Text("entity", SqlCodec.Name(entity));
            command.Parameters.TextArray("keys", keyArray);
            var result = new Dictionary<string, DeliveredState>(keyArray.Length, StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = reader.GetString(0);
                result[key] = new DeliveredState(destination, entity, key, reader.GetString(1), SqlCodec.Fields(reader.GetString(2)),
                    reader.GetInt64(3), SqlCodec.Time(reader.GetInt64(4)));
            }

            return result;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Safe across processes: the due rows are locked with <c>FOR UPDATE SKIP LOCKED</c>, so two workers leasing at once take
    /// disjoint rows, and a row another worker leased and committed meanwhile is re-checked against its new lease and skipped.
    /// Returned rows are ordered by lane (real-time first), due time, then enqueue order.
    /// </remarks>
    public Task<IReadOnlyList<OutboxEntry>> LeaseDueAsync(string destination, EntityKind entity, DateTimeOffset now, int max,
        TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return Task.FromResult<IReadOnlyList<OutboxEntry>>([]);
        }

        return WriteAsync<IReadOnlyList<OutboxEntry>>(async (connection, tx, ct) =>
        {
            await using var command = Command(connection, $"""
                UPDATE outbox SET lease_until = @until
                WHERE id IN (SELECT id FROM outbox
                    WHERE destination = @destination AND entity = @entity AND status = 'Pending' AND next_attempt_at <= @now
                        AND (lease_until IS NULL OR lease_until <= @now)
                    ORDER BY lane DESC, next_attempt_at, id LIMIT @max
                    FOR UPDATE SKIP LOCKED)
                RETURNING {SqlOutboxColumns.List}
                """, tx);
            command.Parameters.Text("destination", destination);
            command.Parameters.Text("entity", SqlCodec.Name(entity));
            command.Parameters.Bigint("now", SqlCodec.Ms(now));
            command.Parameters.Integer("max", max);
            command.Parameters.Bigint("until", SqlCodec.Ms(now + leaseFor));
            var rows = new List<(OutboxEntry Entry, long Id)>(Math.Min(max, 1024));
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    rows.Add((SqlOutboxColumns.Read(reader), reader.GetInt64(SqlOutboxColumns.IdOrdinal)));
                }
            }

            return SqlOutboxColumns.InLeaseOrder(rows);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The same rules as the SQLite store. One query reads the delivered fields of every accepted row, then one round trip
    /// applies all outcomes: accepted rows merge their changes into the delivered state and leave the outbox at the same
    /// revision only; others move to their lane at the same revision only; a row restaged meanwhile just loses its lease.
    /// Every outcome appends an attempt.
    /// </remarks>
    public Task CompleteAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(async (connection, tx, ct) =>
        {
            var previous = await ReadDeliveredFieldsAsync(connection, tx, outcomes.Where(o => o.Accepted).Select(o => o.Entry), ct);
            await using var commands = new NpgsqlBatch(connection, tx);
            foreach (var outcome in outcomes)
            {
                Complete(commands, outcome, previous);
            }

            await commands.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);
    }

    private static async Task<Dictionary<(string Destination, EntityKind Entity, string Key), Dictionary<string, string?>>> ReadDeliveredFieldsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IEnumerable<OutboxEntry> entries, CancellationToken ct)
    {
        var result = new Dictionary<(string, EntityKind, string), Dictionary<string, string?>>();
        foreach (var group in entries.GroupBy(e => (e.Destination, e.Entity)))
        {
            await using var command = Command(connection,
                "SELECT key, fields FROM delivered WHERE destination = @destination AND entity = @entity AND key = ANY(@keys)", tx);
            command.Parameters.Text("destination", group.Key.Destination);
            command.Parameters.Text("entity", SqlCodec.Name(group.Key.Entity));
            command.Parameters.TextArray("keys", group.Select(e => e.Key).Distinct(StringComparer.Ordinal).ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                result[(group.Key.Destination, group.Key.Entity, reader.GetString(0))] = SqlCodec.Fields(reader.GetString(1));
            }
        }

        return result;
    }

    private static void Complete(NpgsqlBatch commands, DeliveryOutcome outcome,
        Dictionary<(string Destination, EntityKind Entity, string Key), Dictionary<string, string?>> delivered)
    {
        var entry = outcome.Entry;
        var entity = SqlCodec.Name(entry.Entity);
        var at = SqlCodec.Ms(outcome.At);
        NpgsqlBatchCommand change;
        if (outcome.Accepted)
        {
            // Merged in memory and remembered, so a key completed twice in one call merges onto its first completion.
            var id = (entry.Destination, entry.Entity, entry.Key);
            var merged = FieldDiff.Apply(delivered.GetValueOrDefault(id), entry.Changes);
            delivered[id] = merged;
            var upsert = new NpgsqlBatchCommand(UpsertDeliveredSql);
            upsert.Parameters.Text("destination", entry.Destination);
            upsert.Parameters.Text("entity", entity);
            upsert.Parameters.Text("key", entry.Key);
            upsert.Parameters.Text("hash", FieldDiff.Hash(merged));
            upsert.Parameters.Text("fields", SqlCodec.Json(merged));
            upsert.Parameters.Bigint("version", entry.SourceVersion);
            upsert.Parameters.Bigint("at", at);
            commands.BatchCommands.Add(upsert);
            change = new NpgsqlBatchCommand(
                "DELETE FROM outbox WHERE destination = @destination AND entity = @entity AND key = @key AND revision = @revision");
        }
        else
        {
            change = new NpgsqlBatchCommand("""
                UPDATE outbox SET status = @status, lane = 'Bulk', attempts = attempts + 1, next_attempt_at = @next, last_error_kind = @kind,
                    last_error = @error, last_status_code = @code, waiting_entity = @waiting_entity, waiting_key = @waiting_key, lease_until = NULL
                WHERE destination = @destination AND entity = @entity AND key = @key AND revision = @revision
                """);
            change.Parameters.Text("status", SqlCodec.Name(outcome.Status!.Value));
            change.Parameters.Bigint("next", SqlCodec.Ms(outcome.NextAttemptAt ?? outcome.At));
            change.Parameters.Text("kind", SqlCodec.Name(outcome.ErrorKind));
            change.Parameters.Text("error", outcome.Message);
            change.Parameters.Integer("code", outcome.StatusCode);
            // A parked row waits on the dependency the worker put on the entry it completes.
            change.Parameters.Text("waiting_entity", entry.WaitingOn is { } w ? SqlCodec.Name(w.Entity) : null);
            change.Parameters.Text("waiting_key", entry.WaitingOn?.Key);
        }

        BindRevision(change.Parameters, entry, entity);
        commands.BatchCommands.Add(change);

        // Restaged while in flight: the newer revision waits for its own delivery, now free to be leased. (When the row was at
        // the sent revision, the statement above removed it or cleared its lease, and this matches nothing.)
        var clear = new NpgsqlBatchCommand(
            "UPDATE outbox SET lease_until = NULL WHERE destination = @destination AND entity = @entity AND key = @key AND revision <> @revision");
        BindRevision(clear.Parameters, entry, entity);
        commands.BatchCommands.Add(clear);

        var attempt = new NpgsqlBatchCommand("""
            INSERT INTO attempts (destination, entity, key, at, outcome, error_kind, status_code, message, request_summary, source_version)
            VALUES (@destination, @entity, @key, @at, @outcome, @kind, @code, @message, @summary, @version)
            """);
        var p = attempt.Parameters;
        p.Text("destination", entry.Destination);
        p.Text("entity", entity);
        p.Text("key", entry.Key);
        p.Bigint("at", at);
        p.Text("outcome", SqlCodec.Outcome(outcome.Status));
        p.Text("kind", SqlCodec.Name(outcome.ErrorKind));
        p.Integer("code", outcome.StatusCode);
        p.Text("message", outcome.Message);
        p.Text("summary", outcome.RequestSummary);
        p.Bigint("version", entry.SourceVersion);
        commands.BatchCommands.Add(attempt);
    }

    private static void BindRevision(NpgsqlParameterCollection parameters, OutboxEntry entry, string entity)
    {
        parameters.Text("destination", entry.Destination);
        parameters.Text("entity", entity);
        parameters.Text("key", entry.Key);
        parameters.Bigint("revision", entry.Revision);
    }
}
