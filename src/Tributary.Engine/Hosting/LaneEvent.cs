using Tributary.Core.Model;

namespace Tributary.Engine.Hosting;

/// <summary>What one round of a scheduled lane did, for the console, the dashboard and the alert totals.</summary>
/// <param name="Lane"><c>sweep</c>, <c>heal</c> (a sweep in which at least one entity was read in full) or <c>realtime</c>.</param>
/// <param name="At">When the round started (the service's clock).</param>
/// <param name="Pass">The pass that ran, if one did.</param>
/// <param name="Inbox">For the real-time lane: what it took from the inbox.</param>
/// <param name="Healed">Entities read in full in this round.</param>
/// <param name="Failure">Why the round failed (it is tried again at the next one).</param>
public sealed record LaneEvent(string Lane, DateTimeOffset At, PassReport? Pass, InboxReport? Inbox = null,
    IReadOnlyList<EntityKind>? Healed = null, Exception? Failure = null);
