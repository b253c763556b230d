using System.Data.Common;
using System.Security.Cryptography;

namespace Tributary.Storage.Sql;

public abstract partial class SqlLedger
{
    /// <inheritdoc cref="Tributary.Core.Contracts.IErasureStore.ForgetAsync"/>
    public Task ForgetAsync(IReadOnlyCollection<string> customers, IReadOnlyCollection<string> tombstones, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(tombstones);
        return WriteSqlAsync(async (connection, tx, ct) =>
        {
            if (customers.Count > 0)
            {
                // Erasure rows and their attempts stay: they are the record of the erasure and carry nothing personal.
                foreach (var sql in new[]
                {
                    $"DELETE FROM consent WHERE {Dialect.InList("contact", "@keys")}",
                    $"DELETE FROM consent_address WHERE {Dialect.InList("contact", "@keys")}",
                    $"DELETE FROM inbox WHERE entity IN ('Customer', 'CustomerSummary') AND {Dialect.InList("key", "@keys")}",
                    $"DELETE FROM outbox WHERE entity <> 'Erasure' AND {Dialect.InList("key", "@keys")}",
                    $"DELETE FROM attempts WHERE entity <> 'Erasure' AND {Dialect.InList("key", "@keys")}",
                    $"DELETE FROM order_facts WHERE {Dialect.InList("customer_id", "@keys")}",
                    $"DELETE FROM rule_state WHERE entity IN ('Customer', 'CustomerSummary') AND {Dialect.InList("key", "@keys")}",
                })
                {
                    await using var command = connection.Command(sql, tx);
                    Dialect.AddTextList(command, "keys", customers);
                    await command.ExecuteNonQueryAsync(ct);
                }
            }

            var when = SqlCodec.Ms(at);
            return await connection.ExecuteEachAsync(tx,
                "INSERT INTO forgotten (subject, forgotten_at) VALUES (@subject, @at) ON CONFLICT (subject) DO NOTHING",
                tombstones.Distinct(StringComparer.Ordinal), (row, t) => row.Text("subject", t).Bigint("at", when), ct);
        }, cancellationToken);
    }

    /// <inheritdoc cref="Tributary.Core.Contracts.IErasureStore.ForgottenAsync"/>
    public Task<IReadOnlySet<string>> ForgottenAsync(IReadOnlyCollection<string> tombstones, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tombstones);
        if (tombstones.Count == 0)
        {
            return Task.FromResult<IReadOnlySet<string>>(new HashSet<string>(StringComparer.Ordinal));
        }

        return ReadSqlAsync<IReadOnlySet<string>>(async (connection, ct) =>
        {
            await using var command = connection.Command($"SELECT subject FROM forgotten WHERE {Dialect.InList("subject", "@subjects")}");
            Dialect.AddTextList(command, "subjects", tombstones);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var found = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                found.Add(reader.GetString(0));
            }

            return found;
        }, cancellationToken);
    }

    /// <inheritdoc cref="Tributary.Core.Contracts.IErasureStore.CountForgottenAsync"/>
    public Task<long> CountForgottenAsync(CancellationToken cancellationToken) =>
        ReadSqlAsync(async (connection, ct) =>
        {
            await using var command = connection.Command("SELECT COUNT(*) FROM forgotten");
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }, cancellationToken);

    /// <inheritdoc cref="Tributary.Core.Contracts.IErasureStore.InstallationSaltAsync"/>
    public Task<string> InstallationSaltAsync(CancellationToken cancellationToken) =>
        WriteSqlAsync(async (connection, tx, ct) =>
        {
            // The first caller's salt wins; every later one (another process included) reads it.
            await using (var insert = connection.Command(
                             "INSERT INTO installation (name, value) VALUES ('tombstone-salt', @salt) ON CONFLICT (name) DO NOTHING", tx))
            {
                insert.Text("salt", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
                await insert.ExecuteNonQueryAsync(ct);
            }

            await using var select = connection.Command("SELECT value FROM installation WHERE name = 'tombstone-salt'", tx);
            return (string)(await select.ExecuteScalarAsync(ct))!;
        }, cancellationToken);

    /// <inheritdoc cref="Tributary.Core.Contracts.IErasureStore.CompactAsync"/>
    public Task CompactAsync(CancellationToken cancellationToken) =>
        ReadSqlAsync(async (connection, ct) =>
        {
            await using var command = connection.Command(CompactSql);
            await command.ExecuteNonQueryAsync(ct);
            return 0;
        }, cancellationToken);

    /// <summary>The statements that rewrite the state without the free space a forget left (run outside any transaction).</summary>
    protected abstract string CompactSql { get; }
}
