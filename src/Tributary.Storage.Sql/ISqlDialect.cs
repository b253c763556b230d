using System.Data.Common;

namespace Tributary.Storage.Sql;

/// <summary>
/// What differs between the SQL databases the ledger runs on, as far as the shared statements of <see cref="SqlLedger"/> go:
/// how a list of values is bound and matched, and a few functions and orderings. Statement text is otherwise common: both
/// dialects take <c>@name</c> parameters and <c>INSERT … ON CONFLICT … DO UPDATE</c>.
/// </summary>
public interface ISqlDialect
{
    /// <summary>A predicate that is true when <paramref name="column"/> is one of the values bound by <see cref="AddTextList"/>
    /// or <see cref="AddLongList"/> under <paramref name="parameter"/> (written with its <c>@</c>).</summary>
    string InList(string column, string parameter);

    /// <summary>Binds a list of strings for <see cref="InList"/>.</summary>
    void AddTextList(DbCommand command, string name, IReadOnlyCollection<string> values);

    /// <summary>Binds a list of integers for <see cref="InList"/>.</summary>
    void AddLongList(DbCommand command, string name, IReadOnlyCollection<long> values);

    /// <summary>The larger of two values of one row.</summary>
    string Greatest(string left, string right);

    /// <summary>An expression ordered bytewise, whatever the database's collation.</summary>
    string Bytewise(string expression);
}
