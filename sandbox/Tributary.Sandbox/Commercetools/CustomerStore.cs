using System.Buffers;
using System.Text.Json;
using Tributary.Sandbox.Commercetools.Query;

namespace Tributary.Sandbox.Commercetools;

/// <summary>
/// Customers keyed by id with a sorted id index, so an id-ordered page after a cursor costs a binary search plus the page.
/// Readers share a lock; writers take it alone. Pages are serialised inside the read lock, so a page is one consistent view.
/// </summary>
internal sealed class CustomerStore
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, SandboxCustomer> _byId = new(StringComparer.Ordinal);
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

    public T Read<T>(Func<Dictionary<string, SandboxCustomer>, T> read)
    {
        _lock.EnterReadLock();
        try { return read(_byId); }
        finally { _lock.ExitReadLock(); }
    }

    public T Write<T>(Func<Dictionary<string, SandboxCustomer>, T> write)
    {
        _lock.EnterWriteLock();
        try { return write(_byId); }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Adds or replaces (caller holds no lock).</summary>
    public void Put(IEnumerable<SandboxCustomer> customers)
    {
        _lock.EnterWriteLock();
        try
        {
            var added = 0;
            foreach (var c in customers)
            {
                if (_byId.TryAdd(c.Id!, c))
                {
                    _ids.Add(c.Id!);
                    added++;
                }
                else
                {
                    _byId[c.Id!] = c;
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

    /// <summary>Adds one record; the caller holds the write lock (inside <see cref="Write{T}"/>).</summary>
    public void AddLocked(SandboxCustomer customer)
    {
        if (_byId.TryAdd(customer.Id!, customer))
        {
            var index = _ids.BinarySearch(customer.Id!, StringComparer.Ordinal);
            _ids.Insert(~index, customer.Id!);
        }
        else
        {
            _byId[customer.Id!] = customer;
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
    public ArrayBufferWriter<byte> Query(CustomerQuery query)
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
                w.WriteNumber("total", query.HasPredicate ? Math.Min(total, CustomerQuery.MaxOffset) : total);
            }

            w.WriteStartArray("results");
            foreach (var c in page)
            {
                CustomerJson.Write(w, c);
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

    private (List<SandboxCustomer> Page, long Total) ScanIdOrder(CustomerQuery query)
    {
        var page = new List<SandboxCustomer>(Math.Min(query.Limit, 512));
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

    private (List<SandboxCustomer> Page, long Total) SortAll(CustomerQuery query)
    {
        var all = _byId.Values.Where(c => Matches(query, c)).ToList();
        all.Sort((a, b) => Compare(a, b, query.Sort));
        return (all.Skip(query.Offset).Take(query.Limit).ToList(), all.Count);
    }

    private static bool Matches(CustomerQuery query, SandboxCustomer c) => query.Filter is null || query.Filter(c);

    private static int Compare(SandboxCustomer a, SandboxCustomer b, IReadOnlyList<SortKey> keys)
    {
        foreach (var key in keys)
        {
            var c = key.Field switch
            {
                "lastModifiedAt" => a.LastModifiedAt.UtcTicks.CompareTo(b.LastModifiedAt.UtcTicks),
                "createdAt" => a.CreatedAt.UtcTicks.CompareTo(b.CreatedAt.UtcTicks),
                "version" => a.Version.CompareTo(b.Version),
                "email" => CompareNullable(a.Email, b.Email),
                "key" => CompareNullable(a.Key, b.Key),
                "customerNumber" => CompareNullable(a.CustomerNumber, b.CustomerNumber),
                "firstName" => CompareNullable(a.FirstName, b.FirstName),
                "lastName" => CompareNullable(a.LastName, b.LastName),
                _ => string.CompareOrdinal(a.Id, b.Id),
            };
            if (c != 0)
            {
                return key.Descending ? -c : c;
            }
        }

        // Ties fall back to id so pages are stable.
        return string.CompareOrdinal(a.Id, b.Id);
    }

    private static int CompareNullable(string? a, string? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        _ => string.CompareOrdinal(a, b),
    };
}
