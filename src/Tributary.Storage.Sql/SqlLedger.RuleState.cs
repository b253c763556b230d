using Tributary.Core.Model;

namespace Tributary.Storage.Sql;

public abstract partial class SqlLedger
{
    /// <inheritdoc cref="Tributary.Core.Contracts.IRuleStateStore.GetRuleStateAsync"/>
    public Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>> GetRuleStateAsync(string rule, EntityKind entity,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>>(
                new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal));
        }

        return ReadSqlAsync<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>>>(async (connection, ct) =>
        {
            await using var command = connection.Command(
                $"SELECT key, fields FROM rule_state WHERE rule = @rule AND entity = @entity AND {Dialect.InList("key", "@keys")}");
            command.Text("rule", rule);
            command.Text("entity", SqlCodec.Name(entity));
            Dialect.AddTextList(command, "keys", keys);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var states = new Dictionary<string, IReadOnlyDictionary<string, string?>>(keys.Count, StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                states[reader.GetString(0)] = SqlCodec.Fields(reader.GetString(1));
            }

            return states;
        }, cancellationToken);
    }

    /// <inheritdoc cref="Tributary.Core.Contracts.IRuleStateStore.SaveRuleStateAsync"/>
    public Task SaveRuleStateAsync(string rule, EntityKind entity, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> states,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
        {
            return Task.CompletedTask;
        }

        var entityName = SqlCodec.Name(entity);
        var at = SqlCodec.Ms(now);
        return WriteSqlAsync((connection, tx, ct) => connection.ExecuteEachAsync(tx,
            "INSERT INTO rule_state (rule, entity, key, fields, updated_at) VALUES (@rule, @entity, @key, @fields, @at) " +
            "ON CONFLICT (rule, entity, key) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at",
            states, (row, state) => row.Text("rule", rule).Text("entity", entityName).Text("key", state.Key)
                .Text("fields", SqlCodec.Json(state.Value)).Bigint("at", at), ct), cancellationToken);
    }
}
