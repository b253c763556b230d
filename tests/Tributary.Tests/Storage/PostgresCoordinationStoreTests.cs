using Npgsql;
using Tributary.Core.Contracts;
using Tributary.Storage.Postgres;
using Tributary.Tests.Support;

namespace Tributary.Tests.Storage;

/// <summary>The coordination compliance suite on PostgreSQL, each test in an installation schema of its own.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCoordinationStoreTests(PostgresCluster cluster) : CoordinationStoreComplianceTests
{
    private readonly string _schema = "c_" + Guid.NewGuid().ToString("N");
    private string? _connectionString;

    protected override async Task<ICoordinationStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        _connectionString = await cluster.DatabaseAsync(nameof(PostgresCoordinationStoreTests));
        return await PostgresSyncStore.OpenAsync(_connectionString, _schema, cancellationToken);
    }

    protected override async Task<ICoordinationStore> OpenAnotherAsync(CancellationToken cancellationToken) =>
        await PostgresSyncStore.OpenAsync(_connectionString!, _schema, cancellationToken);

    protected override async Task DeleteDatabaseAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
