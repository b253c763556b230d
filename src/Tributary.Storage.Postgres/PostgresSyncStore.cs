using System.Data.Common;
using Npgsql;
using Tributary.Core.Contracts;
using Tributary.Storage.Postgres.Internal;
using Tributary.Storage.Sql;

namespace Tributary.Storage.Postgres;

/// <summary>
/// The ledger in PostgreSQL, for installations where several worker processes share one state database: cursors, delivered
/// state, outbox, attempts, the sent-once ledger, the inbox, and the leases and budgets the workers coordinate through.
/// </summary>
/// <remarks>
/// Every call takes a pooled connection and (for writes) one transaction at READ COMMITTED. Cross-process safety comes from the
/// database, not from this object: leases are taken with <c>FOR UPDATE SKIP LOCKED</c>, sent-once marks and inbox entries are
/// <c>INSERT … ON CONFLICT</c> on unique keys, and a transaction that loses a deadlock or serialisation race is run again.
/// All tables live in one schema per installation (default <c>tributary</c>).
/// </remarks>
public sealed partial class PostgresSyncStore : SqlLedger, ISyncStore, ICoordinationStore
{
    /// <summary>The installation schema when none is configured.</summary>
    public const string DefaultSchema = "tributary";

    // A deadlock (two processes staging and completing overlapping keys) aborts one transaction; running it again succeeds.
    private const int MaxConflictRetries = 5;

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>
    /// Creates a store over the database of <paramref name="connectionString"/> in <paramref name="schema"/>. Call
    /// <see cref="InitializeAsync"/> or use <see cref="OpenAsync"/>; an uninitialised store initialises itself on first use.
    /// </summary>
    public PostgresSyncStore(string connectionString, string schema = DefaultSchema)
        : base(PgDialect.Instance)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        if (!PgSchema.IsValidName(schema))
        {
            throw new ArgumentException(
                $"'{schema}' is not a usable schema name: use lower-case letters, digits and underscores (for example 'tributary').", nameof(schema));
        }

        Schema = schema;
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            SearchPath = schema,
            // The hot statements are a handful of fixed texts: prepared once per pooled connection, re-bound per batch.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
        };
        // Plan each execution for its values. A prepared statement otherwise switches to a generic plan after five runs, and
        // one chosen while a new installation's outbox was empty is a sequential scan that it keeps for the whole transaction:
        // measured at about 15 s of server CPU to complete one 1000-row batch on a 30 000-row outbox, against milliseconds.
        builder.Options = string.IsNullOrWhiteSpace(builder.Options)
            ? "-c plan_cache_mode=force_custom_plan"
            : builder.Options + " -c plan_cache_mode=force_custom_plan";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The installation schema holding the tables.</summary>
    public string Schema { get; }

    /// <summary>Creates a store and initialises (creates or migrates) its schema.</summary>
    public static async Task<PostgresSyncStore> OpenAsync(string connectionString, string schema, CancellationToken ct)
    {
        var store = new PostgresSyncStore(connectionString, schema);
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
    /// <remarks>Creates the schema when missing and applies pending migrations under an advisory lock.</remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_initialized)
        {
            return;
        }

        await _initGate.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                await PgSchema.MigrateAsync(connection, Schema, cancellationToken);
                _initialized = true;
            }
        }
        finally
        {
            _initGate.Release();
        }
    }

    /// <summary>Closes the pool. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _dataSource.DisposeAsync();
    }

    /// <summary>Runs a read on a pooled connection.</summary>
    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await work(connection, cancellationToken);
    }

    /// <summary>Runs one unit of work in one transaction: all of it is committed, or none. A lost deadlock runs it again.</summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                var result = await work(connection, transaction, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException ex) when (attempt < MaxConflictRetries && IsConflict(ex))
            {
                // Disposing the transaction rolls it back; the loop runs the whole unit again on a fresh transaction.
            }
        }
    }

    /// <inheritdoc />
    /// <inheritdoc />
    protected override string CompactSql => "VACUUM consent, consent_address, inbox, outbox, attempts, delivered, order_facts, rule_state;";

    protected override Task<T> ReadSqlAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync((connection, ct) => work(connection, ct), cancellationToken);

    /// <inheritdoc />
    /// <remarks>A lost deadlock runs the unit again, as every write here.</remarks>
    protected override Task<T> WriteSqlAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction, ct) => work(connection, transaction, ct), cancellationToken);

    private static bool IsConflict(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(sql, connection, transaction);
}
