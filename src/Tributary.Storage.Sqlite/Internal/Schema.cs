using Microsoft.Data.Sqlite;

namespace Tributary.Storage.Sqlite.Internal;

/// <summary>
/// Versioned schema. <c>PRAGMA user_version</c> holds the number of migrations applied; each migration runs in its own
/// transaction together with the version bump, so a crash mid-upgrade leaves the previous version intact.
/// Migrations are append-only: never edit one that has shipped.
/// </summary>
internal static class Schema
{
    private static readonly string[] Migrations =
    [
        // 1: the ledger. Times are unix milliseconds; enums are stored by name.
        """
        CREATE TABLE cursors (
            source TEXT NOT NULL,
            entity TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (source, entity)
        ) WITHOUT ROWID;

        -- A rowid table, not WITHOUT ROWID: its rows (a JSON field set) are too wide for a clustered key; measured about
        -- 25% less CPU per upsert with randomly ordered keys.
        CREATE TABLE delivered (
            id INTEGER PRIMARY KEY,
            destination TEXT NOT NULL,
            entity TEXT NOT NULL,
            key TEXT NOT NULL,
            hash TEXT NOT NULL,
            fields TEXT NOT NULL,
            source_version INTEGER NOT NULL,
            delivered_at INTEGER NOT NULL,
            UNIQUE (destination, entity, key)
        );

        -- No index by status or enqueue time: listings and requeues are operator actions that scan (CountLanesAsync scans
        -- anyway), while every extra index costs each staged and completed row a b-tree write.
        -- id is the enqueue order (a restage updates the row in place and keeps it); changes is NULL when equal to fields.
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            destination TEXT NOT NULL,
            entity TEXT NOT NULL,
            key TEXT NOT NULL,
            fields TEXT NOT NULL,
            changes TEXT NULL,
            hash TEXT NOT NULL,
            source_version INTEGER NOT NULL,
            source_modified_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            revision INTEGER NOT NULL,
            enqueued_at INTEGER NOT NULL,
            last_error_kind TEXT NULL,
            last_error TEXT NULL,
            last_status_code INTEGER NULL,
            waiting_entity TEXT NULL,
            waiting_key TEXT NULL,
            lease_until INTEGER NULL,
            UNIQUE (destination, entity, key)
        );
        CREATE INDEX outbox_due ON outbox (destination, entity, status, next_attempt_at);
        CREATE INDEX outbox_waiting ON outbox (destination, waiting_entity, waiting_key) WHERE status = 'Parked';

        -- Only indexed by record (the trace); pruning by age is a rare full scan.
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            destination TEXT NOT NULL,
            entity TEXT NOT NULL,
            key TEXT NOT NULL,
            at INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            error_kind TEXT NULL,
            status_code INTEGER NULL,
            message TEXT NULL,
            request_summary TEXT NULL,
            source_version INTEGER NOT NULL
        );
        CREATE INDEX attempts_record ON attempts (destination, entity, key, at);

        CREATE TABLE sent_once (
            ledger_key TEXT NOT NULL PRIMARY KEY,
            intended_at INTEGER NOT NULL,
            sent_at INTEGER NULL
        ) WITHOUT ROWID;
        """,
        // 2: order history per customer, for derived contact attributes.
        """
        CREATE TABLE order_facts (
            customer_id TEXT NOT NULL,
            order_id TEXT NOT NULL,
            placed_at INTEGER NOT NULL,
            net_amount TEXT NOT NULL,
            currency TEXT NOT NULL,
            counted INTEGER NOT NULL,
            PRIMARY KEY (customer_id, order_id)
        ) WITHOUT ROWID;
        """,
        // 3: the inbox of change notifications (hints), deduplicated by message id.
        """
        CREATE TABLE inbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            entity TEXT NOT NULL,
            key TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            processed_at INTEGER NULL
        );
        CREATE INDEX inbox_pending ON inbox (seq) WHERE processed_at IS NULL;
        """,
        // 4: rule state in its own table. It used to ride in delivered under the destination name "!" + rule; those rows move.
        """
        CREATE TABLE rule_state (
            rule TEXT NOT NULL,
            entity TEXT NOT NULL,
            key TEXT NOT NULL,
            fields TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (rule, entity, key)
        ) WITHOUT ROWID;
        INSERT INTO rule_state (rule, entity, key, fields, updated_at)
            SELECT substr(destination, 2), entity, key, fields, delivered_at FROM delivered WHERE substr(destination, 1, 1) = '!';
        DELETE FROM delivered WHERE substr(destination, 1, 1) = '!';
        """,
        // 5: the delivery lane as a column. A real-time row used to be staged due a day before its staging time (leases took
        // rows by due time); only such rows are due before they were first enqueued, so they move to the real-time lane with
        // their due time put back. Leases read the index in (lane DESC, due) order: 'Realtime' sorts after 'Bulk'.
        """
        ALTER TABLE outbox ADD COLUMN lane TEXT NOT NULL DEFAULT 'Bulk';
        UPDATE outbox SET lane = 'Realtime', next_attempt_at = next_attempt_at + 86400000 WHERE next_attempt_at < enqueued_at;
        DROP INDEX outbox_due;
        CREATE INDEX outbox_due ON outbox (destination, entity, status, lane DESC, next_attempt_at);
        """,
        // 6: a notification whose re-read failed for a passing reason waits in the inbox for its next try (with backoff) instead
        // of holding back every notification after it; its tries and last reason are kept with it.
        """
        ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE inbox ADD COLUMN next_attempt_at INTEGER NULL;
        ALTER TABLE inbox ADD COLUMN last_error TEXT NULL;
        """,
        // 7: the consent ledger: per contact, channel, destination ('' for the source) and side, the last answer with where and
        // when it came from; and which contact an address belongs to, by the address's hash only.
        """
        CREATE TABLE consent (
            contact TEXT NOT NULL,
            channel TEXT NOT NULL,
            destination TEXT NOT NULL,
            side TEXT NOT NULL,
            status TEXT NOT NULL,
            origin TEXT NULL,
            given_at INTEGER NULL,
            recorded_at INTEGER NOT NULL,
            PRIMARY KEY (contact, channel, destination, side)
        ) WITHOUT ROWID;
        CREATE TABLE consent_address (
            address_hash TEXT NOT NULL,
            contact TEXT NOT NULL,
            PRIMARY KEY (address_hash, contact)
        ) WITHOUT ROWID;
        """,
        // 8: forgotten people as tombstones (keyed hashes only), and the installation's own values (the tombstones' salt).
        """
        CREATE TABLE forgotten (
            subject TEXT NOT NULL PRIMARY KEY,
            forgotten_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE installation (
            name TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int Version => Migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        while (true)
        {
            // The version is read inside the write transaction, so a second process opening the same new file waits for
            // the first one's migration and then sees it applied instead of running it twice.
            using var transaction = connection.BeginTransaction();
            var current = UserVersion(connection, transaction);
            if (current > Migrations.Length)
            {
                throw new InvalidOperationException(
                    $"The state database has schema version {current}, newer than this build understands ({Migrations.Length}). " +
                    "Run a newer Tributary or restore a matching backup.");
            }

            if (current == Migrations.Length)
            {
                transaction.Commit();
                return;
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[current] + $"\nPRAGMA user_version = {current + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    public static int UserVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
