using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>
/// The engine's traces and metrics, in one place: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>. A pass is one activity; each page it reads and each destination call it makes is a child activity tagged
/// with the number of record keys and the outcome. Tags never carry record values or keys: keys may be emails at some sources,
/// and a trace backend is not the place for personal data.
/// </summary>
public static class Telemetry
{
    /// <summary>The name of the activity source and of the meter (what an OpenTelemetry provider subscribes to).</summary>
    public const string Name = "Tributary";

    /// <summary>The activity source of passes, page reads and destination calls.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The meter of everything the service measures; the host adds its observed gauges to a meter of the same name.</summary>
    public static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Passes = Meter.CreateCounter<long>("tributary.passes", "{pass}",
        "Passes run, by outcome (completed, failed, halted, cancelled).");

    private static readonly Histogram<double> PassDuration = Meter.CreateHistogram<double>("tributary.pass.duration", "s",
        "How long passes take, by outcome.");

    private static readonly Counter<long> Pages = Meter.CreateCounter<long>("tributary.source.pages", "{page}",
        "Source pages read, diffed and staged, per entity.");

    private static readonly Counter<long> SourceRecords = Meter.CreateCounter<long>("tributary.source.records", "{record}",
        "Records read from the source (mapped and rejected), per entity.");

    private static readonly Counter<long> Delivered = Meter.CreateCounter<long>("tributary.delivery.records", "{record}",
        "Records decided by destination calls, by outcome (accepted, retry, quarantined, dead).");

    private static readonly Counter<long> SourceOutcomes = Meter.CreateCounter<long>("tributary.source.outcomes", "{record}",
        "Where each source record read by a pass went, per entity: unchanged, changed, skipped or rejected (they sum to the records read).");

    private static readonly Counter<long> DestinationRows = Meter.CreateCounter<long>("tributary.destination.rows", "{row}",
        "Where each destination row a pass took in hand ended, per destination and kind: sent, parked, quarantined, dead or pending.");

    private static readonly Counter<long> DestinationRowsTaken = Meter.CreateCounter<long>("tributary.destination.rows.taken", "{row}",
        "Destination rows a pass took in hand, per destination and kind: staged by it, or carried from an earlier pass (they sum to the rows).");

    private static readonly Counter<long> DestinationRowsRetried = Meter.CreateCounter<long>("tributary.destination.rows.retried", "{row}",
        "Destination rows (not attempts) that needed at least one retry in a pass, per destination and kind.");

    private static readonly Histogram<double> CallDuration = Meter.CreateHistogram<double>("tributary.destination.call.duration", "s",
        "How long destination calls take, by outcome.");

    /// <summary>Tag names shared by activities and metrics.</summary>
    public static class Tags
    {
        public const string Pipeline = "pipeline";
        public const string Destination = "destination";
        public const string Entity = "entity";
        public const string Outcome = "outcome";
        public const string Origin = "origin";
        public const string Records = "tributary.records";
        public const string Full = "tributary.full";
        public const string DryRun = "tributary.dry_run";
        public const string ErrorKind = "error.type";
        public const string StatusCode = "http.response.status_code";
    }

    /// <summary>Outcome names, the words the lanes use.</summary>
    public static class Outcomes
    {
        public const string Accepted = "accepted";
        public const string Retry = "retry";
        public const string Quarantined = "quarantined";
        public const string Dead = "dead";
        public const string Parked = "parked";
        public const string Mixed = "mixed";
        public const string Split = "split";
        public const string Staged = "staged";
        public const string Carried = "carried";
        public const string Sent = "sent";
        public const string Pending = "pending";
        public const string Planned = "planned";
        public const string Completed = "completed";
        public const string Failed = "failed";
        public const string Halted = "halted";
        public const string Cancelled = "cancelled";
    }

    // How a correlation id rides on an attempt's request summary, so the record trace can show it without a store change.
    private const string TraceMarker = " · trace ";

    internal static Activity? StartPass(string pipeline, PassOptions pass)
    {
        var activity = Source.StartActivity("tributary.pass");
        activity?.SetTag(Tags.Pipeline, pipeline).SetTag(Tags.Full, pass.Full).SetTag(Tags.DryRun, pass.DryRun);
        return activity;
    }

    internal static void PassCompleted(Activity? activity, PassReport report)
    {
        var c = report.Counters;
        activity?.SetTag(Tags.Outcome, Outcomes.Completed).SetTag(Tags.Records, c.Read).SetTag("tributary.changed", c.Changed)
            .SetTag("tributary.accepted", c.Sent).SetTag("tributary.retry", c.Retried).SetTag("tributary.quarantined", c.Quarantined)
            .SetTag("tributary.dead", c.Dead).SetTag("tributary.calls", c.Calls);
        CountPass(report.Pipeline, Outcomes.Completed, report.Duration);
        CountBalance(report.Pipeline, c);
    }

    /// <summary>
    /// A pass's balance as metrics: the same numbers the summary prints, so a dashboard built on <c>/metrics</c> adds up the
    /// same way (source outcomes sum to the records read; rows ended sum to rows taken).
    /// </summary>
    internal static void CountBalance(string pipeline, PassCounters counters)
    {
        foreach (var s in counters.Sources)
        {
            foreach (var (outcome, count) in new[] { ("unchanged", s.Unchanged), ("changed", s.Changed), ("skipped", s.Skipped), ("rejected", s.Rejected) })
            {
                if (count > 0)
                {
                    SourceOutcomes.Add(count, new TagList { { Tags.Pipeline, pipeline }, { Tags.Entity, Word(s.Entity) }, { Tags.Outcome, outcome } });
                }
            }
        }

        foreach (var r in counters.Rows)
        {
            var lanes = new[]
            {
                (Outcomes.Sent, r.Sent), (Outcomes.Parked, r.Parked), (Outcomes.Quarantined, r.Quarantined), (Outcomes.Dead, r.Dead),
                (Outcomes.Pending, r.Pending),
            };
            foreach (var (outcome, count) in lanes.Where(l => l.Item2 > 0))
            {
                DestinationRows.Add(count, Row(pipeline, r, Tags.Outcome, outcome));
            }

            foreach (var (origin, count) in new[] { (Outcomes.Staged, r.Staged), (Outcomes.Carried, r.Carried) }.Where(t => t.Item2 > 0))
            {
                DestinationRowsTaken.Add(count, Row(pipeline, r, Tags.Origin, origin));
            }

            if (r.Retried > 0)
            {
                DestinationRowsRetried.Add(r.Retried, Row(pipeline, r, null, null));
            }
        }

        static TagList Row(string pipeline, RowBalance r, string? name, string? value)
        {
            var tags = new TagList { { Tags.Pipeline, pipeline }, { Tags.Destination, r.Destination }, { Tags.Entity, Word(r.Kind) } };
            if (name is not null)
            {
                tags.Add(name, value);
            }

            return tags;
        }
    }

    internal static void PassFailed(Activity? activity, string pipeline, Exception error, TimeSpan elapsed)
    {
        var outcome = error switch
        {
            PipelineHaltedException => Outcomes.Halted,
            OperationCanceledException => Outcomes.Cancelled,
            _ => Outcomes.Failed,
        };
        activity?.SetTag(Tags.Outcome, outcome).SetTag(Tags.ErrorKind, error.GetType().Name);
        if (outcome != Outcomes.Cancelled)
        {
            // The type, not the message: platform messages may quote the record they refused.
            activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        }

        CountPass(pipeline, outcome, elapsed);
    }

    private static void CountPass(string pipeline, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { Tags.Pipeline, pipeline }, { Tags.Outcome, outcome } };
        Passes.Add(1, tags);
        PassDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>One round of the real-time lane: the notified records re-read and staged, then their delivery (a pass, or calls).</summary>
    internal static Activity? StartRealtime(string pipeline, int notifications) =>
        Source.StartActivity("tributary.realtime")?.SetTag(Tags.Pipeline, pipeline).SetTag(Tags.Records, notifications);

    /// <summary>One page of the source: read, diffed and staged (the next page is fetched meanwhile).</summary>
    internal static Activity? StartPage(string pipeline, EntityKind entity, SourcePage page, bool dryRun)
    {
        var read = page.Records.Count + page.Rejected.Count;
        var tags = new TagList { { Tags.Pipeline, pipeline }, { Tags.Entity, Word(entity) } };
        Pages.Add(1, tags);
        SourceRecords.Add(read, tags);
        var activity = Source.StartActivity("tributary.page");
        activity?.SetTag(Tags.Pipeline, pipeline).SetTag(Tags.Entity, Word(entity)).SetTag(Tags.Records, read)
            .SetTag("tributary.rejected", page.Rejected.Count).SetTag(Tags.Outcome, dryRun ? Outcomes.Planned : Outcomes.Staged);
        return activity;
    }

    /// <summary>One call to a destination with a batch of records; dispose it when the call's outcomes are known.</summary>
    internal static Call StartCall(string pipeline, string destination, EntityKind entity, int records)
    {
        var activity = Source.StartActivity("tributary.destination.call", ActivityKind.Client);
        activity?.SetTag(Tags.Pipeline, pipeline).SetTag(Tags.Destination, destination).SetTag(Tags.Entity, Word(entity))
            .SetTag(Tags.Records, records);
        return new Call(activity, pipeline, destination, entity);
    }

    /// <summary>
    /// The request summary of an attempt with the current trace id appended: the record's correlation id, shown in its trace on
    /// the dashboard and searchable in the trace backend.
    /// </summary>
    internal static string Correlated(string summary) =>
        Activity.Current is { } current ? summary + TraceMarker + current.TraceId.ToHexString() : summary;

    /// <summary>Splits an attempt's stored request summary into what was sent and the trace (correlation) id, if any.</summary>
    public static (string? Request, string? TraceId) Correlation(string? summary)
    {
        var at = summary?.LastIndexOf(TraceMarker, StringComparison.Ordinal) ?? -1;
        return at < 0 ? (summary, null) : (summary![..at], summary[(at + TraceMarker.Length)..]);
    }

    private static string Word(EntityKind entity) => entity.ToString().ToLowerInvariant();

    private static string OutcomeOf(OutboxStatus? status) => status switch
    {
        null => Outcomes.Accepted,
        OutboxStatus.Pending => Outcomes.Retry,
        OutboxStatus.Quarantined => Outcomes.Quarantined,
        OutboxStatus.Dead => Outcomes.Dead,
        _ => Outcomes.Parked,
    };

    /// <summary>A destination call in flight: its activity, and its duration for the call histogram.</summary>
    internal sealed class Call(Activity? activity, string pipeline, string destination, EntityKind entity) : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private string _outcome = Outcomes.Failed;
        private bool _done;

        /// <summary>The destination answered: each record's outcome is counted and the call tagged with the lanes they went to.</summary>
        public void Decided(IReadOnlyList<DeliveryOutcome> outcomes)
        {
            var counts = outcomes.GroupBy(o => OutcomeOf(o.Status)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var (outcome, count) in counts)
            {
                Delivered.Add(count, new TagList
                {
                    { Tags.Pipeline, pipeline }, { Tags.Destination, destination }, { Tags.Entity, Word(entity) }, { Tags.Outcome, outcome },
                });
                activity?.SetTag("tributary." + outcome, count);
            }

            _outcome = counts.Count == 1 ? counts.Keys.First() : Outcomes.Mixed;
            activity?.SetTag(Tags.Outcome, _outcome);
        }

        /// <summary>The call failed as a whole: the status says why (the failure kind and the HTTP status, never the message).</summary>
        public void Failed(FailureKind kind, int? statusCode)
        {
            activity?.SetTag(Tags.ErrorKind, kind.ToString()).SetTag(Tags.StatusCode, statusCode)
                .SetStatus(ActivityStatusCode.Error, statusCode is { } s ? $"{kind} ({s})" : kind.ToString());
        }

        /// <summary>The batch was refused as invalid and is split: this call ends here, its halves are calls of their own.</summary>
        public void Split()
        {
            _outcome = Outcomes.Split;
            activity?.SetTag(Tags.Outcome, Outcomes.Split);
            Dispose();
        }

        public void Dispose()
        {
            if (_done)
            {
                return;
            }

            _done = true;
            activity?.Stop();
            CallDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, new TagList
            {
                { Tags.Pipeline, pipeline }, { Tags.Destination, destination }, { Tags.Entity, Word(entity) }, { Tags.Outcome, _outcome },
            });
        }
    }
}
