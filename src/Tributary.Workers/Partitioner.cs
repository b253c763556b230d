using System.Text;

namespace Tributary.Workers;

/// <summary>Maps an entity key to its partition: every change of one key goes to one queue, so one consumer sees them in order.</summary>
public static class Partitioner
{
    /// <summary>
    /// The partition of <paramref name="key"/> among <paramref name="partitions"/>: FNV-1a over the key's UTF-8 bytes, so every
    /// process and every .NET version agrees (string.GetHashCode is randomised per process).
    /// </summary>
    public static int PartitionOf(string key, int partitions)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(key) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(key, buffer)] : Encoding.UTF8.GetBytes(key);
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return (int)(hash % (uint)partitions);
    }

    /// <summary>
    /// The partitions a member owns when <paramref name="members"/> workers are alive and it is the <paramref name="rank"/>-th
    /// (0-based) of them: every partition has exactly one owner, and shares differ by at most one.
    /// </summary>
    public static IReadOnlyList<int> Owned(int partitions, int members, int rank)
    {
        if (members < 1 || rank < 0 || rank >= members)
        {
            return [];
        }

        var owned = new List<int>();
        for (var p = rank; p < partitions; p += members)
        {
            owned.Add(p);
        }

        return owned;
    }
}
