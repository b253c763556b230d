using Tributary.Core.Contracts;

namespace Tributary.Engine.Alerts;

/// <summary>
/// What the service knows at one moment, as cumulative totals since it started (the evaluator derives rates and growth from
/// the difference between snapshots): lane counts, delivery outcomes, budgets and the catalogue feed guard.
/// </summary>
/// <param name="Pipeline">Pipeline name, part of every root-cause key.</param>
/// <param name="Lanes">Outbox rows per destination, entity and lane (<see cref="ILaneStore.CountLanesAsync"/>).</param>
/// <param name="Delivered">Records the destinations accepted since start.</param>
/// <param name="Failed">Delivery outcomes that were not accepted (a retry scheduled, a record moved to dead) since start; refused records show as quarantine growth.</param>
/// <param name="SourceChanges">Records the source reported changed since start (changed in passes, notifications received).</param>
/// <param name="Throttles">Rate-limited answers per destination budget since start.</param>
/// <param name="FeedGuardTrips">Catalogue feeds refused by the drop guard since start.</param>
/// <param name="FeedRefusal">Why the last feed was refused; null when the last feed was served.</param>
/// <param name="ConsentConflicts">Per destination: contacts it holds opted out while the source still says subscribed (consent ledger).</param>
public sealed record AlertSnapshot(string Pipeline, IReadOnlyList<LaneCount> Lanes, long Delivered, long Failed, long SourceChanges,
    IReadOnlyDictionary<string, long> Throttles, long FeedGuardTrips = 0, string? FeedRefusal = null,
    IReadOnlyDictionary<string, long>? ConsentConflicts = null)
{
    /// <summary>Records waiting to be sent (pending lane).</summary>
    public long Pending => Lanes.Where(l => l.Status == OutboxStatus.Pending).Sum(l => l.Count);

    /// <summary>Rows of one lane for one destination.</summary>
    public long Lane(string destination, OutboxStatus status) =>
        Lanes.Where(l => l.Status == status && string.Equals(l.Destination, destination, StringComparison.Ordinal)).Sum(l => l.Count);
}

/// <summary>Whether a notice opens or closes an alert.</summary>
public enum AlertState
{
    /// <summary>The condition started: sent once per root cause.</summary>
    Firing,
    /// <summary>The condition ended: sent once, after a firing notice.</summary>
    Recovered,
}

/// <summary>One notice for people: the root cause, what happened in plain words, and what to do.</summary>
/// <param name="Key">Root cause (<c>freshness:shop-eu</c>, <c>dead:shop-eu:emarsys</c>); one firing and one recovered notice per key.</param>
/// <param name="State">Firing or recovered.</param>
/// <param name="Title">One line.</param>
/// <param name="Detail">What was measured and what to do.</param>
/// <param name="At">When the evaluator saw it.</param>
public sealed record AlertNotice(string Key, AlertState State, string Title, string Detail, DateTimeOffset At)
{
    /// <summary>The notice as one message text (title, then detail).</summary>
    public string Text => $"{(State == AlertState.Firing ? "ALERT" : "RECOVERED")}: {Title}\n{Detail}";
}
