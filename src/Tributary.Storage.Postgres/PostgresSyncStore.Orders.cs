using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Postgres.Internal;
using Tributary.Storage.Sql;

namespace Tributary.Storage.Postgres;

public sealed partial class PostgresSyncStore
{
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
                    { Value = latest.Select(f => SqlCodec.Ms(f.PlacedAt)).ToArray() });
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

                    rows.Add((SqlCodec.Time(reader.GetInt64(1)), reader.GetDecimal(2), reader.GetString(3), reader.GetBoolean(4)));
                }
            }

            return customers.Select(c => Tributary.Core.Rules.OrderRules.Summarise(c, history[c])).ToList();
        }, cancellationToken);
    }
}
