using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.Postgres.Internal;

/// <summary>
/// Typed Npgsql parameters. How values are stored is <see cref="Tributary.Storage.Sql.SqlCodec"/>, shared with SQLite.
/// </summary>
internal static class PgCodec
{
    // Typed parameters: PostgreSQL must know a parameter's type where a NULL or a select-list value gives it no column to infer from.
    public static void Text(this NpgsqlParameterCollection parameters, string name, string? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    public static void Bigint(this NpgsqlParameterCollection parameters, string name, long? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = value is { } v ? v : DBNull.Value });

    public static void Integer(this NpgsqlParameterCollection parameters, string name, int? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Integer) { Value = value is { } v ? v : DBNull.Value });

    public static void TextArray(this NpgsqlParameterCollection parameters, string name, string[] values) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values });
}
