using System.Data;
using System.Data.Common;

namespace Tributary.Storage.Sql;

/// <summary>
/// One statement run once per row, the bulk path of both dialects behind one call: where the provider batches (Npgsql) every
/// row is a command of one <see cref="DbBatch"/>, sent in one round trip; elsewhere (Microsoft.Data.Sqlite, where a statement
/// is a function call, not a round trip) one prepared command is re-bound per row, so SQLite compiles the SQL once.
/// </summary>
public static class SqlRows
{
    /// <summary>Runs <paramref name="sql"/> once per row, in the transaction, and returns the rows affected in all.</summary>
    public static async Task<int> ExecuteEachAsync<TRow>(this DbConnection connection, DbTransaction transaction, string sql,
        IEnumerable<TRow> rows, Action<SqlRow, TRow> bind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(bind);
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var row in rows)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = sql;
                bind(new SqlRow(command), row);
                batch.BatchCommands.Add(command);
            }

            return batch.BatchCommands.Count == 0 ? 0 : await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var reused = connection.Command(sql, transaction);
        var bound = new SqlRow(reused);
        var affected = 0;
        var prepared = false;
        foreach (var row in rows)
        {
            bind(bound, row);
            if (!prepared)
            {
                await reused.PrepareAsync(cancellationToken);
                prepared = true;
            }

            affected += await reused.ExecuteNonQueryAsync(cancellationToken);
        }

        return affected;
    }
}

/// <summary>The parameters of one row of <see cref="SqlRows.ExecuteEachAsync{TRow}"/>: added on first use, re-bound after.</summary>
public sealed class SqlRow
{
    private readonly DbBatchCommand? _batchCommand;
    private readonly DbCommand? _command;

    internal SqlRow(DbBatchCommand command) => _batchCommand = command;

    internal SqlRow(DbCommand command) => _command = command;

    /// <summary>Binds text (NULL for null).</summary>
    public SqlRow Text(string name, string? value) => Set(name, DbType.String, value);

    /// <summary>Binds a 64-bit integer (NULL for null).</summary>
    public SqlRow Bigint(string name, long? value) => Set(name, DbType.Int64, value);

    /// <summary>Binds a 32-bit integer (NULL for null).</summary>
    public SqlRow Integer(string name, int? value) => Set(name, DbType.Int32, value);

    private SqlRow Set(string name, DbType type, object? value)
    {
        var parameters = _command?.Parameters ?? _batchCommand!.Parameters;
        if (parameters.Contains(name))
        {
            parameters[name].Value = value ?? DBNull.Value;
            return this;
        }

        var parameter = _command is not null ? _command.CreateParameter() : _batchCommand!.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        parameters.Add(parameter);
        return this;
    }
}
