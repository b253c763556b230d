using Microsoft.Data.Sqlite;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;

namespace Tributary.Storage.Sqlite;

/// <summary>
/// Leases and shared request budgets in a SQLite file: for a single process, or several processes on one host sharing the
/// state file (each write is one <c>BEGIN IMMEDIATE</c> transaction, so the file serialises them). Its tables sit beside the
/// ledger's in the same file and are created on open; scaled-out workers on several hosts use the PostgreSQL store.
/// </summary>
public sealed class SqliteCoordinationStore : ICoordinationStore, IAsyncDisposable
{
    private const int BusyTimeoutMs = 10_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _connectionString;
    private SqliteConnection? _connection;
    private bool _disposed;

    /// <summary>Creates a store on the given file (created with its directory when missing); it opens on first use.</summary>
    public SqliteCoordinationStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, """
                INSERT INTO coordination_leases (name, holder, expires_at) VALUES ($name, $holder, $expires)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE coordination_leases.holder = excluded.holder OR coordination_leases.expires_at <= $now;
                """);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$holder", holder);
            command.Parameters.AddWithValue("$expires", (now + ttl).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        WriteAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, "DELETE FROM coordination_leases WHERE name = $name AND holder = $holder;");
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$holder", holder);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<string?> GetLeaseHolderAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((connection, tx) =>
        {
            using var command = Command(connection, tx, "SELECT holder FROM coordination_leases WHERE name = $name AND expires_at > $now;");
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<TimeSpan> TryTakeBudgetAsync(string budget, int cost, int perMinute, int burst, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((connection, tx) =>
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            BudgetBucket.State state;
            using (var read = Command(connection, tx, "SELECT tokens, updated_at, paused_until FROM coordination_budgets WHERE name = $name;"))
            {
                read.Parameters.AddWithValue("$name", budget);
                using var reader = read.ExecuteReader();
                state = reader.Read()
                    ? new BudgetBucket.State(reader.GetDouble(0), reader.GetInt64(1), reader.GetInt64(2))
                    : new BudgetBucket.State(BudgetBucket.Capacity(burst), nowMs, 0);
            }

            var (next, wait) = BudgetBucket.Take(state, cost, perMinute, burst, nowMs);
            using var write = Command(connection, tx,
                "INSERT INTO coordination_budgets (name, tokens, updated_at, paused_until) VALUES ($name, $tokens, $updated, $paused) " +
                "ON CONFLICT (name) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at;");
            write.Parameters.AddWithValue("$name", budget);
            write.Parameters.AddWithValue("$tokens", next.Tokens);
            write.Parameters.AddWithValue("$updated", next.UpdatedAt);
            write.Parameters.AddWithValue("$paused", next.PausedUntil);
            write.ExecuteNonQuery();
            return wait;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A later pause wins over an earlier one; the bucket is emptied and refills from the end of the pause.</remarks>
    public Task PauseBudgetAsync(string budget, DateTimeOffset until, CancellationToken cancellationToken) =>
        WriteAsync((connection, tx) =>
        {
            using var command = Command(connection, tx,
                "INSERT INTO coordination_budgets (name, tokens, updated_at, paused_until) VALUES ($name, 0, $until, $until) " +
                "ON CONFLICT (name) DO UPDATE SET tokens = 0, updated_at = MAX(coordination_budgets.updated_at, excluded.updated_at), " +
                "paused_until = MAX(coordination_budgets.paused_until, excluded.paused_until);");
            command.Parameters.AddWithValue("$name", budget);
            command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Closes the file. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Runs one unit of work alone, in one write transaction, opening the file on first use.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            var connection = _connection ?? Open();
            using var transaction = connection.BeginTransaction();
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var setup = connection.CreateCommand();
            // Tables of their own (not a ledger migration): the ledger's schema version stays the ledger's.
            setup.CommandText =
                "PRAGMA journal_mode = WAL;" +
                $"PRAGMA busy_timeout = {BusyTimeoutMs};" +
                "CREATE TABLE IF NOT EXISTS coordination_leases (name TEXT NOT NULL PRIMARY KEY, holder TEXT NOT NULL, " +
                "expires_at INTEGER NOT NULL) WITHOUT ROWID;" +
                "CREATE TABLE IF NOT EXISTS coordination_budgets (name TEXT NOT NULL PRIMARY KEY, tokens REAL NOT NULL, " +
                "updated_at INTEGER NOT NULL, paused_until INTEGER NOT NULL) WITHOUT ROWID;";
            setup.ExecuteNonQuery();
            _connection = connection;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
