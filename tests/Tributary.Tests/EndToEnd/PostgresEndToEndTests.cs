using Npgsql;
using Tributary.Storage.Postgres;
using Tributary.Tests.Support;

namespace Tributary.Tests.EndToEnd;

/// <summary>The customers end-to-end suite with the state in PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CustomersToEmarsysOnPostgresTests(PostgresCluster cluster) : CustomersToEmarsysTests
{
    protected override async Task<SandboxHarness> StartAsync(int customers) =>
        await SandboxHarness.StartAsync(customers, store: await PostgresHarnessStore.CreateAsync(cluster, nameof(CustomersToEmarsysOnPostgresTests)));
}

/// <summary>The orders end-to-end suite with the state in PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OrdersToEmarsysOnPostgresTests(PostgresCluster cluster) : OrdersToEmarsysTests
{
    protected override async Task<SandboxHarness> StartAsync(int customers) =>
        await SandboxHarness.StartAsync(customers, store: await PostgresHarnessStore.CreateAsync(cluster, nameof(OrdersToEmarsysOnPostgresTests)));
}

/// <summary>A harness store in an installation schema of its own in the test class's database, dropped after the test.</summary>
internal static class PostgresHarnessStore
{
    public static async Task<HarnessStore> CreateAsync(PostgresCluster cluster, string testClass)
    {
        var connectionString = await cluster.DatabaseAsync(testClass);
        var schema = "e2e_" + Guid.NewGuid().ToString("N");
        return new HarnessStore(
            async ct => await PostgresSyncStore.OpenAsync(connectionString, schema, ct),
            async () =>
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
                await command.ExecuteNonQueryAsync();
            });
    }
}
