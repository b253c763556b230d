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
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>> GetRuleStateAsync(string rule, EntityKind entity,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var rows = await GetDeliveredAsync("!" + rule, entity, keys, cancellationToken);
        return rows.ToDictionary(r => r.Key, r => r.Value.Fields, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public Task SaveRuleStateAsync(string rule, EntityKind entity, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> states,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((s, tx) =>
        {
            foreach (var (key, fields) in states)
            {
                var upsert = s.UpsertDelivered.In(tx);
                upsert["$destination"] = "!" + rule;
                upsert["$entity"] = Codec.Name(entity);
                upsert["$key"] = key;
                upsert["$hash"] = Tributary.Core.Diff.FieldDiff.Hash(fields);
                upsert["$fields"] = Codec.Json(fields);
                upsert["$version"] = 0L;
                upsert["$at"] = Codec.Ms(now);
                upsert.Execute();
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
