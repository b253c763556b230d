using Npgsql;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Postgres.Internal;
using Tributary.Storage.Sql;

namespace Tributary.Storage.Postgres;

public sealed partial class PostgresSyncStore
{
    // The same rules as the SQLite store's upsert (see its README, "Outbox rules"): a restage updates the row in place and keeps
    // its id, enqueue time and live lease; an identical projection staged as Pending onto a waiting row changes nothing; an
    // older read never replaces a newer pending change.
    private const string UpsertOutboxSql = """
        INSERT INTO outbox (destination, entity, key, fields, changes, hash, source_version, source_modified_at, status, attempts,
            next_attempt_at, revision, enqueued_at, last_error_kind, last_error, last_status_code, waiting_entity, waiting_key, lease_until, lane)
        VALUES (@destination, @entity, @key, @fields, @changes, @hash, @version, @modified, @status, 0,
            @next, 1, @enqueued, @kind, @error, @code, @waiting_entity, @waiting_key, NULL, @lane)
        ON CONFLICT (destination, entity, key) DO UPDATE SET
            fields = excluded.fields, changes = excluded.changes, hash = excluded.hash, source_version = excluded.source_version,
            source_modified_at = excluded.source_modified_at, status = excluded.status, attempts = 0,
            next_attempt_at = excluded.next_attempt_at, revision = outbox.revision + 1, last_error_kind = excluded.last_error_kind,
            last_error = excluded.last_error, last_status_code = excluded.last_status_code,
            waiting_entity = excluded.waiting_entity, waiting_key = excluded.waiting_key, lane = excluded.lane
        WHERE NOT (outbox.hash = excluded.hash AND excluded.status = 'Pending' AND outbox.status IN ('Pending', 'Parked', 'Dead', 'Quarantined'))
            AND NOT (outbox.status = 'Pending' AND excluded.source_version < outbox.source_version)
        """;

    // The record trace keeps why a record was quarantined at staging, once per distinct reason and projection.
    private const string StagedQuarantineAttemptSql = """
        INSERT INTO attempts (destination, entity, key, at, outcome, error_kind, status_code, message, request_summary, source_version)
        SELECT @destination, @entity, @key, @at, 'quarantined', @kind, NULL, @message, NULL, @version
        WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE destination = @destination AND entity = @entity AND key = @key
            AND status = 'Quarantined' AND hash = @hash AND last_error IS NOT DISTINCT FROM @message)
        """;

    /// <inheritdoc />
    /// <remarks>
    /// One round trip for the whole batch (an <see cref="NpgsqlBatch"/> of prepared statements in one transaction). Rows are
    /// written in the batch's order, which is their enqueue order; two processes staging overlapping keys in different orders
    /// may deadlock, and the transaction that loses is run again.
    /// </remarks>
    public Task StageAsync(StageBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var upserts = batch.Upserts;
        return WriteAsync(async (connection, tx, ct) =>
        {
            await using var commands = new NpgsqlBatch(connection, tx);
            foreach (var entry in upserts)
            {
                if (entry.Status == OutboxStatus.Quarantined)
                {
                    commands.BatchCommands.Add(QuarantineAttempt(entry));
                }

                commands.BatchCommands.Add(Upsert(entry));
            }

            foreach (var (destination, entity, key, version) in batch.RemovePending)
            {
                // The row is found by its unique key alone (see outbox_due in the schema), then checked.
                var delete = new NpgsqlBatchCommand(
                    "DELETE FROM outbox WHERE id = (SELECT id FROM outbox WHERE destination = @destination AND entity = @entity AND key = @key) " +
                    "AND status = 'Pending' AND source_version <= @version");
                delete.Parameters.Text("destination", destination);
                delete.Parameters.Text("entity", SqlCodec.Name(entity));
                delete.Parameters.Text("key", key);
                delete.Parameters.Bigint("version", version);
                commands.BatchCommands.Add(delete);
            }

            if (batch.CursorSource is not null && batch.Cursor is not null)
            {
                var cursor = new NpgsqlBatchCommand(SetCursorSql);
                BindCursor(cursor.Parameters, batch.CursorSource, batch.CursorEntity, batch.Cursor);
                commands.BatchCommands.Add(cursor);
            }

            if (commands.BatchCommands.Count > 0)
            {
                await commands.ExecuteNonQueryAsync(ct);
            }

            return true;
        }, cancellationToken);
    }

    private static NpgsqlBatchCommand QuarantineAttempt(OutboxEntry entry)
    {
        var attempt = new NpgsqlBatchCommand(StagedQuarantineAttemptSql);
        var p = attempt.Parameters;
        p.Text("destination", entry.Destination);
        p.Text("entity", SqlCodec.Name(entry.Entity));
        p.Text("key", entry.Key);
        p.Bigint("at", SqlCodec.Ms(entry.EnqueuedAt));
        p.Text("kind", SqlCodec.Name(entry.LastErrorKind ?? FailureKind.Invalid));
        p.Text("message", entry.LastError);
        p.Bigint("version", entry.SourceVersion);
        p.Text("hash", entry.Hash);
        return attempt;
    }

    private static NpgsqlBatchCommand Upsert(OutboxEntry entry)
    {
        var pending = entry.Status == OutboxStatus.Pending;
        var upsert = new NpgsqlBatchCommand(UpsertOutboxSql);
        var p = upsert.Parameters;
        p.Text("destination", entry.Destination);
        p.Text("entity", SqlCodec.Name(entry.Entity));
        p.Text("key", entry.Key);
        p.Text("fields", SqlCodec.Json(entry.Fields));
        p.Text("changes", Tributary.Core.Diff.FieldDiff.SameFields(entry.Fields, entry.Changes) ? null : SqlCodec.Json(entry.Changes));
        p.Text("hash", entry.Hash);
        p.Bigint("version", entry.SourceVersion);
        p.Bigint("modified", SqlCodec.Ms(entry.SourceModifiedAt));
        p.Text("status", SqlCodec.Name(entry.Status));
        p.Bigint("next", SqlCodec.Ms(entry.NextAttemptAt));
        p.Bigint("enqueued", SqlCodec.Ms(entry.EnqueuedAt));
        p.Text("lane", SqlCodec.Name(entry.Lane));
        // A pending row starts clean; a row staged straight into a lane keeps its reason (the quarantine reason above all).
        p.Text("kind", pending ? null : SqlCodec.Name(entry.LastErrorKind ?? (entry.Status == OutboxStatus.Quarantined ? FailureKind.Invalid : null)));
        p.Text("error", pending ? null : entry.LastError);
        p.Integer("code", pending ? null : entry.LastStatusCode);
        // The dependency travels with the row whatever its lane, so the leased entry carries it to the delivery worker.
        p.Text("waiting_entity", entry.WaitingOn is { } w ? SqlCodec.Name(w.Entity) : null);
        p.Text("waiting_key", entry.WaitingOn?.Key);
        return upsert;
    }

    private static void BindCursor(NpgsqlParameterCollection parameters, string source, EntityKind entity, string cursor)
    {
        parameters.Text("source", source);
        parameters.Text("entity", SqlCodec.Name(entity));
        parameters.Text("value", cursor);
    }
}
