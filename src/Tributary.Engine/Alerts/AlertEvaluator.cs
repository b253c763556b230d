using System.Globalization;
using Tributary.Core.Contracts;

namespace Tributary.Engine.Alerts;

/// <summary>
/// Turns a series of <see cref="AlertSnapshot"/>s into notices. Deterministic and free of I/O: time comes from the
/// <see cref="TimeProvider"/>, so tests drive it by moving a clock. Each rule names a root cause; a cause that stays true
/// produces one firing notice, and one recovered notice when it clears, however often it is evaluated in between.
/// </summary>
public sealed class AlertEvaluator
{
    private readonly AlertOptions _options;
    private readonly TimeProvider _time;
    private readonly List<(DateTimeOffset At, AlertSnapshot Snapshot)> _samples = [];
    private readonly Dictionary<string, AlertNotice> _open = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastDeliveryAt;
    private long _deliveredSeen = -1;
    private long _changesAtLastDelivery;

    /// <summary>Creates an evaluator.</summary>
    public AlertEvaluator(AlertOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Alerts open now (fired and not recovered), by root cause.</summary>
    public IReadOnlyCollection<AlertNotice> Open => _open.Values;

    /// <summary>Evaluates every rule against the snapshot and returns the notices due: new firings and recoveries only.</summary>
    public IReadOnlyList<AlertNotice> Evaluate(AlertSnapshot snapshot)
    {
        var now = _time.GetUtcNow();
        _samples.Add((now, snapshot));
        // Keep one sample at or before the window's start as the baseline of every difference.
        while (_samples.Count > 2 && _samples[1].At <= now - _options.Window)
        {
            _samples.RemoveAt(0);
        }

        var baseline = _samples[0].Snapshot;
        var conditions = new Dictionary<string, (bool? Active, string Title, string Detail)>(StringComparer.Ordinal);
        Freshness(snapshot, now, conditions);
        FailureRate(snapshot, baseline, conditions);
        LaneGrowth(snapshot, baseline, conditions);
        Budgets(snapshot, baseline, conditions);
        FeedGuard(snapshot, conditions);
        ConsentConflicts(snapshot, conditions);

        var notices = new List<AlertNotice>();
        foreach (var (key, (active, title, detail)) in conditions)
        {
            if (active == true && !_open.ContainsKey(key))
            {
                var notice = new AlertNotice(key, AlertState.Firing, title, detail, now);
                _open[key] = notice;
                notices.Add(notice);
            }
            else if (active == false && _open.Remove(key, out var fired))
            {
                notices.Add(new AlertNotice(key, AlertState.Recovered, fired.Title, detail, now));
            }
        }

        return notices;
    }

    private void Freshness(AlertSnapshot s, DateTimeOffset now, Dictionary<string, (bool?, string, string)> conditions)
    {
        if (_lastDeliveryAt is null || s.Delivered > _deliveredSeen)
        {
            _lastDeliveryAt = now;
            _changesAtLastDelivery = s.SourceChanges;
        }

        _deliveredSeen = s.Delivered;
        var silence = now - _lastDeliveryAt.Value;
        var waiting = s.Pending > 0 || s.SourceChanges > _changesAtLastDelivery;
        var stale = waiting && silence >= _options.Freshness;
        conditions[$"freshness:{s.Pipeline}"] = (stale,
            $"{s.Pipeline}: nothing delivered for {Span(silence)} while changes wait",
            stale
                ? $"{s.Pending:N0} record(s) are waiting to be sent and no destination has accepted anything since {_lastDeliveryAt:yyyy-MM-dd HH:mm} UTC. " +
                  "Check that the service runs, then `tributary check` for credentials and connections."
                : "Deliveries are flowing again.");
    }

    private void FailureRate(AlertSnapshot s, AlertSnapshot baseline, Dictionary<string, (bool?, string, string)> conditions)
    {
        var failed = s.Failed - baseline.Failed;
        var outcomes = failed + (s.Delivered - baseline.Delivered);
        bool? active = outcomes == 0 ? false : outcomes < _options.MinOutcomes ? null : (double)failed / outcomes >= _options.FailureRate;
        var share = outcomes == 0 ? 0 : (double)failed / outcomes;
        conditions[$"failure-rate:{s.Pipeline}"] = (active,
            $"{s.Pipeline}: {Percent(share)} of deliveries failed in the last {Span(_options.Window)}",
            active == true
                ? $"{failed:N0} of {outcomes:N0} delivery outcomes were retries or dead records (alert at {Percent(_options.FailureRate)}). " +
                  "The destination may be struggling, or a mapping sends values it refuses: the lane table of `tributary sync` shows the reasons."
                : $"Failures are back under {Percent(_options.FailureRate)} ({failed:N0} of {outcomes:N0}).");
    }

    private void LaneGrowth(AlertSnapshot s, AlertSnapshot baseline, Dictionary<string, (bool?, string, string)> conditions)
    {
        var destinations = s.Lanes.Concat(baseline.Lanes).Select(l => l.Destination).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var destination in destinations)
        {
            foreach (var (lane, word, advice) in new[]
            {
                (OutboxStatus.Quarantined, "quarantined", "records are invalid (usually customer emails or a field mapping): fix them at the source, they follow on the next sync"),
                (OutboxStatus.Dead, "dead", "deliveries keep failing for a reason that is not the data: fix the cause, then `tributary replay --lane dead`"),
            })
            {
                var now = s.Lane(destination, lane);
                var growth = now - baseline.Lane(destination, lane);
                bool? active = growth >= _options.LaneGrowth ? true : growth * 2 < _options.LaneGrowth ? false : null;
                conditions[$"{word}:{s.Pipeline}:{destination}"] = (active,
                    $"{s.Pipeline}: {word} records for {destination} grow",
                    active == true
                        ? $"{growth:N0} new {word} record(s) in the last {Span(_options.Window)}, {now:N0} in all. {char.ToUpperInvariant(advice[0])}{advice[1..]}."
                        : $"The {word} lane of {destination} has stopped growing ({now:N0} in all).");
            }
        }
    }

    private void Budgets(AlertSnapshot s, AlertSnapshot baseline, Dictionary<string, (bool?, string, string)> conditions)
    {
        foreach (var (budget, total) in s.Throttles)
        {
            var throttles = total - baseline.Throttles.GetValueOrDefault(budget);
            bool? active = throttles >= _options.BudgetThrottles ? true : throttles * 2 < _options.BudgetThrottles ? false : null;
            conditions[$"budget:{s.Pipeline}:{budget}"] = (active,
                $"{s.Pipeline}: the {budget} request budget is exhausted",
                active == true
                    ? $"{budget} answered \"too many requests\" {throttles:N0} times in the last {Span(_options.Window)}. Another integration may share the " +
                      "API user's quota, or the configured requestsPerMinute is above the account's limit; deliveries slow down but nothing is lost."
                    : $"{budget} accepts the request rate again.");
        }
    }

    private static void FeedGuard(AlertSnapshot s, Dictionary<string, (bool?, string, string)> conditions)
    {
        if (s.FeedGuardTrips == 0 && s.FeedRefusal is null)
        {
            return;
        }

        conditions[$"feed-guard:{s.Pipeline}"] = (s.FeedRefusal is not null,
            $"{s.Pipeline}: the catalogue feed was refused by its drop guard",
            s.FeedRefusal is { } reason
                ? $"{reason}. Emarsys keeps importing the last good feed. Check the product source (a broken publish, a filter) before raising catalogue.maxDropPercent."
                : "The catalogue feed is served again.");
    }

    private static void ConsentConflicts(AlertSnapshot s, Dictionary<string, (bool?, string, string)> conditions)
    {
        foreach (var (destination, conflicts) in s.ConsentConflicts ?? new Dictionary<string, long>())
        {
            conditions[$"consent:{s.Pipeline}:{destination}"] = (conflicts > 0,
                $"{s.Pipeline}: {destination} holds opt-outs the shop still calls subscribed",
                conflicts > 0
                    ? $"{conflicts:N0} contact(s) opted out in {destination} (an unsubscribe link, a preference page, a bounce) after the shop's " +
                      "opt-in, and the shop still says subscribed. Their opt-out is kept; correct their consent in the shop. " +
                      "The dashboard's consent view lists them."
                    : $"The shop and {destination} agree on every opt-out again.");
        }
    }

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Span(TimeSpan span) => span.TotalHours >= 1
        ? $"{span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h"
        : $"{Math.Max(0, (int)span.TotalMinutes)} min";
}
