using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Tributary.Storage.Sql;

namespace Tributary.Storage.Postgres.Internal;

/// <summary>PostgreSQL's side of the shared statements: a list is one array parameter matched with <c>= ANY</c>, and text
/// that must sort bytewise says <c>COLLATE "C"</c> (key columns already are).</summary>
internal sealed class PgDialect : ISqlDialect
{
    public static readonly PgDialect Instance = new();

    public string InList(string column, string parameter) => $"{column} = ANY({parameter})";

    public void AddTextList(DbCommand command, string name, IReadOnlyCollection<string> values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() });

    public void AddLongList(DbCommand command, string name, IReadOnlyCollection<long> values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = values.ToArray() });

    public string Greatest(string left, string right) => $"GREATEST({left}, {right})";

    public string Bytewise(string expression) => $"{expression} COLLATE \"C\"";
}
