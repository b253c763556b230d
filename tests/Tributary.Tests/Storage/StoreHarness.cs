using Npgsql;
using Tributary.Core.Contracts;
using Tributary.Storage.Postgres;
using Tributary.Storage.Sqlite;
using Tributary.Tests.Support;

namespace Tributary.Tests.Storage;

/// <summary>How the compliance suites get a store of one implementation: on a fresh database, again on the same database, and
/// how the database is removed once every store on it is disposed.</summary>
public abstract class StoreHarness
{
    /// <summary>Creates an initialised store over a new, empty database.</summary>
    public abstract Task<ISyncStore> CreateAsync(CancellationToken cancellationToken);

    /// <summary>Opens another initialised store over the database of the last <see cref="CreateAsync"/>.</summary>
    public abstract Task<ISyncStore> ReopenAsync(CancellationToken cancellationToken);

    /// <summary>Removes the database.</summary>
    public abstract Task DeleteAsync();
}

/// <summary>A SQLite file in a directory of its own per test.</summary>
public sealed class SqliteStoreHarness : StoreHarness
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tributary-store-tests", Guid.NewGuid().ToString("N"));

    /// <summary>The database file.</summary>
    public string DatabasePath => Path.Combine(_directory, "state", "tributary.db");

    /// <summary>The test's own directory (the database's directory is inside it).</summary>
    public string Directory => _directory;

    public override async Task<ISyncStore> CreateAsync(CancellationToken cancellationToken) =>
        await SqliteSyncStore.OpenAsync(DatabasePath, cancellationToken);

    public override async Task<ISyncStore> ReopenAsync(CancellationToken cancellationToken) =>
        await SqliteSyncStore.OpenAsync(DatabasePath, cancellationToken);

    public override Task DeleteAsync()
    {
        if (System.IO.Directory.Exists(_directory))
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}

/// <summary>An installation schema of its own per test, in the suite's database on the test cluster.</summary>
public sealed class PostgresStoreHarness(PostgresCluster cluster, string database) : StoreHarness
{
    /// <summary>The database every store suite shares (schemas keep the tests apart).</summary>
    public const string Database = "store_compliance";

    /// <summary>The installation schema.</summary>
    public string Schema { get; } = "t_" + Guid.NewGuid().ToString("N");

    /// <summary>The database's connection string, once a store was created.</summary>
    public string? ConnectionString { get; private set; }

    public override async Task<ISyncStore> CreateAsync(CancellationToken cancellationToken)
    {
        ConnectionString = await cluster.DatabaseAsync(database);
        return await PostgresSyncStore.OpenAsync(ConnectionString, Schema, cancellationToken);
    }

    public override async Task<ISyncStore> ReopenAsync(CancellationToken cancellationToken) =>
        await PostgresSyncStore.OpenAsync(ConnectionString!, Schema, cancellationToken);

    public override async Task DeleteAsync()
    {
        if (ConnectionString is null)
        {
            return;
        }

        await ExecuteAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE");
    }

    /// <summary>Runs one statement on the database (test setup and inspection).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Reads one value from the database.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
