using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>
/// What became of the records of one source page while every destination diffed it and what it implies (an order's sales
/// lines, events and customer summary; a stock level's events), settled into one outcome per record once the page is staged.
/// A record is changed when it, or anything derived from it, staged a row at any destination; rejected when the source could
/// not map it or every destination quarantined it; skipped when left out on purpose; unchanged otherwise.
/// </summary>
internal sealed class PageTally
{
    private const string OlderThanDelivered = "older than the version already delivered";

    private readonly Dictionary<string, string> _skipped = new(StringComparer.Ordinal);
    private readonly Dictionary<(EntityKind, string), Mark> _marks = [];
    private readonly List<CanonicalRecord> _derivedChanges = [];

    [Flags]
    internal enum Mark
    {
        None = 0,
        Unchanged = 1,
        Changed = 2,
        Quarantined = 4,
        Stale = 8,
    }

    /// <summary>A record left out on purpose, with the reason.</summary>
    public void Skip(string key, string reason) => _skipped.TryAdd(key, reason);

    /// <summary>What one destination's diff did with one record of a page (the page's own kind or a derived one).</summary>
    public void Note(EntityKind kind, CanonicalRecord record, Mark mark)
    {
        var at = (kind, record.Key);
        _marks[at] = _marks.GetValueOrDefault(at) | mark;
        if (mark == Mark.Changed)
        {
            _derivedChanges.Add(record);
        }
    }

    /// <summary>Settles each record of <paramref name="page"/> (read as <paramref name="entity"/>) into the pass's source balance.</summary>
    public void Settle(EntityKind entity, SourcePage page, PassCounters counters)
    {
        var changedByDerived = DerivedOrigins(entity, page);
        foreach (var record in page.Records)
        {
            if (_skipped.TryGetValue(record.Key, out var reason))
            {
                counters.AddSource(entity, SourceOutcome.Skipped, reason);
                continue;
            }

            var mark = _marks.GetValueOrDefault((entity, record.Key));
            if ((mark & Mark.Changed) != 0 || changedByDerived.Contains(record.Key))
            {
                counters.AddSource(entity, SourceOutcome.Changed);
            }
            else if ((mark & Mark.Unchanged) != 0)
            {
                counters.AddSource(entity, SourceOutcome.Unchanged);
            }
            else if ((mark & Mark.Quarantined) != 0)
            {
                counters.AddSource(entity, SourceOutcome.Rejected);
            }
            else if ((mark & Mark.Stale) != 0)
            {
                counters.AddSource(entity, SourceOutcome.Skipped, OlderThanDelivered);
            }
            else
            {
                // No destination takes this kind itself and nothing derived from it changed (stock levels for a destination
                // that only takes their events): nothing to send.
                counters.AddSource(entity, SourceOutcome.Unchanged);
            }
        }

        foreach (var _ in page.Rejected)
        {
            counters.AddSource(entity, SourceOutcome.Rejected);
        }
    }

    /// <summary>Keys of the page's records a changed derived record came from: an event's subject, a summary's orders.</summary>
    private HashSet<string> DerivedOrigins(EntityKind entity, SourcePage page)
    {
        var origins = new HashSet<string>(StringComparer.Ordinal);
        var summaries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var derived in _derivedChanges.Where(r => r.Kind != entity))
        {
            switch (derived)
            {
                case CommerceEvent { SubjectId: { } subject }:
                    origins.Add(subject);
                    break;
                case CustomerSummary summary:
                    summaries.Add(summary.CustomerId);
                    break;
            }
        }

        if (summaries.Count > 0)
        {
            foreach (var order in page.Records.OfType<Order>().Where(o => o.CustomerId is { } c && summaries.Contains(c)))
            {
                origins.Add(order.Key);
            }
        }

        return origins;
    }
}
