using Microsoft.Data.Sqlite;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Storage;

public sealed class SqliteSyncStoreTests : SyncStoreComplianceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tributary-store-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "state", "tributary.db");

    protected override async Task<ISyncStore> CreateStoreAsync(CancellationToken cancellationToken) =>
        await SqliteSyncStore.OpenAsync(DatabasePath, cancellationToken);

    protected override async Task<ISyncStore> ReopenStoreAsync(CancellationToken cancellationToken) =>
        await SqliteSyncStore.OpenAsync(DatabasePath, cancellationToken);

    protected override Task DeleteDatabaseAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public void Constructor_MissingDirectory_CreatesIt()
    {
        var path = Path.Combine(_directory, "nested", "deeper", "state.db");

        var store = new SqliteSyncStore(path);

        Directory.Exists(Path.GetDirectoryName(path)).ShouldBeTrue();
        store.DatabasePath.ShouldBe(Path.GetFullPath(path));
    }

    [Fact]
    public async Task OpenAsync_NewFile_UsesWalAndCurrentSchemaVersion()
    {
        await StageAsync(Entry("c1"));

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        (await ScalarAsync(connection, "PRAGMA journal_mode;")).ShouldBe("wal");
        (await ScalarAsync(connection, "PRAGMA user_version;")).ShouldBe(3L);
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
    public async Task PruneAttemptsAsync_OldAttempts_DeletedExceptForRowsStillInALane()
    {
        var store = (SqliteSyncStore)Store;
        await StageAsync(Entry("sent"), Entry("dead"));
        var leased = (await LeaseAsync()).ToDictionary(e => e.Key);
        await Store.CompleteAsync([Sent(leased["sent"], at: T0), Failed(leased["dead"], OutboxStatus.Dead, at: T0)], Ct);
        await StageAsync(Entry("recent", due: T0.AddDays(20)));
        await Store.CompleteAsync([Sent((await LeaseAsync(T0.AddDays(20))).Single(), at: T0.AddDays(20))], Ct);

        var pruned = await store.PruneAttemptsAsync(TimeSpan.FromDays(14), T0.AddDays(21), Ct);

        pruned.ShouldBe(1);
        (await Store.GetAttemptsAsync(Emarsys, EntityKind.Customer, "sent", Ct)).ShouldBeEmpty();
        (await Store.GetAttemptsAsync(Emarsys, EntityKind.Customer, "dead", Ct)).ShouldHaveSingleItem();
        (await Store.GetAttemptsAsync(Emarsys, EntityKind.Customer, "recent", Ct)).ShouldHaveSingleItem();
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
