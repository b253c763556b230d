using System.Data;
using System.Data.Common;

namespace Tributary.Storage.Sql;

/// <summary>Typed parameters on any provider's command. Names are bound without their <c>@</c>, which both providers accept.</summary>
public static class SqlCommands
{
    /// <summary>A command on the connection, in the transaction when there is one.</summary>
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Binds text (NULL for null).</summary>
    public static DbParameter Text(this DbCommand command, string name, string? value) => Add(command, name, DbType.String, value);

    /// <summary>Binds a 64-bit integer (NULL for null).</summary>
    public static DbParameter Bigint(this DbCommand command, string name, long? value) => Add(command, name, DbType.Int64, value);

    /// <summary>Binds a 32-bit integer (NULL for null).</summary>
    public static DbParameter Integer(this DbCommand command, string name, int? value) => Add(command, name, DbType.Int32, value);

    private static DbParameter Add(DbCommand command, string name, DbType type, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        // Typed even when NULL: PostgreSQL must know a parameter's type where no column gives it one.
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
