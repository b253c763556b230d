using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Postgres.Internal;
using Tributary.Storage.Sql;

namespace Tributary.Storage.Postgres;

public sealed partial class PostgresSyncStore
{
    private const string MarkSentSql =
        "INSERT INTO sent_once (ledger_key, intended_at, sent_at) SELECT k, @at, @at FROM unnest(@keys) AS k " +
        "ON CONFLICT (ledger_key) DO UPDATE SET sent_at = COALESCE(sent_once.sent_at, excluded.sent_at)";

    /// <inheritdoc />
    /// <remarks>
    /// One multi-row <c>INSERT … ON CONFLICT DO NOTHING RETURNING</c>: the keys it returns are this call's; every other key was
    /// already there (or was just committed by another process, which waited on its unique key), and its state is read back.
    /// </remarks>
    public Task<IReadOnlyDictionary<string, SentOnceState>> MarkIntendedAsync(IReadOnlyCollection<string> ledgerKeys, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledgerKeys);
        var keys = ledgerKeys.Distinct(StringComparer.Ordinal).ToArray();
        if (keys.Length == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, SentOnceState>>(new Dictionary<string, SentOnceState>(StringComparer.Ordinal));
        }

        return WriteAsync<IReadOnlyDictionary<string, SentOnceState>>(async (connection, tx, ct) =>
        {
            var inserted = new HashSet<string>(StringComparer.Ordinal);
            await using (var insert = Command(connection,
                "INSERT INTO sent_once (ledger_key, intended_at) SELECT k, @at FROM unnest(@keys) AS k " +
                "ON CONFLICT (ledger_key) DO NOTHING RETURNING ledger_key", tx))
            {
                insert.Parameters.Bigint("at", SqlCodec.Ms(now));
                insert.Parameters.TextArray("keys", keys);
                await using var reader = await insert.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    inserted.Add(reader.GetString(0));
                }
            }

            var existing = new Dictionary<string, SentOnceState>(StringComparer.Ordinal);
            var others = keys.Where(k => !inserted.Contains(k)).ToArray();
            if (others.Length == 0)
            {
                return existing;
            }

            await using var read = Command(connection,
                "SELECT ledger_key, intended_at, sent_at FROM sent_once WHERE ledger_key = ANY(@keys)", tx);
            read.Parameters.TextArray("keys", others);
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var key = reader.GetString(0);
                    existing[key] = new SentOnceState(key, SqlCodec.Time(reader.GetInt64(1)), reader.IsDBNull(2) ? null : SqlCodec.Time(reader.GetInt64(2)));
                }
            }

            return existing;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task MarkSentAsync(IReadOnlyCollection<string> ledgerKeys, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledgerKeys);
        // Distinct: one statement may not update the same row twice.
        var keys = ledgerKeys.Distinct(StringComparer.Ordinal).ToArray();
        if (keys.Length == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(async (connection, tx, ct) =>
        {
            await using var command = Command(connection, MarkSentSql, tx);
            command.Parameters.Bigint("at", SqlCodec.Ms(now));
            command.Parameters.TextArray("keys", keys);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }
}
