using System.Data.Common;
using Microsoft.Data.Sqlite;
using Tributary.Core.Contracts;
using Tributary.Storage.Sql;
using Tributary.Storage.Sqlite.Internal;

namespace Tributary.Storage.Sqlite;

/// <summary>
/// The ledger in one SQLite file: cursors, delivered state, outbox, attempts and the sent-once ledger.
/// </summary>
/// <remarks>
/// One connection per store, guarded by a semaphore: every call runs alone, so concurrent callers in one process never see
/// "database is locked", and the prepared statements on that connection are reused by every batch. SQLite serialises
/// writers anyway, so a second connection would add contention, not throughput, at the engine's batch sizes.
/// Other processes on the same file (a CLI verb next to the service, a restart after a crash) are handled by WAL plus a
/// busy timeout and by taking write transactions with <c>BEGIN IMMEDIATE</c>.
/// </remarks>
public sealed partial class SqliteSyncStore : SqlLedger, ISyncStore
{
    /// <summary>How long a write waits for another process's write transaction before failing; generous because another
    /// process here is an operator command or a restarting service, whose transactions are short.</summary>
    private const int BusyTimeoutMs = 10_000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _connectionString;
    private SqliteConnection? _connection;
    private Statements? _statements;
    private bool _disposed;

    /// <summary>Creates a store on the given file (created with its directory when missing). Call <see cref="InitializeAsync"/>
    /// or use <see cref="OpenAsync"/>; an uninitialised store initialises itself on first use.</summary>
    public SqliteSyncStore(string databasePath)
        : base(SqliteDialect.Instance)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = Path.GetFullPath(databasePath);
        var directory = Path.GetDirectoryName(DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        CreateOwnerOnly(DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // The store holds its one connection for its lifetime; pooling would keep the file open after DisposeAsync.
            Pooling = false,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();
    }

    /// <summary>
    /// A new state file is created readable and writable by its owner only: it holds people's emails and names. SQLite gives its
    /// journal files the database file's permissions. An existing file keeps the permissions its owner chose.
    /// </summary>
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first.
        }
    }

    /// <summary>
    /// Writes a consistent copy of the state to <paramref name="target"/> with SQLite's online backup, while other processes
    /// may keep writing; the copy is readable by its owner only.
    /// </summary>
    public Task BackupToAsync(string target, CancellationToken cancellationToken) => RunAsync(_ =>
    {
        var full = Path.GetFullPath(target);
        if (File.Exists(full))
        {
            File.Delete(full);
        }

        CreateOwnerOnly(full);
        using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
        copy.Open();
        _connection!.BackupDatabase(copy);
        return true;
    }, cancellationToken);

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Creates a store on the given file and initialises (creates or migrates) its schema.</summary>
    public static async Task<SqliteSyncStore> OpenAsync(string databasePath, CancellationToken ct)
    {
        var store = new SqliteSyncStore(databasePath);
        try
        {
            await store.InitializeAsync(ct);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) => RunAsync(static _ => true, cancellationToken);

    /// <summary>Checkpoints the WAL into the main file and closes the connection. Safe to call more than once.</summary>
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
            _statements?.Dispose();
            _statements = null;
            if (_connection is not null)
            {
                using (var checkpoint = _connection.CreateCommand())
                {
                    checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                    checkpoint.ExecuteNonQuery();
                }

                await _connection.DisposeAsync();
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs one unit of work alone on the connection, opening and migrating it on first use.</summary>
    private async Task<T> RunAsync<T>(Func<Statements, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            return work(_statements ?? Open());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs one unit of work in one write transaction: all of it is committed, or none.</summary>
    private Task<T> WriteAsync<T>(Func<Statements, SqliteTransaction, T> work, CancellationToken cancellationToken) =>
        RunAsync(s =>
        {
            // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the write lock is taken up front, so a busy file is waited
            // on (busy timeout) instead of failing on a read-to-write upgrade deadlock.
            using var transaction = s.Connection.BeginTransaction();
            var result = work(s, transaction);
            transaction.Commit();
            return result;
        }, cancellationToken);

    /// <inheritdoc />
    /// <inheritdoc />
    protected override string CompactSql => "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";

    protected override Task<T> ReadSqlAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunSqlAsync(s => work(s.Connection, cancellationToken), cancellationToken);

    /// <inheritdoc />
    /// <remarks>The same <c>BEGIN IMMEDIATE</c> transaction on the one connection as every write here.</remarks>
    protected override Task<T> WriteSqlAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken) =>
        RunSqlAsync(async s =>
        {
            await using var transaction = s.Connection.BeginTransaction();
            var result = await work(s.Connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }, cancellationToken);

    /// <summary>As <see cref="RunAsync{T}"/>, for work that awaits (the shared statements of <see cref="SqlLedger"/>).</summary>
    private async Task<T> RunSqlAsync<T>(Func<Statements, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            cancellationToken.ThrowIfCancellationRequested();
            return await work(_statements ?? Open());
        }
        finally
        {
            _gate.Release();
        }
    }

    private Statements Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                // WAL + synchronous=NORMAL: a committed transaction survives a crash or kill of the process (the WAL has been
                // written to the OS before Commit returns). It does NOT cover power loss or an OS crash: the last transactions
                // before the next WAL sync may then be lost, though the file stays consistent. FULL would cover that at the
                // price of an fsync per commit.
                pragmas.CommandText =
                    "PRAGMA journal_mode = WAL;" +
                    "PRAGMA synchronous = NORMAL;" +
                    $"PRAGMA busy_timeout = {BusyTimeoutMs};" +
                    "PRAGMA temp_store = MEMORY;" +
                    "PRAGMA cache_size = -16000;" +
                    // One 1000-row batch writes about 1-2 MB of WAL; the default checkpoint (1000 pages, 4 MB) would copy and
                    // fsync every few batches during a backfill. 4096 pages (16 MB) checkpoints a quarter as often.
                    "PRAGMA wal_autocheckpoint = 4096;";
                pragmas.ExecuteNonQuery();
            }

            QuickCheck(connection);
            Schema.Migrate(connection);
            _connection = connection;
            _statements = new Statements(connection);
            return _statements;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is NotADatabase or Corrupt)
        {
            _connection = null;
            connection.Dispose();
            throw Damaged(ex.Message, ex);
        }
        catch
        {
            _connection = null;
            connection.Dispose();
            throw;
        }
    }

    private const int Corrupt = 11;
    private const int NotADatabase = 26;

    // SQLite's quick integrity check: it reads every page's structure (not the indexes' contents), a second or two for a
    // large file, so a damaged file stops the start instead of answering reads with nothing.
    private void QuickCheck(SqliteConnection connection)
    {
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA quick_check(5);";
        using var reader = check.ExecuteReader();
        var problems = new List<string>();
        while (reader.Read())
        {
            var line = reader.GetString(0);
            if (!string.Equals(line, "ok", StringComparison.Ordinal))
            {
                problems.Add(line);
            }
        }

        if (problems.Count > 0)
        {
            throw Damaged(string.Join("; ", problems), null);
        }
    }

    private StateFileException Damaged(string detail, Exception? inner) => new(
        $"The state file {DatabasePath} is damaged ({detail}).",
        "stop every process using it; restore the latest copy made with './tributary backup --config FILE --to PATH' over it, " +
        "or move the file aside and start again with an empty state (the next pass re-reads the source and re-sends what it " +
        "finds; upserts make that safe, at the cost of the calls).", inner);
}
