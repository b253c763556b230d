using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>
/// Where the source records of one entity went in a pass: every record read is in exactly one of the other columns, so
/// <c>Read = Unchanged + Changed + Skipped + Rejected</c>.
/// </summary>
/// <param name="Entity">The entity read.</param>
/// <param name="Read">Records read from the source (mapped and unmappable).</param>
/// <param name="Unchanged">Records every destination already holds as they are: no row was staged for them.</param>
/// <param name="Changed">Records that staged at least one destination row (their own, or a sales line, event or summary they imply).</param>
/// <param name="Skipped">Records left out on purpose (out of scope, merged, older than what was delivered), each counted by reason.</param>
/// <param name="Rejected">Records refused as they are: the source could not map them, or every destination quarantined them.</param>
public sealed record SourceBalance(EntityKind Entity, long Read, long Unchanged, long Changed, long Skipped, long Rejected)
{
    /// <summary>True when every record read is in exactly one column.</summary>
    public bool Balanced => Read == Unchanged + Changed + Skipped + Rejected;
}

/// <summary>
/// Where the destination rows of one destination and kind went in a pass: every row the pass staged, or found waiting from an
/// earlier pass and took up, ended in exactly one lane, so <c>Staged + Carried = Sent + Parked + Quarantined + Dead + Pending</c>.
/// </summary>
/// <param name="Destination">The destination.</param>
/// <param name="Kind">The kind of row (contacts, sales lines, events, summaries, catalogue rows).</param>
/// <param name="Staged">Rows this pass staged (to send, parked behind their contact, or quarantined at projection).</param>
/// <param name="Carried">Rows staged before this pass (retries, replays, real-time changes handed over) that this pass took up.</param>
/// <param name="Sent">Rows the destination accepted.</param>
/// <param name="Parked">Rows still waiting for their contact to reach the destination.</param>
/// <param name="Quarantined">Rows refused as invalid (at projection or by the destination).</param>
/// <param name="Dead">Rows that outlived their retries, or that the destination refused for good.</param>
/// <param name="Pending">Rows still due later: a retry scheduled after the pass, or held while a destination refuses its settings.</param>
/// <param name="Retried">Rows (not attempts) that needed at least one retry during the pass, whatever their end.</param>
/// <param name="Released">Rows that were parked during the pass and went on once their contact was delivered.</param>
public sealed record RowBalance(string Destination, EntityKind Kind, long Staged, long Carried, long Sent, long Parked, long Quarantined, long Dead,
    long Pending, long Retried, long Released)
{
    /// <summary>True when every row taken in hand ended in exactly one lane.</summary>
    public bool Balanced => Staged + Carried == Sent + Parked + Quarantined + Dead + Pending;
}
