using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Tributary.Storage.Postgres.Internal;

/// <summary>
/// Versioned schema, one PostgreSQL schema per installation. <c>schema_migrations</c> lists the migrations applied; each one
/// runs in its own transaction with its row, under a transaction-scoped advisory lock, so several processes starting at once
/// apply each migration exactly once and the others wait and then see it. Migrations are append-only: never edit one that
/// has shipped.
/// </summary>
internal static partial class PgSchema
{
    private static readonly string[] Migrations =
    [
        // 1: the ledger, the same tables as the SQLite store. Times are unix milliseconds; enums are stored by name.
        // Keys compare bytewise (COLLATE "C") whatever the database's collation, so key order matches the SQLite store.
        """
        CREATE TABLE cursors (
            source text COLLATE "C" NOT NULL,
            entity text NOT NULL,
            value text NOT NULL,
            PRIMARY KEY (source, entity)
        );

        CREATE TABLE delivered (
            destination text COLLATE "C" NOT NULL,
            entity text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            hash text NOT NULL,
            fields text NOT NULL,
            source_version bigint NOT NULL,
            delivered_at bigint NOT NULL,
            PRIMARY KEY (destination, entity, key)
        );

        -- id is the enqueue order (a restage updates the row in place and keeps it); changes is NULL when equal to fields.
        CREATE TABLE outbox (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            destination text COLLATE "C" NOT NULL,
            entity text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            fields text NOT NULL,
            changes text NULL,
            hash text NOT NULL,
            source_version bigint NOT NULL,
            source_modified_at bigint NOT NULL,
            status text NOT NULL,
            attempts integer NOT NULL,
            next_attempt_at bigint NOT NULL,
            revision bigint NOT NULL,
            enqueued_at bigint NOT NULL,
            last_error_kind text NULL,
            last_error text NULL,
            last_status_code integer NULL,
            waiting_entity text COLLATE "C" NULL,
            waiting_key text COLLATE "C" NULL,
            lease_until bigint NULL,
            UNIQUE (destination, entity, key)
        );
        -- Partial: only statements that say status = 'Pending' can use it. A full index led by (destination, entity) ties in
        -- cost with the unique key while a new installation has no statistics, and the planner then answered key lookups by
        -- scanning every row of the destination (measured: seconds per completed batch).
        CREATE INDEX outbox_due ON outbox (destination, entity, next_attempt_at, id) WHERE status = 'Pending';
        CREATE INDEX outbox_waiting ON outbox (destination, waiting_entity, waiting_key) WHERE status = 'Parked';

        CREATE TABLE attempts (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            destination text COLLATE "C" NOT NULL,
            entity text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            at bigint NOT NULL,
            outcome text NOT NULL,
            error_kind text NULL,
            status_code integer NULL,
            message text NULL,
            request_summary text NULL,
            source_version bigint NOT NULL
        );
        CREATE INDEX attempts_record ON attempts (destination, entity, key, at);

        CREATE TABLE sent_once (
            ledger_key text COLLATE "C" PRIMARY KEY,
            intended_at bigint NOT NULL,
            sent_at bigint NULL
        );

        CREATE TABLE order_facts (
            customer_id text COLLATE "C" NOT NULL,
            order_id text COLLATE "C" NOT NULL,
            placed_at bigint NOT NULL,
            net_amount numeric NOT NULL,
            currency text NOT NULL,
            counted boolean NOT NULL,
            PRIMARY KEY (customer_id, order_id)
        );

        CREATE TABLE inbox (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            message_id text COLLATE "C" NOT NULL UNIQUE,
            source text NOT NULL,
            entity text NOT NULL,
            key text NOT NULL,
            received_at bigint NOT NULL,
            processed_at bigint NULL
        );
        CREATE INDEX inbox_pending ON inbox (seq) WHERE processed_at IS NULL;
        """,
        // 2: what scaled-out workers share: named leases and request budgets.
        """
        CREATE TABLE coordination_leases (
            name text COLLATE "C" PRIMARY KEY,
            holder text NOT NULL,
            expires_at bigint NOT NULL
        );

        CREATE TABLE coordination_budgets (
            name text COLLATE "C" PRIMARY KEY,
            tokens double precision NOT NULL,
            updated_at bigint NOT NULL,
            paused_until bigint NOT NULL
        );
        """,
        // 3: rule state in its own table. It used to ride in delivered under the destination name "!" + rule; those rows move.
        """
        CREATE TABLE rule_state (
            rule text COLLATE "C" NOT NULL,
            entity text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            fields text NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (rule, entity, key)
        );
        INSERT INTO rule_state (rule, entity, key, fields, updated_at)
            SELECT substr(destination, 2), entity, key, fields, delivered_at FROM delivered WHERE left(destination, 1) = '!';
        DELETE FROM delivered WHERE left(destination, 1) = '!';
        """,
        // 4: the delivery lane as a column. A real-time row used to be staged due a day before its staging time (leases took
        // rows by due time); only such rows are due before they were first enqueued, so they move to the real-time lane with
        // their due time put back. Leases read the index in (lane DESC, due) order: 'Realtime' sorts after 'Bulk'.
        """
        ALTER TABLE outbox ADD COLUMN lane text COLLATE "C" NOT NULL DEFAULT 'Bulk';
        UPDATE outbox SET lane = 'Realtime', next_attempt_at = next_attempt_at + 86400000 WHERE next_attempt_at < enqueued_at;
        DROP INDEX outbox_due;
        CREATE INDEX outbox_due ON outbox (destination, entity, lane DESC, next_attempt_at, id) WHERE status = 'Pending';
        """,
        // 5: a notification whose re-read failed for a passing reason waits in the inbox for its next try (with backoff) instead
        // of holding back every notification after it; its tries and last reason are kept with it.
        """
        ALTER TABLE inbox ADD COLUMN attempts integer NOT NULL DEFAULT 0;
        ALTER TABLE inbox ADD COLUMN next_attempt_at bigint NULL;
        ALTER TABLE inbox ADD COLUMN last_error text NULL;
        """,
        // 6: the consent ledger: per contact, channel, destination ('' for the source) and side, the last answer with where and
        // when it came from; and which contact an address belongs to, by the address's hash only.
        """
        CREATE TABLE consent (
            contact text COLLATE "C" NOT NULL,
            channel text COLLATE "C" NOT NULL,
            destination text COLLATE "C" NOT NULL,
            side text COLLATE "C" NOT NULL,
            status text COLLATE "C" NOT NULL,
            origin text NULL,
            given_at bigint NULL,
            recorded_at bigint NOT NULL,
            PRIMARY KEY (contact, channel, destination, side)
        );
        CREATE TABLE consent_address (
            address_hash text COLLATE "C" NOT NULL,
            contact text COLLATE "C" NOT NULL,
            PRIMARY KEY (address_hash, contact)
        );
        """,
        // 7: forgotten people as tombstones (keyed hashes only), and the installation's own values (the tombstones' salt).
        """
        CREATE TABLE forgotten (
            subject text COLLATE "C" NOT NULL PRIMARY KEY,
            forgotten_at bigint NOT NULL
        );
        CREATE TABLE installation (
            name text COLLATE "C" NOT NULL PRIMARY KEY,
            value text NOT NULL
        );
        """,
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int Version => Migrations.Length;

    /// <summary>True for a name usable unquoted as a schema: lower-case letters, digits and underscores.</summary>
    public static bool IsValidName(string schema) => SchemaName().IsMatch(schema);

    public static async Task MigrateAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        // One lock per installation schema: two installations in one database migrate independently.
        var lockKey = $"tributary.migrate:{schema}";
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var setup = new NpgsqlCommand(
                "SELECT pg_advisory_xact_lock(hashtext(@lock));" +
                $"CREATE SCHEMA IF NOT EXISTS {schema};" +
                $"CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());",
                connection, transaction))
            {
                setup.Parameters.AddWithValue("lock", lockKey);
                await setup.ExecuteNonQueryAsync(ct);
            }

            int current;
            await using (var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {schema}.schema_migrations;", connection, transaction))
            {
                current = Convert.ToInt32(await read.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            }

            if (current > Migrations.Length)
            {
                throw new InvalidOperationException(
                    $"The state schema '{schema}' has version {current}, newer than this build understands ({Migrations.Length}). " +
                    "Run a newer Tributary or restore a matching backup.");
            }

            if (current == Migrations.Length)
            {
                await transaction.CommitAsync(ct);
                return;
            }

            await using (var migrate = new NpgsqlCommand(
                $"SET LOCAL search_path TO {schema};" + Migrations[current] +
                $"\nINSERT INTO {schema}.schema_migrations (version) VALUES ({current + 1});", connection, transaction))
            {
                await migrate.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
