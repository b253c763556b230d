using System.Security.Cryptography;
using System.Text;

namespace Tributary.Core.Diff;

/// <summary>Field-level diff of a projection against what the destination last accepted.</summary>
public static class FieldDiff
{
    /// <summary>
    /// The fields to send. A null projected value means the source has no value: it is not sent (and does not clear the
    /// destination) unless <paramref name="clearOnNull"/>. Empty when nothing changed.
    /// </summary>
    public static Dictionary<string, string?> Changes(IReadOnlyDictionary<string, string?> projected,
        IReadOnlyDictionary<string, string?>? delivered, bool clearOnNull = false)
    {
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (field, value) in projected)
        {
            string? before = null;
            var had = delivered is not null && delivered.TryGetValue(field, out before);
            if (value is null)
            {
                if (clearOnNull && had && before is not null)
                {
                    changes[field] = null;
                }

                continue;
            }

            if (!had || !string.Equals(before, value, StringComparison.Ordinal))
            {
                changes[field] = value;
            }
        }

        return changes;
    }

    /// <summary>The delivered state after the destination accepted <paramref name="changes"/>.</summary>
    public static Dictionary<string, string?> Apply(IReadOnlyDictionary<string, string?>? delivered, IReadOnlyDictionary<string, string?> changes)
    {
        var merged = delivered is null
            ? new Dictionary<string, string?>(StringComparer.Ordinal)
            : new Dictionary<string, string?>(delivered, StringComparer.Ordinal);
        foreach (var (field, value) in changes)
        {
            if (value is null)
            {
                merged.Remove(field);
            }
            else
            {
                merged[field] = value;
            }
        }

        return merged;
    }

    /// <summary>A stable hash of a field set (order-independent), for quick "unchanged" checks.</summary>
    public static string Hash(IReadOnlyDictionary<string, string?> fields)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in fields.Where(kv => kv.Value is not null).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(k).Append('\u001f').Append(v).Append('\u001e');
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()), hash);
        return Convert.ToHexString(hash[..16]);
    }

    /// <summary>
    /// True when <paramref name="changes"/> is the whole of <paramref name="fields"/> (every first delivery): a store then keeps the
    /// field set once and reads it back for both, which halves the JSON work of a backfill.
    /// </summary>
    public static bool SameFields(IReadOnlyDictionary<string, string?> fields, IReadOnlyDictionary<string, string?> changes)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(changes);
        if (ReferenceEquals(fields, changes))
        {
            return true;
        }

        if (fields.Count != changes.Count)
        {
            return false;
        }

        foreach (var (field, value) in changes)
        {
            if (!fields.TryGetValue(field, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
