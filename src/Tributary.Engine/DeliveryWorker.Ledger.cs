using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

internal sealed partial class DeliveryWorker
{
    private static string LedgerKey(OutboxEntry entry, string fact) => $"{entry.Destination}|{entry.Entity}|{entry.Key}|{fact}";

    /// <summary>
    /// Append-once kinds go through the sent-once ledger: every fact is marked intended (durably) before the call and sent after
    /// it. A fact found already sent is dropped from the call; one found intended but never confirmed (the process died
    /// mid-call) is uncertain and follows the pipeline's policy. Returns the items to send and the outcomes already decided.
    /// </summary>
    private async Task<(List<OutboxEntry> Send, List<DeliveryOutcome> Decided)> GuardFactsAsync(IReadOnlyList<OutboxEntry> batch,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var keys = batch.SelectMany(e => e.Changes.Keys.Select(f => LedgerKey(e, f))).ToList();
        var prior = await _ledger.MarkIntendedAsync(keys, now, cancellationToken);
        if (prior.Count == 0)
        {
            return (batch.ToList(), []);
        }

        var send = new List<OutboxEntry>();
        var decided = new List<DeliveryOutcome>();
        foreach (var entry in batch)
        {
            var remaining = new Dictionary<string, string?>(StringComparer.Ordinal);
            var uncertain = new List<string>();
            foreach (var (fact, payload) in entry.Changes)
            {
                if (!prior.TryGetValue(LedgerKey(entry, fact), out var state))
                {
                    remaining[fact] = payload;
                }
                else if (state.Uncertain)
                {
                    if (_options.Uncertain == UncertainPolicy.Resend)
                    {
                        remaining[fact] = payload;
                    }
                    else
                    {
                        uncertain.Add(fact);
                    }
                }
            }

            if (remaining.Count > 0)
            {
                // Facts that are certainly new go out now; an uncertain one comes back on the next diff and is decided alone.
                send.Add(entry with { Changes = remaining });
            }
            else if (uncertain.Count > 0)
            {
                decided.Add(new DeliveryOutcome(entry, OutboxStatus.Dead, now, ErrorKind: null,
                    Message: $"uncertain: {string.Join(", ", uncertain)} may already have reached {Name} (the process stopped during the call); " +
                             "not resent to avoid a duplicate. Check the destination, then replay with --resend-uncertain if it is missing.",
                    RequestSummary: Summary(entry)));
            }
            else
            {
                // Everything was already sent: the record is done.
                decided.Add(new DeliveryOutcome(entry, null, now, RequestSummary: "already sent"));
            }
        }

        return (send, decided);
    }

    private async Task ConfirmFactsAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        var sent = outcomes.Where(o => o.Accepted).SelectMany(o => o.Entry.Changes.Keys.Select(f => LedgerKey(o.Entry, f))).ToList();
        var refused = outcomes.Where(o => !o.Accepted).SelectMany(o => o.Entry.Changes.Keys.Select(f => LedgerKey(o.Entry, f))).ToList();
        if (sent.Count > 0)
        {
            await _ledger.MarkSentAsync(sent, _time.GetUtcNow(), cancellationToken);
        }

        if (refused.Count > 0)
        {
            // The destination answered with an error: those facts were not applied and may be sent again later.
            await _ledger.ReleaseIntentsAsync(refused, cancellationToken);
        }
    }

    /// <summary>
    /// What the call learnt about consent (the value written, the value the destination reported) goes to the consent ledger. A
    /// failure to record is logged, never fails the delivery it describes.
    /// </summary>
    private async Task RecordConsentAsync(DeliveryResult result, CancellationToken cancellationToken)
    {
        if (_consent is null || result.Consent is not { Count: > 0 } learnt)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var entries = new List<ConsentEntry>();
        foreach (var (key, observations) in learnt)
        {
            var accepted = !result.Failures.ContainsKey(key);
            foreach (var o in observations)
            {
                if (o.Side == ConsentSide.Reported || (o.Side == ConsentSide.Written && accepted))
                {
                    entries.Add(new ConsentEntry(key, o.Channel, Name, o.Side, o.Status, o.Origin, o.At, now));
                }
            }
        }

        try
        {
            await _consent.RecordConsentAsync(entries, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Recording {Count} consent facts from {Destination} failed", entries.Count, Name);
        }
    }
}
