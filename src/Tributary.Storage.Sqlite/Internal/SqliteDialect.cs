using System.Data.Common;
using Tributary.Storage.Sql;

namespace Tributary.Storage.Sqlite.Internal;

/// <summary>SQLite's side of the shared statements: a list is one JSON array parameter read back with <c>json_each</c> (one
/// statement for any number of values; SQLite has no array type), and text compares bytewise by default.</summary>
internal sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public string InList(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public void AddTextList(DbCommand command, string name, IReadOnlyCollection<string> values) => command.Text(name, SqlCodec.JsonArray(values));

    public void AddLongList(DbCommand command, string name, IReadOnlyCollection<long> values) => command.Text(name, SqlCodec.JsonArray(values));

    public string Greatest(string left, string right) => $"MAX({left}, {right})";

    public string Bytewise(string expression) => expression;
}
