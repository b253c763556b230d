using Npgsql;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Postgres;
using Tributary.Tests.Support;

namespace Tributary.Tests.Storage;

/// <summary>The store compliance suite on PostgreSQL: each test gets an installation schema of its own in the class's database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSyncStoreTests(PostgresCluster cluster) : SyncStoreComplianceTests
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");
    private string? _connectionString;

    protected override async Task<ISyncStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        _connectionString = await cluster.DatabaseAsync(nameof(PostgresSyncStoreTests));
        return await PostgresSyncStore.OpenAsync(_connectionString, _schema, cancellationToken);
    }

    protected override async Task<ISyncStore> ReopenStoreAsync(CancellationToken cancellationToken) =>
        await PostgresSyncStore.OpenAsync(_connectionString!, _schema, cancellationToken);

    protected override async Task DeleteDatabaseAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        await ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
    }

    [Fact]
    public async Task OpenAsync_NewSchema_AppliesEveryMigrationOnce()
    {
        await using var again = await PostgresSyncStore.OpenAsync(_connectionString!, _schema, Ct);

        (await ScalarAsync($"SELECT COUNT(*) FROM {_schema}.schema_migrations")).ShouldBe(2L);
        (await ScalarAsync($"SELECT MAX(version) FROM {_schema}.schema_migrations")).ShouldBe(2);
    }

    [Fact]
    public async Task OpenAsync_SeveralProcessesAtOnce_MigrateTheSchemaExactlyOnce()
    {
        var schema = _schema + "_race";
        try
        {
            var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresSyncStore.OpenAsync(_connectionString!, schema, Ct))));
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            (await ScalarAsync($"SELECT COUNT(*) FROM {schema}.schema_migrations")).ShouldBe(2L);
        }
        finally
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    [Fact]
    public async Task OpenAsync_SchemaFromNewerVersion_FailsNamingTheVersion()
    {
        await ExecuteAsync($"INSERT INTO {_schema}.schema_migrations (version) VALUES (99)");

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => PostgresSyncStore.OpenAsync(_connectionString!, _schema, Ct));

        failure.Message.ShouldContain("99");
    }

    [Fact]
    public void Constructor_SchemaNameNotAPlainIdentifier_IsRefused()
    {
        Should.Throw<ArgumentException>(() => new PostgresSyncStore("Host=127.0.0.1", "bad; DROP TABLE x"));
    }

    [Fact]
    public async Task LeaseDueAsync_TwoWorkersAtOnce_NeverLeaseTheSameRow()
    {
        await StageAsync(Enumerable.Range(0, 300).Select(i => Entry($"c{i}")).ToArray());
        var other = await OpenAnotherAsync();

        async Task<List<string>> LeaseAllAsync(ISyncStore store)
        {
            var keys = new List<string>();
            while (true)
            {
                var leased = await store.LeaseDueAsync(Emarsys, EntityKind.Customer, T0, 7, TimeSpan.FromHours(1), Ct);
                if (leased.Count == 0)
                {
                    return keys;
                }

                keys.AddRange(leased.Select(e => e.Key));
            }
        }

        var both = await Task.WhenAll(Task.Run(() => LeaseAllAsync(Store)), Task.Run(() => LeaseAllAsync(other)));

        both[0].Intersect(both[1]).ShouldBeEmpty();
        (both[0].Count + both[1].Count).ShouldBe(300);
    }

    [Fact]
    public async Task MarkIntendedAsync_TwoWorkersSameKeys_EachKeyIsNewForExactlyOne()
    {
        var other = await OpenAnotherAsync();
        var keys = Enumerable.Range(0, 200).Select(i => $"line:o{i}").ToList();

        var results = await Task.WhenAll(
            Task.Run(() => Store.MarkIntendedAsync(keys, T0, Ct)),
            Task.Run(() => other.MarkIntendedAsync(keys, T0, Ct)));

        // A key a worker marked itself is absent from its answer; each key must be new to exactly one of the two.
        keys.ShouldAllBe(k => results[0].ContainsKey(k) != results[1].ContainsKey(k));
    }

    [Fact]
    public async Task TryAddInboxAsync_TwoWorkersSameMessage_StoredOnce()
    {
        var other = await OpenAnotherAsync();
        var message = new InboxMessage(0, "msg-1", "commercetools", EntityKind.Customer, "c1", T0);

        var added = await Task.WhenAll(Task.Run(() => Store.TryAddInboxAsync(message, Ct)), Task.Run(() => other.TryAddInboxAsync(message, Ct)));

        added.Count(a => a).ShouldBe(1);
        (await Store.PendingInboxAsync(10, Ct)).ShouldHaveSingleItem().MessageId.ShouldBe("msg-1");
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
