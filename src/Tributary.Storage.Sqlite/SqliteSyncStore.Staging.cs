using Microsoft.Data.Sqlite;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Sqlite.Internal;
using Tributary.Storage.Sql;

namespace Tributary.Storage.Sqlite;

public sealed partial class SqliteSyncStore
{
    /// <inheritdoc />
    /// <remarks>
    /// A row keeps its first enqueue time and its place in the enqueue order across restages, and keeps a live lease: the
    /// delivery in flight completes first (its completion clears the lease), so one key is never sent twice at once.
    /// The store assigns <see cref="OutboxEntry.Revision"/> (1 on insert, +1 per restage) and sets attempts to 0; the entry's
    /// own values for those are ignored.
    /// </remarks>
    public Task StageAsync(StageBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync((s, tx) =>
        {
            foreach (var entry in batch.Upserts)
            {
                Upsert(s, tx, entry);
            }

            var delete = s.DeletePending.In(tx);
            foreach (var (destination, entity, key, version) in batch.RemovePending)
            {
                delete["$destination"] = destination;
                delete["$entity"] = SqlCodec.Name(entity);
                delete["$key"] = key;
                delete["$version"] = version;
                delete.Execute();
            }

            if (batch.CursorSource is not null && batch.Cursor is not null)
            {
                SaveCursor(s, tx, batch.CursorSource, batch.CursorEntity, batch.Cursor);
            }

            return true;
        }, cancellationToken);
    }

    private static void Upsert(Statements s, SqliteTransaction tx, OutboxEntry entry)
    {
        var entity = SqlCodec.Name(entry.Entity);
        var pending = entry.Status == OutboxStatus.Pending;
        if (entry.Status == OutboxStatus.Quarantined)
        {
            var attempt = s.StagedQuarantineAttempt.In(tx);
            attempt["$destination"] = entry.Destination;
            attempt["$entity"] = entity;
            attempt["$key"] = entry.Key;
            attempt["$at"] = SqlCodec.Ms(entry.EnqueuedAt);
            attempt["$kind"] = SqlCodec.Name(entry.LastErrorKind ?? FailureKind.Invalid);
            attempt["$message"] = entry.LastError;
            attempt["$version"] = entry.SourceVersion;
            attempt["$hash"] = entry.Hash;
            attempt.Execute();
        }

        var fieldsJson = SqlCodec.Json(entry.Fields);
        var upsert = s.UpsertOutbox.In(tx);
        upsert["$destination"] = entry.Destination;
        upsert["$entity"] = entity;
        upsert["$key"] = entry.Key;
        upsert["$fields"] = fieldsJson;
        upsert["$changes"] = Tributary.Core.Diff.FieldDiff.SameFields(entry.Fields, entry.Changes) ? null : SqlCodec.Json(entry.Changes);
        upsert["$hash"] = entry.Hash;
        upsert["$version"] = entry.SourceVersion;
        upsert["$modified"] = SqlCodec.Ms(entry.SourceModifiedAt);
        upsert["$status"] = SqlCodec.Name(entry.Status);
        upsert["$next"] = SqlCodec.Ms(entry.NextAttemptAt);
        upsert["$enqueued"] = SqlCodec.Ms(entry.EnqueuedAt);
        upsert["$lane"] = SqlCodec.Name(entry.Lane);
        // A pending row starts clean; a row staged straight into a lane keeps its reason (the quarantine reason above all).
        upsert["$kind"] = pending ? null : SqlCodec.Name(entry.LastErrorKind ?? (entry.Status == OutboxStatus.Quarantined ? FailureKind.Invalid : null));
        upsert["$error"] = pending ? null : entry.LastError;
        upsert["$code"] = pending ? null : entry.LastStatusCode;
        // The dependency travels with the row whatever its lane, so the leased entry carries it to the delivery worker.
        upsert["$waitingEntity"] = entry.WaitingOn is { } w ? SqlCodec.Name(w.Entity) : null;
        upsert["$waitingKey"] = entry.WaitingOn?.Key;
        upsert.Execute();
    }

    private static void SaveCursor(Statements s, SqliteTransaction tx, string source, EntityKind entity, string cursor)
    {
        var set = s.SetCursor.In(tx);
        set["$source"] = source;
        set["$entity"] = SqlCodec.Name(entity);
        set["$value"] = cursor;
        set.Execute();
    }
}
