using System.Runtime.CompilerServices;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Storage.Sqlite.Internal;

namespace Tributary.Storage.Sqlite;

public sealed partial class SqliteSyncStore
{
    // Rows per round trip: the store's single connection is released between chunks so staging and delivery go on.
    private const int ReadChunk = 2000;

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

        var keysJson = Codec.JsonArray(keys);
        return RunAsync<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>>(s =>
        {
            using var command = s.Command(
                "SELECT key, fields FROM rule_state WHERE rule = $rule AND entity = $entity AND key IN (SELECT value FROM json_each($keys));");
            command.Parameters.AddWithValue("$rule", rule);
            command.Parameters.AddWithValue("$entity", Codec.Name(entity));
            command.Parameters.AddWithValue("$keys", keysJson);
            using var reader = command.ExecuteReader();
            var states = new Dictionary<string, IReadOnlyDictionary<string, string?>>(keys.Count, StringComparer.Ordinal);
            while (reader.Read())
            {
                states[reader.GetString(0)] = Codec.Fields(reader.GetString(1));
            }

            return states;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveRuleStateAsync(string rule, EntityKind entity, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> states,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((s, tx) =>
        {
            using var upsert = s.Command(
                "INSERT INTO rule_state (rule, entity, key, fields, updated_at) VALUES ($rule, $entity, $key, $fields, $at) " +
                "ON CONFLICT (rule, entity, key) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at;", tx);
            upsert.Parameters.AddWithValue("$rule", rule);
            upsert.Parameters.AddWithValue("$entity", Codec.Name(entity));
            upsert.Parameters.AddWithValue("$at", Codec.Ms(now));
            var key = upsert.Parameters.Add("$key", Microsoft.Data.Sqlite.SqliteType.Text);
            var json = upsert.Parameters.Add("$fields", Microsoft.Data.Sqlite.SqliteType.Text);
            foreach (var (k, fields) in states)
            {
                key.Value = k;
                json.Value = Codec.Json(fields);
                upsert.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<int> RemoveDeliveredAsync(string destination, EntityKind entity, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        WriteAsync((s, tx) =>
        {
            using var command = s.Command("DELETE FROM delivered WHERE destination = $destination AND entity = $entity AND key = $key;", tx);
            command.Parameters.AddWithValue("$destination", destination);
            command.Parameters.AddWithValue("$entity", Codec.Name(entity));
            var key = command.Parameters.Add("$key", Microsoft.Data.Sqlite.SqliteType.Text);
            var removed = 0;
            foreach (var k in keys)
            {
                key.Value = k;
                removed += command.ExecuteNonQuery();
            }

            return removed;
        }, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<DeliveredState> ReadDeliveredAsync(string destination, EntityKind entity,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            var chunk = await RunAsync<List<DeliveredState>>(s =>
            {
                using var command = s.Command(
                    "SELECT key, hash, fields, source_version, delivered_at FROM delivered " +
                    "WHERE destination = $destination AND entity = $entity AND key > $after ORDER BY key LIMIT $limit;");
                command.Parameters.AddWithValue("$destination", destination);
                command.Parameters.AddWithValue("$entity", Codec.Name(entity));
                command.Parameters.AddWithValue("$after", after);
                command.Parameters.AddWithValue("$limit", ReadChunk);
                using var reader = command.ExecuteReader();
                var rows = new List<DeliveredState>();
                while (reader.Read())
                {
                    rows.Add(new DeliveredState(destination, entity, reader.GetString(0), reader.GetString(1), Codec.Fields(reader.GetString(2)),
                        reader.GetInt64(3), Codec.Time(reader.GetInt64(4))));
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
