using Tributary.Core.Budgets;
using Tributary.Storage.Postgres.Internal;
using Tributary.Storage.Sql;

namespace Tributary.Storage.Postgres;

public sealed partial class PostgresSyncStore
{
    /// <inheritdoc />
    /// <remarks>One atomic upsert: it takes the row only when it is free, expired at <paramref name="now"/>, or already ours.</remarks>
    public Task<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, tx, ct) =>
        {
            await using var command = Command(connection, """
                INSERT INTO coordination_leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE coordination_leases.holder = excluded.holder OR coordination_leases.expires_at <= @now
                """, tx);
            command.Parameters.Text("name", name);
            command.Parameters.Text("holder", holder);
            command.Parameters.Bigint("expires", SqlCodec.Ms(now + ttl));
            command.Parameters.Bigint("now", SqlCodec.Ms(now));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, cancellationToken);

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, tx, ct) =>
        {
            await using var command = Command(connection, "DELETE FROM coordination_leases WHERE name = @name AND holder = @holder", tx);
            command.Parameters.Text("name", name);
            command.Parameters.Text("holder", holder);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    /// <inheritdoc />
    public Task<string?> GetLeaseHolderAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            await using var command = Command(connection, "SELECT holder FROM coordination_leases WHERE name = @name AND expires_at > @now");
            command.Parameters.Text("name", name);
            command.Parameters.Bigint("now", SqlCodec.Ms(now));
            return await command.ExecuteScalarAsync(ct) as string;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The budget's row is locked (<c>FOR UPDATE</c>) while it is refilled and drawn from, so workers never overdraw it.</remarks>
    public Task<TimeSpan> TryTakeBudgetAsync(string budget, int cost, int perMinute, int burst, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, tx, ct) =>
        {
            var nowMs = SqlCodec.Ms(now);
            await using (var ensure = Command(connection,
                "INSERT INTO coordination_budgets (name, tokens, updated_at, paused_until) VALUES (@name, @tokens, @now, 0) " +
                "ON CONFLICT (name) DO NOTHING", tx))
            {
                ensure.Parameters.Text("name", budget);
                ensure.Parameters.Add(new Npgsql.NpgsqlParameter("tokens", NpgsqlTypes.NpgsqlDbType.Double) { Value = (double)BudgetBucket.Capacity(burst) });
                ensure.Parameters.Bigint("now", nowMs);
                await ensure.ExecuteNonQueryAsync(ct);
            }

            BudgetBucket.State state;
            await using (var read = Command(connection,
                "SELECT tokens, updated_at, paused_until FROM coordination_budgets WHERE name = @name FOR UPDATE", tx))
            {
                read.Parameters.Text("name", budget);
                await using var reader = await read.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                state = new BudgetBucket.State(reader.GetDouble(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            var (next, wait) = BudgetBucket.Take(state, cost, perMinute, burst, nowMs);
            await using (var write = Command(connection,
                "UPDATE coordination_budgets SET tokens = @tokens, updated_at = @updated WHERE name = @name", tx))
            {
                write.Parameters.Text("name", budget);
                write.Parameters.Add(new Npgsql.NpgsqlParameter("tokens", NpgsqlTypes.NpgsqlDbType.Double) { Value = next.Tokens });
                write.Parameters.Bigint("updated", next.UpdatedAt);
                await write.ExecuteNonQueryAsync(ct);
            }

            return wait;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A later pause wins over an earlier one; the bucket is emptied, as a local budget does after a rate limit.</remarks>
    public Task PauseBudgetAsync(string budget, DateTimeOffset until, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, tx, ct) =>
        {
            await using var command = Command(connection,
                "INSERT INTO coordination_budgets (name, tokens, updated_at, paused_until) VALUES (@name, 0, @until, @until) " +
                "ON CONFLICT (name) DO UPDATE SET tokens = 0, updated_at = GREATEST(coordination_budgets.updated_at, excluded.updated_at), " +
                "paused_until = GREATEST(coordination_budgets.paused_until, excluded.paused_until)", tx);
            command.Parameters.Text("name", budget);
            command.Parameters.Bigint("until", SqlCodec.Ms(until));
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
}
