using Microsoft.Data.Sqlite;

namespace Tributary.Storage.Sqlite.Internal;

/// <summary>
/// A prepared command that lives as long as the connection: SQLite compiles the SQL once and each use only rebinds values,
/// which is what keeps 1000-row batches cheap.
/// </summary>
internal sealed class Statement : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly Dictionary<string, SqliteParameter> _parameters = new(StringComparer.Ordinal);

    public Statement(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = DBNull.Value;
            _command.Parameters.Add(parameter);
            _parameters.Add(name, parameter);
        }

        _command.Prepare();
    }

    /// <summary>Sets a parameter; null binds SQL NULL.</summary>
    public object? this[string name]
    {
        set => _parameters[name].Value = value ?? DBNull.Value;
    }

    /// <summary>Attaches the statement to the transaction in progress (Microsoft.Data.Sqlite requires it) or to none.</summary>
    public Statement In(SqliteTransaction? transaction)
    {
        _command.Transaction = transaction;
        return this;
    }

    public int Execute() => _command.ExecuteNonQuery();

    public object? Scalar() => _command.ExecuteScalar();

    public SqliteDataReader Query() => _command.ExecuteReader();

    public void Dispose() => _command.Dispose();
}
