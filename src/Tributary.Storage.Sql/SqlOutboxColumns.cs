using System.Data.Common;
using Tributary.Core.Contracts;

namespace Tributary.Storage.Sql;

/// <summary>The outbox columns every read selects, in this order, and how a row becomes an <see cref="OutboxEntry"/>.</summary>
public static class SqlOutboxColumns
{
    /// <summary>The select list.</summary>
    public const string List =
        "destination, entity, key, fields, changes, hash, source_version, source_modified_at, status, attempts, next_attempt_at, " +
        "revision, enqueued_at, last_error_kind, last_error, last_status_code, waiting_entity, waiting_key, lane, id";

    /// <summary>Ordinal of the row id (enqueue order), the last column of <see cref="List"/>.</summary>
    public const int IdOrdinal = 19;

    /// <summary>The entry at the reader's current row.</summary>
    public static OutboxEntry Read(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var fields = SqlCodec.Fields(r.GetString(3));
        var changes = r.IsDBNull(4) ? fields : SqlCodec.Fields(r.GetString(4));
        return new OutboxEntry
        {
            Destination = r.GetString(0),
            Entity = SqlCodec.Entity(r.GetString(1)),
            Key = r.GetString(2),
            Fields = fields,
            Changes = changes,
            Hash = r.GetString(5),
            SourceVersion = r.GetInt64(6),
            SourceModifiedAt = SqlCodec.Time(r.GetInt64(7)),
            Status = SqlCodec.Status(r.GetString(8)),
            Attempts = r.GetInt32(9),
            NextAttemptAt = SqlCodec.Time(r.GetInt64(10)),
            Revision = r.GetInt64(11),
            EnqueuedAt = SqlCodec.Time(r.GetInt64(12)),
            LastErrorKind = SqlCodec.Kind(r, 13),
            LastError = SqlCodec.NullableString(r, 14),
            LastStatusCode = SqlCodec.NullableInt(r, 15),
            WaitingOn = r.IsDBNull(16) ? null : new DependencyKey(SqlCodec.Entity(r.GetString(16)), r.GetString(17)),
            Lane = SqlCodec.Lane(r.GetString(18)),
        };
    }

    /// <summary>Every entry the reader has left.</summary>
    public static async Task<List<OutboxEntry>> ReadAllAsync(DbDataReader r, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(r);
        var list = new List<OutboxEntry>();
        while (await r.ReadAsync(cancellationToken))
        {
            list.Add(Read(r));
        }

        return list;
    }

    /// <summary>Puts leased rows in lease order (real-time lane first, then due time, then enqueue order): RETURNING gives no
    /// order guarantee.</summary>
    public static OutboxEntry[] InLeaseOrder(List<(OutboxEntry Entry, long Id)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        rows.Sort(static (a, b) =>
        {
            var byLane = b.Entry.Lane.CompareTo(a.Entry.Lane);
            if (byLane != 0)
            {
                return byLane;
            }

            var byDue = a.Entry.NextAttemptAt.CompareTo(b.Entry.NextAttemptAt);
            return byDue != 0 ? byDue : a.Id.CompareTo(b.Id);
        });
        var result = new OutboxEntry[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            result[i] = rows[i].Entry;
        }

        return result;
    }
}
