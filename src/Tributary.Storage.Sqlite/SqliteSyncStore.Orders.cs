using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Sqlite.Internal;
using Tributary.Storage.Sql;

namespace Tributary.Storage.Sqlite;

public sealed partial class SqliteSyncStore
{
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, SentOnceState>> MarkIntendedAsync(IReadOnlyCollection<string> ledgerKeys, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyDictionary<string, SentOnceState>>((s, tx) =>
        {
            var existing = new Dictionary<string, SentOnceState>(StringComparer.Ordinal);
            using var read = s.Command("SELECT intended_at, sent_at FROM sent_once WHERE ledger_key = $key;", tx);
            var readKey = read.Parameters.Add("$key", Microsoft.Data.Sqlite.SqliteType.Text);
            using var insert = s.Command("INSERT INTO sent_once (ledger_key, intended_at) VALUES ($key, $at);", tx);
            var insertKey = insert.Parameters.Add("$key", Microsoft.Data.Sqlite.SqliteType.Text);
            insert.Parameters.AddWithValue("$at", SqlCodec.Ms(now));
            foreach (var key in ledgerKeys.Distinct(StringComparer.Ordinal))
            {
                readKey.Value = key;
                using (var reader = read.ExecuteReader())
                {
                    if (reader.Read())
                    {
                        existing[key] = new SentOnceState(key, SqlCodec.Time(reader.GetInt64(0)), reader.IsDBNull(1) ? null : SqlCodec.Time(reader.GetInt64(1)));
                        continue;
                    }
                }

                insertKey.Value = key;
                insert.ExecuteNonQuery();
            }

            return existing;
        }, cancellationToken);

    /// <inheritdoc />
    public Task MarkSentAsync(IReadOnlyCollection<string> ledgerKeys, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((s, tx) =>
        {
            using var command = s.Command(
                "INSERT INTO sent_once (ledger_key, intended_at, sent_at) VALUES ($key, $at, $at) " +
                "ON CONFLICT (ledger_key) DO UPDATE SET sent_at = COALESCE(sent_once.sent_at, excluded.sent_at);", tx);
            var key = command.Parameters.Add("$key", Microsoft.Data.Sqlite.SqliteType.Text);
            command.Parameters.AddWithValue("$at", SqlCodec.Ms(now));
            foreach (var k in ledgerKeys)
            {
                key.Value = k;
                command.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The summary sums the customer's counted orders in the currency of their most recent order (amounts in other currencies
    /// are not converted and not added).
    /// </remarks>
    public Task<IReadOnlyList<CustomerSummary>> RecordOrderFactsAsync(IReadOnlyList<OrderFact> facts, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<CustomerSummary>>((s, tx) =>
        {
            using var upsert = s.Command(
                "INSERT INTO order_facts (customer_id, order_id, placed_at, net_amount, currency, counted) VALUES ($c, $o, $p, $n, $cur, $counted) " +
                "ON CONFLICT (customer_id, order_id) DO UPDATE SET placed_at = excluded.placed_at, net_amount = excluded.net_amount, " +
                "currency = excluded.currency, counted = excluded.counted;", tx);
            var c = upsert.Parameters.Add("$c", Microsoft.Data.Sqlite.SqliteType.Text);
            var o = upsert.Parameters.Add("$o", Microsoft.Data.Sqlite.SqliteType.Text);
            var p = upsert.Parameters.Add("$p", Microsoft.Data.Sqlite.SqliteType.Integer);
            var n = upsert.Parameters.Add("$n", Microsoft.Data.Sqlite.SqliteType.Text);
            var cur = upsert.Parameters.Add("$cur", Microsoft.Data.Sqlite.SqliteType.Text);
            var counted = upsert.Parameters.Add("$counted", Microsoft.Data.Sqlite.SqliteType.Integer);
            foreach (var f in facts)
            {
                c.Value = f.CustomerId;
                o.Value = f.OrderId;
                p.Value = SqlCodec.Ms(f.PlacedAt);
                n.Value = f.NetAmount.ToString(CultureInfo.InvariantCulture);
                cur.Value = f.Currency;
                counted.Value = f.Counted ? 1 : 0;
                upsert.ExecuteNonQuery();
            }

            using var read = s.Command(
                "SELECT placed_at, net_amount, currency, counted FROM order_facts WHERE customer_id = $c ORDER BY placed_at;", tx);
            var rc = read.Parameters.Add("$c", Microsoft.Data.Sqlite.SqliteType.Text);
            var summaries = new List<CustomerSummary>();
            foreach (var customer in facts.Select(f => f.CustomerId).Distinct(StringComparer.Ordinal))
            {
                rc.Value = customer;
                var rows = new List<(DateTimeOffset At, decimal Net, string Currency, bool Counted)>();
                using (var reader = read.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        rows.Add((SqlCodec.Time(reader.GetInt64(0)), decimal.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                            reader.GetString(2), reader.GetInt64(3) == 1));
                    }
                }

                summaries.Add(Tributary.Core.Rules.OrderRules.Summarise(customer, rows));
            }

            return summaries;
        }, cancellationToken);
}
