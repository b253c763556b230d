using Tributary.Core.Contracts;
using Tributary.Storage.Sqlite;

namespace Tributary.Tests.Storage;

[Storage]
public sealed class SqliteCoordinationStoreTests : CoordinationStoreComplianceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tributary-coordination-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "state", "tributary.db");

    protected override Task<ICoordinationStore> CreateStoreAsync(CancellationToken cancellationToken) =>
        Task.FromResult<ICoordinationStore>(new SqliteCoordinationStore(DatabasePath));

    protected override Task<ICoordinationStore> OpenAnotherAsync(CancellationToken cancellationToken) =>
        Task.FromResult<ICoordinationStore>(new SqliteCoordinationStore(DatabasePath));

    protected override Task DeleteDatabaseAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_BesideTheLedger_LeavesTheLedgerSchemaAlone()
    {
        await using (var ledger = await SqliteSyncStore.OpenAsync(DatabasePath, Ct))
        {
            await ledger.SetCursorAsync("commercetools", Tributary.Core.Model.EntityKind.Customer, "c1", Ct);
        }

        await using var coordination = new SqliteCoordinationStore(DatabasePath);
        (await coordination.TryAcquireLeaseAsync("sweeps", "worker-a", TimeSpan.FromSeconds(30), T0, Ct)).ShouldBeTrue();

        await using var reopened = await SqliteSyncStore.OpenAsync(DatabasePath, Ct);
        (await reopened.GetCursorAsync("commercetools", Tributary.Core.Model.EntityKind.Customer, Ct)).ShouldBe("c1");
    }
}
