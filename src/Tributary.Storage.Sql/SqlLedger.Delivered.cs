using System.Runtime.CompilerServices;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Storage.Sql;

public abstract partial class SqlLedger
{
    /// <inheritdoc cref="IDeliveredStateStore.RemoveDeliveredAsync"/>
    public Task<int> RemoveDeliveredAsync(string destination, EntityKind entity, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return Task.FromResult(0);
        }

        return WriteSqlAsync(async (connection, tx, ct) =>
        {
            await using var command = connection.Command(
                $"DELETE FROM delivered WHERE destination = @destination AND entity = @entity AND {Dialect.InList("key", "@keys")}", tx);
            command.Text("destination", destination);
            command.Text("entity", SqlCodec.Name(entity));
            Dialect.AddTextList(command, "keys", keys);
            return await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
    }

    /// <inheritdoc cref="IDeliveredStateStore.ReadDeliveredAsync"/>
    /// <remarks>Read in key order (bytewise), a chunk per round trip, so no connection is held while the caller works.</remarks>
    public async IAsyncEnumerable<DeliveredState> ReadDeliveredAsync(string destination, EntityKind entity,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        var entityName = SqlCodec.Name(entity);
        while (true)
        {
            var chunk = await ReadSqlAsync(async (connection, ct) =>
            {
                await using var command = connection.Command(
                    "SELECT key, hash, fields, source_version, delivered_at FROM delivered " +
                    "WHERE destination = @destination AND entity = @entity AND key > @after ORDER BY key LIMIT @limit");
                command.Text("destination", destination);
                command.Text("entity", entityName);
                command.Text("after", after);
                command.Integer("limit", ReadChunk);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = new List<DeliveredState>();
                while (await reader.ReadAsync(ct))
                {
                    rows.Add(new DeliveredState(destination, entity, reader.GetString(0), reader.GetString(1), SqlCodec.Fields(reader.GetString(2)),
                        reader.GetInt64(3), SqlCodec.Time(reader.GetInt64(4))));
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
