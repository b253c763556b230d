using Tributary.Connectors.Cin7Core.Mapping;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Cin7Core;

public sealed partial class Cin7CoreSource
{
    /// <summary>One listed record with its key and (when readable) its modification time.</summary>
    private sealed record Entry<T>(string Key, DateTimeOffset? Modified, T Item);

    /// <summary>
    /// The listed records of a read in key order (ordinal), after <see cref="SourceReadRequest.AfterKey"/>, inside the closed-open
    /// window. A key listed twice (it moved between pages while they were read) is kept once, in its newest form. A record whose
    /// time cannot be read stays in, so that mapping rejects it with its reason instead of losing it silently.
    /// </summary>
    private static List<Entry<T>> KeyOrdered<T>(IEnumerable<Entry<T>> entries, SourceReadRequest request)
    {
        var newest = new Dictionary<string, Entry<T>>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (request.AfterKey is { } after && string.CompareOrdinal(e.Key, after) <= 0)
            {
                continue;
            }

            if (e.Modified is { } m && ((request.ModifiedFrom is { } from && m < from) || (request.ModifiedBefore is { } before && m >= before)))
            {
                continue;
            }

            if (!newest.TryGetValue(e.Key, out var seen) || (e.Modified ?? DateTimeOffset.MinValue) >= (seen.Modified ?? DateTimeOffset.MinValue))
            {
                newest[e.Key] = e;
            }
        }

        var ordered = newest.Values.ToList();
        ordered.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return ordered;
    }

    /// <summary>Maps a chunk; a record that cannot be mapped becomes a rejection and never sinks its page.</summary>
    private static SourcePage Page<T>(EntityKind entity, IReadOnlyList<Entry<T>> chunk, Func<Entry<T>, CanonicalRecord> map, Func<Entry<T>, string> summarize)
    {
        var records = new List<CanonicalRecord>(chunk.Count);
        var rejected = new List<SourceRejection>();
        foreach (var e in chunk)
        {
            try
            {
                records.Add(map(e));
            }
            catch (UnmappableException ex)
            {
                rejected.Add(new SourceRejection(entity, e.Key, ex.Message, summarize(e)));
            }
        }

        return new SourcePage(records, chunk.Count == 0 ? null : chunk[^1].Key, rejected);
    }

    private static CanonicalRecord MapOrThrow(EntityKind entity, string key, Func<CanonicalRecord> map)
    {
        try
        {
            return map();
        }
        catch (UnmappableException e)
        {
            throw new Cin7CoreException(FailureKind.Invalid, $"Cin7 Core {entity} {key} cannot be mapped: {e.Message}", platformCode: "Unmappable");
        }
    }
}
