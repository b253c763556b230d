using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Postgres.Internal;

namespace Tributary.Storage.Postgres;

public sealed partial class PostgresSyncStore
{
    // Rows per round trip when reading a destination's whole delivered state.
    private const int ReadChunk = 2000;

    /// <inheritdoc />
    /// <remarks>
    /// One multi-row upsert (arrays unnested) and one read of every touched customer's history. The summary sums the
    /// customer's counted orders in the currency of their most recent order (amounts in other currencies are not converted
    /// and not added), as the SQLite store does.
    /// </remarks>
    public Task<IReadOnlyList<CustomerSummary>> RecordOrderFactsAsync(IReadOnlyList<OrderFact> facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<CustomerSummary>>([]);
        }

        // One statement may not upsert the same row twice: the last fact for an order wins, as with row-by-row upserts.
        var latest = facts.GroupBy(f => (f.CustomerId, f.OrderId)).Select(g => g.Last()).ToList();
        var customers = facts.Select(f => f.CustomerId).Distinct(StringComparer.Ordinal).ToArray();
        return WriteAsync<IReadOnlyList<CustomerSummary>>(async (connection, tx, ct) =>
        {
            await using (var upsert = Command(connection, """
                INSERT INTO order_facts (customer_id, order_id, placed_at, net_amount, currency, counted)
                SELECT * FROM unnest(@customers, @orders, @placed, @net, @currency, @counted)
                ON CONFLICT (customer_id, order_id) DO UPDATE SET placed_at = excluded.placed_at, net_amount = excluded.net_amount,
                    currency = excluded.currency, counted = excluded.counted
                """, tx))
            {
                upsert.Parameters.TextArray("customers", latest.Select(f => f.CustomerId).ToArray());
                upsert.Parameters.TextArray("orders", latest.Select(f => f.OrderId).ToArray());
                upsert.Parameters.Add(new NpgsqlParameter("placed", NpgsqlDbType.Array | NpgsqlDbType.Bigint)
                    { Value = latest.Select(f => PgCodec.Ms(f.PlacedAt)).ToArray() });
                upsert.Parameters.Add(new NpgsqlParameter("net", NpgsqlDbType.Array | NpgsqlDbType.Numeric)
                    { Value = latest.Select(f => f.NetAmount).ToArray() });
                upsert.Parameters.TextArray("currency", latest.Select(f => f.Currency).ToArray());
                upsert.Parameters.Add(new NpgsqlParameter("counted", NpgsqlDbType.Array | NpgsqlDbType.Boolean)
                    { Value = latest.Select(f => f.Counted).ToArray() });
                await upsert.ExecuteNonQueryAsync(ct);
            }

            var history = new Dictionary<string, List<(DateTimeOffset At, decimal Net, string Currency, bool Counted)>>(StringComparer.Ordinal);
            await using (var read = Command(connection,
                "SELECT customer_id, placed_at, net_amount, currency, counted FROM order_facts WHERE customer_id = ANY(@customers) " +
                "ORDER BY customer_id, placed_at, order_id", tx))
            {
                read.Parameters.TextArray("customers", customers);
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var customer = reader.GetString(0);
                    if (!history.TryGetValue(customer, out var rows))
                    {
                        history[customer] = rows = [];
                    }

                    rows.Add((PgCodec.Time(reader.GetInt64(1)), reader.GetDecimal(2), reader.GetString(3), reader.GetBoolean(4)));
                }
            }

            return customers.Select(c => Tributary.Core.Rules.OrderRules.Summarise(c, history[c])).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>> GetRuleStateAsync(string rule, EntityKind entity,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>>(
                new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal));
        }

        var keyArray = keys.ToArray();
        return RunAsync<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>>(async (connection, ct) =>
        {
            await using var command = Command(connection,
                "SELECT key, fields FROM rule_state WHERE rule = @rule AND entity = @entity AND key = ANY(@keys)");
            command.Parameters.Text("rule", rule);
            command.Parameters.Text("entity", PgCodec.Name(entity));
            command.Parameters.TextArray("keys", keyArray);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var states = new Dictionary<string, IReadOnlyDictionary<string, string?>>(keyArray.Length, StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                states[reader.GetString(0)] = PgCodec.Fields(reader.GetString(1));
            }

            return states;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveRuleStateAsync(string rule, EntityKind entity, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> states,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(async (connection, tx, ct) =>
        {
            await using var commands = new NpgsqlBatch(connection, tx);
            foreach (var (key, fields) in states)
            {
                var upsert = new NpgsqlBatchCommand(
                    "INSERT INTO rule_state (rule, entity, key, fields, updated_at) VALUES (@rule, @entity, @key, @fields, @at) " +
                    "ON CONFLICT (rule, entity, key) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at");
                upsert.Parameters.Text("rule", rule);
                upsert.Parameters.Text("entity", PgCodec.Name(entity));
                upsert.Parameters.Text("key", key);
                upsert.Parameters.Text("fields", PgCodec.Json(fields));
                upsert.Parameters.Bigint("at", PgCodec.Ms(now));
                commands.BatchCommands.Add(upsert);
            }

            await commands.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> RemoveDeliveredAsync(string destination, EntityKind entity, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return Task.FromResult(0);
        }

        var keyArray = keys.ToArray();
        return WriteAsync(async (connection, tx, ct) =>
        {
            await using var command = Command(connection,
                "DELETE FROM delivered WHERE destination = @destination AND entity = @entity AND key = ANY(@keys)", tx);
            command.Parameters.Text("destination", destination);
            command.Parameters.Text("entity", PgCodec.Name(entity));
            command.Parameters.TextArray("keys", keyArray);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Read in key order (bytewise), a chunk per round trip, so no connection is held while the caller works.</remarks>
    public async IAsyncEnumerable<DeliveredState> ReadDeliveredAsync(string destination, EntityKind entity,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            var chunk = await RunAsync(async (connection, ct) =>
            {
                await using var command = Command(connection,
                    "SELECT key, hash, fields, source_version, delivered_at FROM delivered " +
                    "WHERE destination = @destination AND entity = @entity AND key > @after ORDER BY key LIMIT @limit");
                command.Parameters.Text("destination", destination);
                command.Parameters.Text("entity", PgCodec.Name(entity));
                command.Parameters.Text("after", after);
                command.Parameters.Integer("limit", ReadChunk);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = new List<DeliveredState>();
                while (await reader.ReadAsync(ct))
                {
                    rows.Add(new DeliveredState(destination, entity, reader.GetString(0), reader.GetString(1), PgCodec.Fields(reader.GetString(2)),
                        reader.GetInt64(3), PgCodec.Time(reader.GetInt64(4))));
                }

                return rows;
            }, cancellationToken);

            foreach (var row in chunk)
            {
                yield return row;
            }

            if (chunk.Count < ReadChunk)
            {
                yield break;
            }

            after = chunk[^1].Key;
        }
    }
}
