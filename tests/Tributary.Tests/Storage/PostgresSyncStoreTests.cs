using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Postgres;
using Tributary.Tests.Support;

namespace Tributary.Tests.Storage;

/// <summary>What only the PostgreSQL store does: installation schemas and their migrations, safety across processes.</summary>
[Collection(PostgresCollection.Name)]
[Storage]
public sealed class PostgresSyncStoreTests(PostgresCluster cluster)
    : StoreComplianceTests(new PostgresStoreHarness(cluster, PostgresStoreHarness.Database))
{
    private PostgresStoreHarness Postgres => (PostgresStoreHarness)Harness;

    private string Schema => Postgres.Schema;

    private string? ConnectionString => Postgres.ConnectionString;

    [Fact]
    public async Task OpenAsync_NewSchema_AppliesEveryMigrationOnce()
    {
        await using var again = await PostgresSyncStore.OpenAsync(ConnectionString!, Schema, Ct);

        (await ScalarAsync($"SELECT COUNT(*) FROM {Schema}.schema_migrations")).ShouldBe(7L);
        (await ScalarAsync($"SELECT MAX(version) FROM {Schema}.schema_migrations")).ShouldBe(7);
    }

    [Fact]
    public async Task OpenAsync_SeveralProcessesAtOnce_MigrateTheSchemaExactlyOnce()
    {
        var schema = Schema + "_race";
        try
        {
            var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresSyncStore.OpenAsync(ConnectionString!, schema, Ct))));
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            (await ScalarAsync($"SELECT COUNT(*) FROM {schema}.schema_migrations")).ShouldBe(7L);
        }
        finally
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    [Fact]
    public async Task OpenAsync_SchemaFromNewerVersion_FailsNamingTheVersion()
    {
        await ExecuteAsync($"INSERT INTO {Schema}.schema_migrations (version) VALUES (99)");

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => PostgresSyncStore.OpenAsync(ConnectionString!, Schema, Ct));

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

    [Fact]
    public async Task OpenAsync_SchemaFromVersion2_MovesRuleStateAndRealtimeRowsIntoTheirOwnPlaces()
    {
        // Rows as version 2 wrote them: a real-time row due a day before it was staged, rule state under "!" + rule.
        await StageAsync(Entry("realtime", due: T0.AddDays(-1), enqueued: T0), Entry("bulk", due: T0, enqueued: T0),
            Entry("retry", due: T0.AddHours(1), enqueued: T0.AddHours(-2)));
        await DeliverAsync("c1", Dotdigital);
        await Store.DisposeAsync();
        await ExecuteAsync($$"""
            SET search_path TO {{Schema}};
            DROP TABLE rule_state;
            DROP TABLE consent;
            DROP TABLE consent_address;
            DROP TABLE forgotten;
            DROP TABLE installation;
            DROP INDEX outbox_due;
            ALTER TABLE outbox DROP COLUMN lane;
            ALTER TABLE inbox DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN last_error;
            CREATE INDEX outbox_due ON outbox (destination, entity, next_attempt_at, id) WHERE status = 'Pending';
            INSERT INTO delivered (destination, entity, key, hash, fields, source_version, delivered_at)
                VALUES ('!stock', 'Stock', 'SKU-1', 'h', '{"ats":"4","crossings":"1"}', 0, 1740830400000);
            DELETE FROM schema_migrations WHERE version > 2;
            """);

        await ReopenAsync();

        (await Store.GetRuleStateAsync("stock", EntityKind.Stock, ["SKU-1"], Ct))["SKU-1"].ShouldBe(Fields(("ats", "4"), ("crossings", "1")), ignoreOrder: true);
        (await Store.GetDeliveredAsync("!stock", EntityKind.Stock, ["SKU-1"], Ct)).ShouldBeEmpty();
        (await DeliveredAsync("c1", Dotdigital)).ShouldNotBeNull();
        var realtime = (await OutboxAsync("realtime")).ShouldNotBeNull();
        realtime.Lane.ShouldBe(OutboxLane.Realtime);
        realtime.NextAttemptAt.ShouldBe(T0);
        (await OutboxAsync("bulk")).ShouldNotBeNull().Lane.ShouldBe(OutboxLane.Bulk);
        var retry = (await OutboxAsync("retry")).ShouldNotBeNull();
        retry.Lane.ShouldBe(OutboxLane.Bulk);
        retry.NextAttemptAt.ShouldBe(T0.AddHours(1));
        (await LeaseAsync()).Select(e => e.Key).ShouldBe(["realtime", "bulk"]);
        (await ScalarAsync($"SELECT MAX(version) FROM {Schema}.schema_migrations")).ShouldBe(7);
    }

    private Task<object?> ScalarAsync(string sql) => Postgres.ScalarAsync(sql);

    private Task ExecuteAsync(string sql) => Postgres.ExecuteAsync(sql);
}
