using Microsoft.Data.Sqlite;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Storage;

/// <summary>What only the SQLite store does: its file, its schema versions and their migrations, its WAL.</summary>
[Storage]
public sealed class SqliteSyncStoreTests() : StoreComplianceTests(new SqliteStoreHarness())
{
    private string DatabasePath => ((SqliteStoreHarness)Harness).DatabasePath;

    private string TestDirectory => ((SqliteStoreHarness)Harness).Directory;

    [Fact]
    public void Constructor_MissingDirectory_CreatesIt()
    {
        var path = Path.Combine(TestDirectory, "nested", "deeper", "state.db");

        var store = new SqliteSyncStore(path);

        Directory.Exists(Path.GetDirectoryName(path)).ShouldBeTrue();
        store.DatabasePath.ShouldBe(Path.GetFullPath(path));
    }

    [Fact]
    public async Task OpenAsync_NewFile_ReadableByItsOwnerOnly_JournalToo()
    {
        var path = Path.Combine(TestDirectory, "private", "state.db");

        await using (var store = await SqliteSyncStore.OpenAsync(path, Ct))
        {
            await store.SetCursorAsync("s", EntityKind.Customer, "c", Ct);
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.GetUnixFileMode(path + "-wal").ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        await using var again = await SqliteSyncStore.OpenAsync(path, Ct);
        (await again.GetCursorAsync("s", EntityKind.Customer, Ct)).ShouldBe("c");
    }

    [Fact]
    public async Task OpenAsync_NewFile_UsesWalAndCurrentSchemaVersion()
    {
        await StageAsync(Entry("c1"));

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        (await ScalarAsync(connection, "PRAGMA journal_mode;")).ShouldBe("wal");
        (await ScalarAsync(connection, "PRAGMA user_version;")).ShouldBe(8L);
    }

    [Fact]
    public async Task OpenAsync_FileFromNewerVersion_FailsWithoutTouchingIt()
    {
        await Store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await ExecuteAsync(connection, "PRAGMA user_version = 99;");
        }

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => SqliteSyncStore.OpenAsync(DatabasePath, Ct));

        failure.Message.ShouldContain("99");
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsSafeAndLaterCallsFail()
    {
        await Store.DisposeAsync();
        await Store.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() => Store.GetCursorAsync("commercetools", EntityKind.Customer, Ct));
    }

    [Fact]
    public async Task DisposeAsync_AfterWrites_CheckpointsTheWal()
    {
        await StageAsync(Enumerable.Range(0, 200).Select(i => Entry($"c{i}")).ToArray());

        await Store.DisposeAsync();

        var wal = DatabasePath + "-wal";
        (!File.Exists(wal) || new FileInfo(wal).Length == 0).ShouldBeTrue();
        await ReopenAsync();
        (await Store.CountLanesAsync(Ct)).Single().Count.ShouldBe(200);
    }

    [Fact]
    public async Task OpenAsync_FileFromSchemaVersion3_MovesRuleStateAndRealtimeRowsIntoTheirOwnPlaces()
    {
        // Rows as version 3 wrote them: a real-time row due a day before it was staged, rule state under "!" + rule.
        await StageAsync(Entry("realtime", due: T0.AddDays(-1), enqueued: T0), Entry("bulk", due: T0, enqueued: T0),
            Entry("retry", due: T0.AddHours(1), enqueued: T0.AddHours(-2)), Entry("parked", due: T0.AddDays(-1), enqueued: T0) with
            {
                Status = OutboxStatus.Parked, WaitingOn = new DependencyKey(EntityKind.Customer, "c9"),
            });
        await DeliverAsync("c1", Dotdigital);
        await Store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await ExecuteAsync(connection, """
                DROP TABLE rule_state;
                DROP TABLE consent;
                DROP TABLE consent_address;
                DROP TABLE forgotten;
                DROP TABLE installation;
                DROP INDEX outbox_due;
                ALTER TABLE outbox DROP COLUMN lane;
                ALTER TABLE inbox DROP COLUMN attempts;
                ALTER TABLE inbox DROP COLUMN next_attempt_at;
                ALTER TABLE inbox DROP COLUMN last_error;
                CREATE INDEX outbox_due ON outbox (destination, entity, status, next_attempt_at);
                INSERT INTO delivered (destination, entity, key, hash, fields, source_version, delivered_at)
                    VALUES ('!stock', 'Stock', 'SKU-1', 'h', '{"ats":"4","crossings":"1"}', 0, 1740830400000);
                PRAGMA user_version = 3;
                """);
        }

        await ReopenAsync();

        (await Store.GetRuleStateAsync("stock", EntityKind.Stock, ["SKU-1"], Ct))["SKU-1"].ShouldBe(Fields(("ats", "4"), ("crossings", "1")), ignoreOrder: true);
        (await Store.GetDeliveredAsync("!stock", EntityKind.Stock, ["SKU-1"], Ct)).ShouldBeEmpty();
        (await DeliveredAsync("c1", Dotdigital)).ShouldNotBeNull();
        var realtime = (await OutboxAsync("realtime")).ShouldNotBeNull();
        realtime.Lane.ShouldBe(OutboxLane.Realtime);
        realtime.NextAttemptAt.ShouldBe(T0);
        (await OutboxAsync("parked")).ShouldNotBeNull().Lane.ShouldBe(OutboxLane.Realtime);
        (await OutboxAsync("bulk")).ShouldNotBeNull().Lane.ShouldBe(OutboxLane.Bulk);
        var retry = (await OutboxAsync("retry")).ShouldNotBeNull();
        retry.Lane.ShouldBe(OutboxLane.Bulk);
        retry.NextAttemptAt.ShouldBe(T0.AddHours(1));
        (await LeaseAsync()).Select(e => e.Key).ShouldBe(["realtime", "bulk"]);
        await using var check = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await check.OpenAsync(Ct);
        (await ScalarAsync(check, "PRAGMA user_version;")).ShouldBe(8L);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
