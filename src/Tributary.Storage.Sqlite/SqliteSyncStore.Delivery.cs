using Microsoft.Data.Sqlite;
using Tributary.Core.Contracts;
using Tributary.Core.Diff;
using Tributary.Core.Model;
using Tributary.Storage.Sql;
using Tributary.Storage.Sqlite.Internal;

namespace Tributary.Storage.Sqlite;

public sealed partial class SqliteSyncStore
{
    /// <inheritdoc />
    /// <remarks>One statement for the whole key set (keys are passed as a JSON array and joined through <c>json_each</c>).</remarks>
    public Task<IReadOnlyDictionary<string, DeliveredState>> GetDeliveredAsync(string destination, EntityKind entity,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, DeliveredState>>(new Dictionary<string, DeliveredState>(StringComparer.Ordinal));
        }

        var keysJson = SqlCodec.JsonArray(keys);
        return RunAsync<IReadOnlyDictionary<string, DeliveredState>>(s =>
        {
            var get = s.GetDeliveredMany.In(null);
            get["$destination"] = destination;
            get["$entity"] = SqlCodec.Name(entity);
            get["$keys"] = keysJson;
            var result = new Dictionary<string, DeliveredState>(keys.Count, StringComparer.Ordinal);
            using var reader = get.Query();
            while (reader.Read())
            {
                var key = reader.GetString(0);
                result[key] = new DeliveredState(destination, entity, key, reader.GetString(1), SqlCodec.Fields(reader.GetString(2)),
                    reader.GetInt64(3), SqlCodec.Time(reader.GetInt64(4)));
            }

            return result;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Returned rows are ordered by lane (real-time first), due time, then enqueue order.</remarks>
    public Task<IReadOnlyList<OutboxEntry>> LeaseDueAsync(string destination, EntityKind entity, DateTimeOffset now, int max,
        TimeSpan leaseFor, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return Task.FromResult<IReadOnlyList<OutboxEntry>>([]);
        }

        return WriteAsync<IReadOnlyList<OutboxEntry>>((s, tx) =>
        {
            var lease = s.LeaseDue.In(tx);
            lease["$destination"] = destination;
            lease["$entity"] = SqlCodec.Name(entity);
            lease["$now"] = SqlCodec.Ms(now);
            lease["$max"] = max;
            lease["$until"] = SqlCodec.Ms(now + leaseFor);
            var rows = new List<(OutboxEntry Entry, long Id)>(Math.Min(max, 1024));
            using (var reader = lease.Query())
            {
                while (reader.Read())
                {
                    rows.Add((SqlOutboxColumns.Read(reader), reader.GetInt64(SqlOutboxColumns.IdOrdinal)));
                }
            }

            return SqlOutboxColumns.InLeaseOrder(rows);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Accepted: the sent changes are merged into the delivered state, whose hash is recomputed from the merged fields; the
    /// outbox row leaves only if it is still the revision that was sent. Otherwise the row (same revision only) moves to its
    /// lane with attempts + 1. A newer revision staged meanwhile stays pending and loses the lease. Every outcome appends an
    /// attempt row.
    /// </remarks>
    public Task CompleteAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync((s, tx) =>
        {
            foreach (var outcome in outcomes)
            {
                Complete(s, tx, outcome);
            }

            return true;
        }, cancellationToken);
    }

    private static void Complete(Statements s, SqliteTransaction tx, DeliveryOutcome outcome)
    {
        var entry = outcome.Entry;
        var entity = SqlCodec.Name(entry.Entity);
        var at = SqlCodec.Ms(outcome.At);
        int changed;
        if (outcome.Accepted)
        {
            RecordDelivered(s, tx, entry, entity, at);
            var delete = s.DeleteRevision.In(tx);
            delete["$destination"] = entry.Destination;
            delete["$entity"] = entity;
            delete["$key"] = entry.Key;
            delete["$revision"] = entry.Revision;
            changed = delete.Execute();
        }
        else
        {
            var status = outcome.Status!.Value;
            var move = s.MoveToLane.In(tx);
            move["$destination"] = entry.Destination;
            move["$entity"] = entity;
            move["$key"] = entry.Key;
            move["$revision"] = entry.Revision;
            move["$status"] = SqlCodec.Name(status);
            move["$next"] = SqlCodec.Ms(outcome.NextAttemptAt ?? outcome.At);
            move["$kind"] = SqlCodec.Name(outcome.ErrorKind);
            move["$error"] = outcome.Message;
            move["$code"] = outcome.StatusCode;
            // A parked row waits on the dependency the worker put on the entry it completes.
            move["$waitingEntity"] = entry.WaitingOn is { } w ? SqlCodec.Name(w.Entity) : null;
            move["$waitingKey"] = entry.WaitingOn?.Key;
            changed = move.Execute();
        }

        if (changed == 0)
        {
            // Restaged (or removed) while in flight: the newer revision waits for its own delivery, now free to be leased.
            var clear = s.ClearLease.In(tx);
            clear["$destination"] = entry.Destination;
            clear["$entity"] = entity;
            clear["$key"] = entry.Key;
            clear.Execute();
        }

        var attempt = s.InsertAttempt.In(tx);
        attempt["$destination"] = entry.Destination;
        attempt["$entity"] = entity;
        attempt["$key"] = entry.Key;
        attempt["$at"] = at;
        attempt["$outcome"] = SqlCodec.Outcome(outcome.Status);
        attempt["$kind"] = SqlCodec.Name(outcome.ErrorKind);
        attempt["$code"] = outcome.StatusCode;
        attempt["$message"] = outcome.Message;
        attempt["$summary"] = outcome.RequestSummary;
        attempt["$version"] = entry.SourceVersion;
        attempt.Execute();
    }

    private static void RecordDelivered(Statements s, SqliteTransaction tx, OutboxEntry entry, string entity, long at)
    {
        var get = s.GetDeliveredFields.In(tx);
        get["$destination"] = entry.Destination;
        get["$entity"] = entity;
        get["$key"] = entry.Key;
        var previous = get.Scalar() is string json ? SqlCodec.Fields(json) : null;
        var merged = FieldDiff.Apply(previous, entry.Changes);

        var upsert = s.UpsertDelivered.In(tx);
        upsert["$destination"] = entry.Destination;
        upsert["$entity"] = entity;
        upsert["$key"] = entry.Key;
        upsert["$hash"] = FieldDiff.Hash(merged);
        upsert["$fields"] = SqlCodec.Json(merged);
        upsert["$version"] = entry.SourceVersion;
        upsert["$at"] = at;
        upsert.Execute();
    }
}
