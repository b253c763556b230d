using System.Globalization;

namespace Tributary.Sandbox.Emarsys;

/// <summary>A contact as a test sees it: a snapshot, values as the API stores them (strings).</summary>
/// <param name="Id">Internal contact id.</param>
/// <param name="Uid">The contact's uid.</param>
/// <param name="Fields">Field id → value; cleared fields are absent.</param>
public sealed record EmarsysContact(long Id, string Uid, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// The emulator's contacts, keyed by internal id and uid. Email is not unique (as in Emarsys), so lookups by a field return
/// every match. Lookups by a field build an index for that field on first use and keep it up to date afterwards.
/// Not thread-safe: the emulator serialises access.
/// </summary>
internal sealed class EmarsysContactStore
{
    /// <summary>The internal id pseudo key.</summary>
    public const string IdKey = "id";

    /// <summary>The uid pseudo key.</summary>
    public const string UidKey = "uid";

    private const string UidAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Dictionary<long, StoredContact> _byId = [];
    private readonly Dictionary<string, StoredContact> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, List<StoredContact>>> _indexes = new(StringComparer.Ordinal);
    private readonly Random _random = new(31);
    private long _nextId = 100_000_001;

    public int Count => _byId.Count;

    public IEnumerable<StoredContact> All => _byId.Values;

    /// <summary>Every contact whose key equals <paramref name="value"/>.</summary>
    public IReadOnlyList<StoredContact> Find(string keyId, string value)
    {
        switch (keyId)
        {
            case IdKey:
                return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && _byId.TryGetValue(id, out var c)
                    ? [c]
                    : [];
            case UidKey:
                return _byUid.TryGetValue(value, out var u) ? [u] : [];
            default:
                return IndexFor(keyId).TryGetValue(value, out var list) ? list : [];
        }
    }

    public StoredContact Create()
    {
        string uid;
        do
        {
            uid = string.Create(10, _random, static (span, r) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = UidAlphabet[r.Next(UidAlphabet.Length)];
                }
            });
        }
        while (_byUid.ContainsKey(uid));

        var contact = new StoredContact(_nextId++, uid);
        _byId[contact.Id] = contact;
        _byUid[uid] = contact;
        return contact;
    }

    /// <summary>Sets (or with null clears) one field, keeping indexes current.</summary>
    public void Set(StoredContact contact, string fieldKey, string? value)
    {
        contact.Fields.TryGetValue(fieldKey, out var old);
        if (string.Equals(old, value, StringComparison.Ordinal))
        {
            return;
        }

        if (_indexes.TryGetValue(fieldKey, out var index))
        {
            if (old is not null)
            {
                Unindex(index, old, contact);
            }

            if (value is not null)
            {
                Index(index, value, contact);
            }
        }

        if (value is null)
        {
            contact.Fields.Remove(fieldKey);
        }
        else
        {
            contact.Fields[fieldKey] = value;
        }
    }

    public void Delete(StoredContact contact)
    {
        _byId.Remove(contact.Id);
        _byUid.Remove(contact.Uid);
        foreach (var (fieldKey, index) in _indexes)
        {
            if (contact.Fields.TryGetValue(fieldKey, out var value))
            {
                Unindex(index, value, contact);
            }
        }
    }

    public void Clear()
    {
        _byId.Clear();
        _byUid.Clear();
        _indexes.Clear();
    }

    private Dictionary<string, List<StoredContact>> IndexFor(string fieldKey)
    {
        if (!_indexes.TryGetValue(fieldKey, out var index))
        {
            index = new Dictionary<string, List<StoredContact>>(StringComparer.Ordinal);
            foreach (var contact in _byId.Values)
            {
                if (contact.Fields.TryGetValue(fieldKey, out var value))
                {
                    Index(index, value, contact);
                }
            }

            _indexes[fieldKey] = index;
        }

        return index;
    }

    private static void Index(Dictionary<string, List<StoredContact>> index, string value, StoredContact contact)
    {
        if (!index.TryGetValue(value, out var list))
        {
            list = new List<StoredContact>(1);
            index[value] = list;
        }

        list.Add(contact);
    }

    private static void Unindex(Dictionary<string, List<StoredContact>> index, string value, StoredContact contact)
    {
        if (index.TryGetValue(value, out var list))
        {
            list.Remove(contact);
            if (list.Count == 0)
            {
                index.Remove(value);
            }
        }
    }
}

/// <summary>A stored contact (mutable, guarded by the emulator's lock).</summary>
internal sealed class StoredContact(long id, string uid)
{
    public long Id { get; } = id;

    public string Uid { get; } = uid;

    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public EmarsysContact Snapshot() => new(Id, Uid, new Dictionary<string, string>(Fields, StringComparer.Ordinal));
}
