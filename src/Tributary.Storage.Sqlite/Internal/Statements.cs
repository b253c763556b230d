using Microsoft.Data.Sqlite;

namespace Tributary.Storage.Sqlite.Internal;

/// <summary>The prepared statements of the hot paths (staging, leasing, completing), compiled once per connection.</summary>
internal sealed class Statements : IDisposable
{
    private readonly List<Statement> _all = [];

    public Statements(SqliteConnection connection)
    {
        Connection = connection;

        // A restage replaces the row in place (id, enqueued_at and any live lease are kept; see README "Outbox rules").
        // An identical projection staged again as Pending onto a Pending, Parked or Dead row changes nothing: a sweep that
        // re-reads an unchanged record must not reset a retry's backoff and attempt count (bounded retries would never end)
        // nor revive a dead row (that is what a replay is for).
        UpsertOutbox = Add(connection, """
            INSERT INTO outbox (destination, entity, key, fields, changes, hash, source_version, source_modified_at, status, attempts,
                next_attempt_at, revision, enqueued_at, last_error_kind, last_error, last_status_code, waiting_entity, waiting_key, lease_until, lane)
            VALUES ($destination, $entity, $key, $fields, $changes, $hash, $version, $modified, $status, 0,
                $next, 1, $enqueued, $kind, $error, $code, $waitingEntity, $waitingKey, NULL, $lane)
            ON CONFLICT (destination, entity, key) DO UPDATE SET
                fields = excluded.fields, changes = excluded.changes, hash = excluded.hash, source_version = excluded.source_version,
                source_modified_at = excluded.source_modified_at, status = excluded.status, attempts = 0,
                next_attempt_at = excluded.next_attempt_at, revision = outbox.revision + 1, last_error_kind = excluded.last_error_kind,
                last_error = excluded.last_error, last_status_code = excluded.last_status_code,
                waiting_entity = excluded.waiting_entity, waiting_key = excluded.waiting_key, lane = excluded.lane
            WHERE NOT (outbox.hash = excluded.hash AND excluded.status = 'Pending' AND outbox.status IN ('Pending', 'Parked', 'Dead', 'Quarantined'))
                -- An older read (a sweep racing a notification) never replaces a newer pending change.
                AND NOT (outbox.status = 'Pending' AND excluded.source_version < outbox.source_version);
            """, "$destination", "$entity", "$key", "$fields", "$changes", "$hash", "$version", "$modified", "$status", "$next",
            "$enqueued", "$kind", "$error", "$code", "$waitingEntity", "$waitingKey", "$lane");

        // The record trace keeps why a record was quarantined at staging, once per distinct reason and projection.
        StagedQuarantineAttempt = Add(connection, """
            INSERT INTO attempts (destination, entity, key, at, outcome, error_kind, status_code, message, request_summary, source_version)
            SELECT $destination, $entity, $key, $at, 'quarantined', $kind, NULL, $message, NULL, $version
            WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE destination = $destination AND entity = $entity AND key = $key
                AND status = 'Quarantined' AND hash = $hash AND last_error IS $message);
            """, "$destination", "$entity", "$key", "$at", "$kind", "$message", "$version", "$hash");

        DeletePending = Add(connection,
            "DELETE FROM outbox WHERE destination = $destination AND entity = $entity AND key = $key AND status = 'Pending' " +
            "AND source_version <= $version;",
            "$destination", "$entity", "$key", "$version");

        SetCursor = Add(connection,
            "INSERT INTO cursors (source, entity, value) VALUES ($source, $entity, $value) " +
            "ON CONFLICT (source, entity) DO UPDATE SET value = excluded.value;",
            "$source", "$entity", "$value");

        GetCursor = Add(connection, "SELECT value FROM cursors WHERE source = $source AND entity = $entity;", "$source", "$entity");

        GetDeliveredFields = Add(connection,
            "SELECT fields FROM delivered WHERE destination = $destination AND entity = $entity AND key = $key;",
            "$destination", "$entity", "$key");

        GetDeliveredMany = Add(connection,
            "SELECT key, hash, fields, source_version, delivered_at FROM delivered " +
            "WHERE destination = $destination AND entity = $entity AND key IN (SELECT value FROM json_each($keys));",
            "$destination", "$entity", "$keys");

        UpsertDelivered = Add(connection, """
            INSERT INTO delivered (destination, entity, key, hash, fields, source_version, delivered_at)
            VALUES ($destination, $entity, $key, $hash, $fields, $version, $at)
            ON CONFLICT (destination, entity, key) DO UPDATE SET hash = excluded.hash, fields = excluded.fields,
                source_version = excluded.source_version, delivered_at = excluded.delivered_at;
            """, "$destination", "$entity", "$key", "$hash", "$fields", "$version", "$at");

        DeleteRevision = Add(connection,
            "DELETE FROM outbox WHERE destination = $destination AND entity = $entity AND key = $key AND revision = $revision;",
            "$destination", "$entity", "$key", "$revision");

        MoveToLane = Add(connection, """
            UPDATE outbox SET status = $status, lane = 'Bulk', attempts = attempts + 1, next_attempt_at = $next, last_error_kind = $kind,
                last_error = $error, last_status_code = $code, waiting_entity = $waitingEntity, waiting_key = $waitingKey, lease_until = NULL
            WHERE destination = $destination AND entity = $entity AND key = $key AND revision = $revision;
            """, "$destination", "$entity", "$key", "$revision", "$status", "$next", "$kind", "$error", "$code",
            "$waitingEntity", "$waitingKey");

        ClearLease = Add(connection,
            "UPDATE outbox SET lease_until = NULL WHERE destination = $destination AND entity = $entity AND key = $key;",
            "$destination", "$entity", "$key");

        InsertAttempt = Add(connection, """
            INSERT INTO attempts (destination, entity, key, at, outcome, error_kind, status_code, message, request_summary, source_version)
            VALUES ($destination, $entity, $key, $at, $outcome, $kind, $code, $message, $summary, $version);
            """, "$destination", "$entity", "$key", "$at", "$outcome", "$kind", "$code", "$message", "$summary", "$version");

        LeaseDue = Add(connection, $"""
            UPDATE outbox SET lease_until = $until
            WHERE id IN (SELECT id FROM outbox
                WHERE destination = $destination AND entity = $entity AND status = 'Pending' AND next_attempt_at <= $now
                    AND (lease_until IS NULL OR lease_until <= $now)
                ORDER BY lane DESC, next_attempt_at, id LIMIT $max)
            RETURNING {Tributary.Storage.Sql.SqlOutboxColumns.List};
            """, "$destination", "$entity", "$now", "$max", "$until");
    }

    public SqliteConnection Connection { get; }

    public Statement UpsertOutbox { get; }

    public Statement StagedQuarantineAttempt { get; }

    public Statement DeletePending { get; }

    public Statement SetCursor { get; }

    public Statement GetCursor { get; }

    public Statement GetDeliveredFields { get; }

    public Statement GetDeliveredMany { get; }

    public Statement UpsertDelivered { get; }

    public Statement DeleteRevision { get; }

    public Statement MoveToLane { get; }

    public Statement ClearLease { get; }

    public Statement InsertAttempt { get; }

    public Statement LeaseDue { get; }

    /// <summary>A one-off command for rare operations (operator actions, listings), attached to the transaction if any.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public void Dispose()
    {
        foreach (var statement in _all)
        {
            statement.Dispose();
        }

        _all.Clear();
    }

    private Statement Add(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        var statement = new Statement(connection, sql, parameterNames);
        _all.Add(statement);
        return statement;
    }
}
