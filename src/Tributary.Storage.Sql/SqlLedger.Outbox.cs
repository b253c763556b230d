using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Storage.Sql;

public abstract partial class SqlLedger
{
    /// <inheritdoc cref="IOutboxStore.NextDueAsync"/>
    /// <remarks>A leased row counts from when its lease ends (the later of its due time and its lease end): the time it can be
    /// leased again, so a worker never spins on rows another worker is delivering.</remarks>
    public Task<DateTimeOffset?> NextDueAsync(string destination, EntityKind? entity, CancellationToken cancellationToken) =>
        ReadSqlAsync(async (connection, ct) =>
        {
            await using var command = connection.Command(
                $"SELECT MIN({Dialect.Greatest("next_attempt_at", "COALESCE(lease_until, next_attempt_at)")}) FROM outbox " +
                "WHERE destination = @destination AND status = 'Pending'" + (entity is null ? string.Empty : " AND entity = @entity"));
            command.Text("destination", destination);
            if (entity is { } e)
            {
                command.Text("entity", SqlCodec.Name(e));
            }

            return await command.ExecuteScalarAsync(ct) is long ms ? SqlCodec.Time(ms) : (DateTimeOffset?)null;
        }, cancellationToken);

    /// <inheritdoc cref="IOutboxStore.GetOutboxAsync"/>
    public Task<OutboxEntry?> GetOutboxAsync(string destination, EntityKind entity, string key, CancellationToken cancellationToken) =>
        ReadSqlAsync(async (connection, ct) =>
        {
            await using var command = connection.Command(
                $"SELECT {SqlOutboxColumns.List} FROM outbox WHERE destination = @destination AND entity = @entity AND key = @key");
            command.Text("destination", destination);
            command.Text("entity", SqlCodec.Name(entity));
            command.Text("key", key);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? SqlOutboxColumns.Read(reader) : null;
        }, cancellationToken);

    /// <inheritdoc cref="IOutboxStore.ReleaseLeasesAsync"/>
    public Task ReleaseLeasesAsync(CancellationToken cancellationToken) =>
        WriteSqlAsync(async (connection, tx, ct) =>
        {
            await using var command = connection.Command("UPDATE outbox SET lease_until = NULL WHERE lease_until IS NOT NULL", tx);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
}
