using Tributary.Core.Model;

namespace Tributary.Storage.Sql;

public abstract partial class SqlLedger
{
    /// <summary>The cursor upsert, also part of staging.</summary>
    protected const string SetCursorSql =
        "INSERT INTO cursors (source, entity, value) VALUES (@source, @entity, @value) " +
        "ON CONFLICT (source, entity) DO UPDATE SET value = excluded.value";

    /// <inheritdoc cref="Tributary.Core.Contracts.ICursorStore.GetCursorAsync"/>
    public Task<string?> GetCursorAsync(string source, EntityKind entity, CancellationToken cancellationToken) =>
        ReadSqlAsync(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT value FROM cursors WHERE source = @source AND entity = @entity");
            command.Text("source", source);
            command.Text("entity", SqlCodec.Name(entity));
            return await command.ExecuteScalarAsync(ct) as string;
        }, cancellationToken);

    /// <inheritdoc cref="Tributary.Core.Contracts.ICursorStore.SetCursorAsync"/>
    public Task SetCursorAsync(string source, EntityKind entity, string cursor, CancellationToken cancellationToken) =>
        WriteSqlAsync(async (connection, tx, ct) =>
        {
            await using var command = connection.Command(SetCursorSql, tx);
            command.Text("source", source);
            command.Text("entity", SqlCodec.Name(entity));
            command.Text("value", cursor);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
}
