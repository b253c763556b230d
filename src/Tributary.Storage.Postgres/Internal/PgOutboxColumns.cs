using Npgsql;
using Tributary.Core.Contracts;

namespace Tributary.Storage.Postgres.Internal;

/// <summary>The outbox columns every read selects, in this order, and how a row becomes an <see cref="OutboxEntry"/>.</summary>
internal static class PgOutboxColumns
{
    public const string List =
        "destination, entity, key, fields, changes, hash, source_version, source_modified_at, status, attempts, next_attempt_at, " +
        "revision, enqueued_at, last_error_kind, last_error, last_status_code, waiting_entity, waiting_key, lane, id";

    /// <summary>Ordinal of the row id (enqueue order), the last column of <see cref="List"/>.</summary>
    public const int IdOrdinal = 19;

    public static OutboxEntry Read(NpgsqlDataReader r)
    {
        var fields = PgCodec.Fields(r.GetString(3));
        var changes = r.IsDBNull(4) ? fields : PgCodec.Fields(r.GetString(4));
        return new OutboxEntry
        {
            Destination = r.GetString(0),
            Entity = PgCodec.Entity(r.GetString(1)),
            Key = r.GetString(2),
            Fields = fields,
            Changes = changes,
            Hash = r.GetString(5),
            SourceVersion = r.GetInt64(6),
            SourceModifiedAt = PgCodec.Time(r.GetInt64(7)),
            Status = PgCodec.Status(r.GetString(8)),
            Attempts = r.GetInt32(9),
            NextAttemptAt = PgCodec.Time(r.GetInt64(10)),
            Revision = r.GetInt64(11),
            EnqueuedAt = PgCodec.Time(r.GetInt64(12)),
            LastErrorKind = PgCodec.Kind(r, 13),
            LastError = PgCodec.NullableString(r, 14),
            LastStatusCode = PgCodec.NullableInt(r, 15),
            WaitingOn = r.IsDBNull(16) ? null : new DependencyKey(PgCodec.Entity(r.GetString(16)), r.GetString(17)),
            Lane = PgCodec.Lane(r.GetString(18)),
        };
    }

    public static async Task<List<OutboxEntry>> ReadAllAsync(NpgsqlDataReader r, CancellationToken ct)
    {
        var list = new List<OutboxEntry>();
        while (await r.ReadAsync(ct))
        {
            list.Add(Read(r));
        }

        return list;
    }
}
