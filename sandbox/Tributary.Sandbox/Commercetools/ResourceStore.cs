using System.Buffers;
using System.Text.Json;
using Tributary.Sandbox.Commercetools.Query;

namespace Tributary.Sandbox.Commercetools;

/// <summary>How a store reads ids and compares records on a sort field.</summary>
/// <typeparam name="T">The resource type.</typeparam>
internal interface IResourceShape<in T>
{
    /// <summary>The record's id.</summary>
    static abstract string IdOf(T item);

    /// <summary>Compares two records on one sort field (the query allowed only sortable fields).</summary>
    static abstract int CompareOn(T a, T b, string field);
}

/// <summary>
/// Resources keyed by id with a sorted id index, so an id-ordered page after a cursor costs a binary search plus the page.
/// Readers share a lock; writers take it alone. Pages are serialised inside the read lock, so a page is one consistent view.
/// </summary>
internal sealed class ResourceStore<T, TShape>
    where T : class
    where TShape : IResourceShape<T>
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, T> _byId = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _byId.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    public TResult Read<TResult>(Func<Dictionary<string, T>, TResult> read)
    {
        _lock.EnterReadLock();
        try { return read(_byId); }
        finally { _lock.ExitReadLock(); }
    }

    public TResult Write<TResult>(Func<Dictionary<string, T>, TResult> write)
    {
        _lock.EnterWriteLock();
        try { return write(_byId); }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Adds or replaces (caller holds no lock).</summary>
    public void Put(IEnumerable<T> items)
    {
        _lock.EnterWriteLock();
        try
        {
            var added = 0;
            foreach (var c in items)
            {
                if (_byId.TryAdd(TShape.IdOf(c), c))
                {
                    _ids.Add(TShape.IdOf(c));
                    added++;
                }
                else
                {
                    _byId[TShape.IdOf(c)] = c;
                }
            }

            if (added > 0)
            {
                _ids.Sort(StringComparer.Ordinal);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Adds one record; the caller holds the write lock (inside <see cref="Write{TResult}"/>).</summary>
    public void AddLocked(T item)
    {
        var id = TShape.IdOf(item);
        if (_byId.TryAdd(id, item))
        {
            var index = _ids.BinarySearch(id, StringComparer.Ordinal);
            _ids.Insert(~index, id);
        }
        else
        {
            _byId[id] = item;
        }
    }

    /// <summary>Removes one record; the caller holds the write lock.</summary>
    public bool RemoveLocked(string id)
    {
        if (!_byId.Remove(id))
        {
            return false;
        }

        var index = _ids.BinarySearch(id, StringComparer.Ordinal);
        if (index >= 0)
        {
            _ids.RemoveAt(index);
        }

        return true;
    }

    /// <summary>Runs a query and writes the paged response envelope.</summary>
    public ArrayBufferWriter<byte> Query(ResourceQuery query, Action<Utf8JsonWriter, T> write, Func<bool>? outOfOrder = null)
    {
        _lock.EnterReadLock();
        try
        {
            var (page, total) = query.IdOrdered ? ScanIdOrder(query) : SortAll(query);
            var buffer = new ArrayBufferWriter<byte>(256 + (page.Count * 900));
            using var w = new Utf8JsonWriter(buffer, WriterOptions);
            w.WriteStartObject();
            w.WriteNumber("limit", query.Limit);
            w.WriteNumber("offset", query.Offset);
            w.WriteNumber("count", page.Count);
            if (query.WithTotal)
            {
                // The platform caps the total at the maximum offset when a predicate is present.
                w.WriteNumber("total", query.HasPredicate ? Math.Min(total, ResourceQuery.MaxOffset) : total);
            }

            w.WriteStartArray("results");
            // A fault for tests: a page of two or more served in the reverse of the order asked for.
            var reversed = page.Count >= 2 && outOfOrder is not null && outOfOrder();
            foreach (var c in reversed ? page.AsEnumerable().Reverse() : page)
            {
                write(w, c);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.Flush();
            return buffer;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private (List<T> Page, long Total) ScanIdOrder(ResourceQuery query)
    {
        var page = new List<T>(Math.Min(query.Limit, 512));
        if (query.IdEquals is not null)
        {
            var hit = _byId.TryGetValue(query.IdEquals, out var c) && Matches(query, c) ? 1 : 0;
            if (hit == 1 && query.Offset == 0 && query.Limit > 0)
            {
                page.Add(c!);
            }

            return (page, hit);
        }

        var start = 0;
        if (query.IdFrom is not null)
        {
            var index = _ids.BinarySearch(query.IdFrom, StringComparer.Ordinal);
            start = index >= 0 ? (query.IdFromInclusive ? index : index + 1) : ~index;
        }

        long matched = 0;
        for (var i = start; i < _ids.Count; i++)
        {
            var c = _byId[_ids[i]];
            if (!Matches(query, c))
            {
                continue;
            }

            if (matched >= query.Offset && page.Count < query.Limit)
            {
                page.Add(c);
            }

            matched++;
            if (!query.WithTotal && page.Count == query.Limit && matched >= query.Offset)
            {
                break;
            }
        }

        return (page, matched);
    }

    /// <summary>
    /// A page in another order than by id: only the first offset + limit records in sort order are needed, so a bounded
    /// max-heap keeps them while the matches are counted (O(n log k) per page, not a full sort of every match per page, which
    /// made keyset paging over a large inventory quadratic).
    /// </summary>
    private (List<T> Page, long Total) SortAll(ResourceQuery query)
    {
        var keep = query.Offset + query.Limit;
        var order = Comparer<T>.Create((a, b) => Compare(a, b, query.Sort));
        var largestFirst = new PriorityQueue<T, T>(Comparer<T>.Create((a, b) => order.Compare(b, a)));
        long matched = 0;
        foreach (var c in _byId.Values)
        {
            if (!Matches(query, c))
            {
                continue;
            }

            matched++;
            if (largestFirst.Count < keep)
            {
                largestFirst.Enqueue(c, c);
            }
            else if (keep > 0 && order.Compare(c, largestFirst.Peek()) < 0)
            {
                largestFirst.DequeueEnqueue(c, c);
            }
        }

        var top = new List<T>(largestFirst.Count);
        while (largestFirst.Count > 0)
        {
            top.Add(largestFirst.Dequeue());
        }

        top.Reverse();
        return (top.Skip(query.Offset).Take(query.Limit).ToList(), matched);
    }

    private static bool Matches(ResourceQuery query, T c) => query.Filter is null || query.Filter(c);

    private static int Compare(T a, T b, IReadOnlyList<SortKey> keys)
    {
        foreach (var key in keys)
        {
            var c = TShape.CompareOn(a, b, key.Field);
            if (c != 0)
            {
                return key.Descending ? -c : c;
            }
        }

        // Ties fall back to id so pages are stable.
        return string.CompareOrdinal(TShape.IdOf(a), TShape.IdOf(b));
    }

    public static int CompareNullable(string? a, string? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        _ => string.CompareOrdinal(a, b),
    };
}
