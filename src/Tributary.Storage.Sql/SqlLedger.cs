using System.Data.Common;

namespace Tributary.Storage.Sql;

/// <summary>
/// The ledger's logic written once for every SQL store: each role's statements, with an <see cref="ISqlDialect"/> for what
/// differs. A store derives from it, says how a unit of work gets its connection (<see cref="ReadSqlAsync{T}"/>,
/// <see cref="WriteSqlAsync{T}"/>: one guarded connection for SQLite, a pool with deadlock retry for PostgreSQL), migrates its
/// schema, and keeps its own bulk paths where the dialect's fastest form differs (prepared statements re-bound per row in
/// SQLite, one round-trip batch in PostgreSQL).
/// </summary>
public abstract partial class SqlLedger
{
    // Rows per round trip of a chunked read: no connection (nor SQLite's one connection) is held while the caller works.
    private const int ReadChunk = 2000;

    /// <summary>Creates the shared logic over a dialect.</summary>
    protected SqlLedger(ISqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        Dialect = dialect;
    }

    /// <summary>The store's dialect.</summary>
    protected ISqlDialect Dialect { get; }

    /// <summary>Runs a read on a connection of the store (in no transaction).</summary>
    protected abstract Task<T> ReadSqlAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs one unit of work in one write transaction: all of it is committed, or none.</summary>
    protected abstract Task<T> WriteSqlAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken);
}
