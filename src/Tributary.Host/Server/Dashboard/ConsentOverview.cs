using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Host.Server.Dashboard;

/// <summary>The dashboard's consent view: ledger counts per party and channel, and the first conflicts to correct at the shop.</summary>
/// <param name="Parties">The source's row, then one per destination and channel.</param>
/// <param name="Conflicts">Opt-outs destinations hold while the shop says subscribed (the first 50).</param>
/// <param name="TotalConflicts">All such contacts.</param>
public sealed record ConsentOverview(IReadOnlyList<ConsentPartyRow> Parties, IReadOnlyList<ConsentConflict> Conflicts, long TotalConflicts)
{
    private const int ListedConflicts = 50;

    /// <summary>Reads the view from the ledger.</summary>
    public static async Task<ConsentOverview> ReadAsync(IConsentLedger ledger, CancellationToken cancellationToken)
    {
        var summary = await ledger.SummarizeConsentAsync(cancellationToken);
        var conflicts = summary.TotalConflicts == 0 ? [] : await ledger.ListConsentConflictsAsync(ListedConflicts, cancellationToken);
        var rows = summary.Counts
            .Select(c => (c.Destination, c.Channel))
            .Distinct()
            .OrderBy(p => p.Destination.Length == 0 ? 0 : 1).ThenBy(p => p.Destination, StringComparer.Ordinal).ThenBy(p => p.Channel, StringComparer.Ordinal)
            .Select(p => new ConsentPartyRow(p.Destination.Length == 0 ? "source" : p.Destination, p.Channel,
                summary.Count(p.Destination, ConsentSide.Source, p.Channel, ConsentStatus.Subscribed),
                summary.Count(p.Destination, ConsentSide.Written, p.Channel, ConsentStatus.Subscribed),
                summary.Count(p.Destination, ConsentSide.Reported, p.Channel, ConsentStatus.Subscribed),
                summary.Count(p.Destination, ConsentSide.Source, p.Channel, ConsentStatus.Unsubscribed),
                summary.Count(p.Destination, ConsentSide.Written, p.Channel, ConsentStatus.Unsubscribed),
                summary.Count(p.Destination, ConsentSide.Reported, p.Channel, ConsentStatus.Unsubscribed),
                p.Destination.Length == 0 ? 0 : summary.Conflicts.GetValueOrDefault(p.Destination)))
            .ToList();
        return new ConsentOverview(rows, conflicts, summary.TotalConflicts);
    }
}

/// <summary>One party's counts on one channel (source-side columns are 0 for a destination and the reverse).</summary>
public sealed record ConsentPartyRow(string Party, string Channel, long SourceSubscribed, long WrittenSubscribed, long ReportedSubscribed,
    long SourceUnsubscribed, long WrittenUnsubscribed, long ReportedUnsubscribed, long Conflicts);
