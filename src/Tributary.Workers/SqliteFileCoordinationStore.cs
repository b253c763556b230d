using Microsoft.Data.Sqlite;
using Tributary.Core.Contracts;

namespace Tributary.Workers;

/// <summary>
/// Leases and shared budgets in one SQLite file (WAL) that every worker on one machine opens: enough to run a cluster of
/// processes over the SQLite state store. Across machines the PostgreSQL coordination store takes its place behind the same
/// interface. Every call is one short <c>BEGIN IMMEDIATE</c> transaction.
/// </summary>
public sealed class SqliteFileCoordinationStore : ICoordinationStore, IAsyncDisposable
{
    private const int BusyTimeoutMs = 10_000;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteFileCoordinationStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (and creates when missing) the coordination file.</summary>
    public static async Task<SqliteFileCoordinationStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = BusyTimeoutMs / 1000 };
        var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA busy_timeout = {BusyTimeoutMs};
                CREATE TABLE IF NOT EXISTS lease (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until_ms INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS budget (name TEXT PRIMARY KEY, tokens REAL NOT NULL, refilled_ms INTEGER NOT NULL,
                    paused_until_ms INTEGER NOT NULL DEFAULT 0);
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new SqliteFileCoordinationStore(connection);
    }

    /// <inheritdoc />
    public Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(tx =>
        {
            using var command = Command(tx, """
                INSERT INTO lease (name, holder, until_ms) VALUES ($name, $holder, $until)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms
                    WHERE lease.holder = excluded.holder OR lease.until_ms <= $now;
                """, ("$name", name), ("$holder", holder), ("$until", (now + ttl).ToUnixTimeMilliseconds()), ("$now", now.ToUnixTimeMilliseconds()));
            return command.ExecuteNonQuery() > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        WriteAsync(tx =>
        {
            using var command = Command(tx, "DELETE FROM lease WHERE name = $name AND holder = $holder;", ("$name", name), ("$holder", holder));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public Task<string?> GetLeaseHolderAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(tx =>
        {
            using var command = Command(tx, "SELECT holder FROM lease WHERE name = $name AND until_ms > $now;", ("$name", name),
                ("$now", now.ToUnixTimeMilliseconds()));
            return command.ExecuteScalar() as string;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<TimeSpan> TryTakeBudgetAsync(string budget, int cost, int perMinute, int burst, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(tx =>
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            double tokens = burst;
            var refilled = nowMs;
            long paused = 0;
            using (var read = Command(tx, "SELECT tokens, refilled_ms, paused_until_ms FROM budget WHERE name = $name;", ("$name", budget)))
            using (var reader = read.ExecuteReader())
            {
                if (reader.Read())
                {
                    tokens = reader.GetDouble(0);
                    refilled = reader.GetInt64(1);
                    paused = reader.GetInt64(2);
                }
            }

            if (nowMs < paused)
            {
                return TimeSpan.FromMilliseconds(paused - nowMs);
            }

            var perMs = perMinute / 60_000.0;
            tokens = Math.Min(burst, tokens + (Math.Max(0, nowMs - refilled) * perMs));
            var wait = TimeSpan.Zero;
            if (tokens >= cost)
            {
                tokens -= cost;
            }
            else
            {
                wait = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((cost - tokens) / perMs)));
            }

            using var write = Command(tx, """
                INSERT INTO budget (name, tokens, refilled_ms, paused_until_ms) VALUES ($name, $tokens, $now, 0)
                ON CONFLICT (name) DO UPDATE SET tokens = excluded.tokens, refilled_ms = excluded.refilled_ms;
                """, ("$name", budget), ("$tokens", tokens), ("$now", nowMs));
            write.ExecuteNonQuery();
            return wait;
        }, cancellationToken);

    /// <inheritdoc />
    public Task PauseBudgetAsync(string budget, DateTimeOffset until, CancellationToken cancellationToken) =>
        WriteAsync(tx =>
        {
            using var command = Command(tx, """
                INSERT INTO budget (name, tokens, refilled_ms, paused_until_ms) VALUES ($name, 0, $until, $until)
                ON CONFLICT (name) DO UPDATE SET tokens = 0, refilled_ms = max(budget.refilled_ms, $until),
                    paused_until_ms = max(budget.paused_until_ms, $until);
                """, ("$name", budget), ("$until", until.ToUnixTimeMilliseconds()));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }

    private static SqliteCommand Command(SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        var command = tx.Connection!.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            var result = work(tx);
            await tx.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
