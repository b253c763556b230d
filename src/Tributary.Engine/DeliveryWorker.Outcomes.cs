using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;

namespace Tributary.Engine;

internal sealed partial class DeliveryWorker
{
    private DeliveryOutcome ItemFailed(OutboxEntry entry, ItemFailure failure)
    {
        var now = _time.GetUtcNow();
        var message = failure.Code is null ? failure.Message : $"{failure.Code}: {failure.Message}";
        return failure.Kind switch
        {
            // Invalid, or addressing something the destination does not have (a guest order whose email is no contact there):
            // retrying cannot help, so the record waits visibly, with the destination's words, until fixed and replayed.
            FailureKind.Invalid or FailureKind.NotFound => new DeliveryOutcome(entry, OutboxStatus.Quarantined, now, ErrorKind: failure.Kind, StatusCode: 200,
                Message: message, RequestSummary: Summary(entry)),
            FailureKind.Auth or FailureKind.Config => new DeliveryOutcome(entry, OutboxStatus.Dead, now, ErrorKind: failure.Kind, StatusCode: 200,
                Message: message, RequestSummary: Summary(entry)),
            _ => RetryOrDead(entry, failure.Kind, 200, message, null, now),
        };
    }

    private List<DeliveryOutcome> CallFailed(IReadOnlyList<OutboxEntry> batch, FailureKind kind, int? statusCode, string message, TimeSpan? retryAfter)
    {
        var now = _time.GetUtcNow();
        if (kind == FailureKind.RateLimited)
        {
            var wait = retryAfter ?? _options.Retry.DefaultRateLimitWait;
            _destination.Budget.PauseUntil(now + wait);
            _logger.LogWarning("{Destination} is rate limiting; pausing its budget for {Wait}", Name, wait);
        }
        else
        {
            _logger.LogWarning("{Destination} call for {Count} {Entity} records failed ({Kind}, {Status}): {Message}", Name, batch.Count, _entity,
                kind, statusCode, message);
        }

        return batch.Select(e => kind switch
        {
            FailureKind.Invalid => new DeliveryOutcome(e, OutboxStatus.Quarantined, now, ErrorKind: kind, StatusCode: statusCode, Message: message,
                RequestSummary: Summary(e)),
            // A person has to fix credentials or configuration: the rows wait, due again at once after the fix.
            FailureKind.Auth or FailureKind.Config => new DeliveryOutcome(e, OutboxStatus.Pending, now, now, kind, statusCode, message, Summary(e)),
            _ => RetryOrDead(e, kind, statusCode, message, retryAfter, now),
        }).ToList();
    }

    private DeliveryOutcome RetryOrDead(OutboxEntry entry, FailureKind kind, int? statusCode, string message, TimeSpan? retryAfter, DateTimeOffset now)
    {
        var attempt = entry.Attempts + 1;
        if (kind == FailureKind.RateLimited)
        {
            // Being throttled says nothing about the record: it never counts towards the dead lane.
            var wait = (retryAfter ?? _options.Retry.DefaultRateLimitWait) + TimeSpan.FromMilliseconds(_random.Next(0, 250));
            return new DeliveryOutcome(entry, OutboxStatus.Pending, now, now + wait, kind, statusCode, message, Summary(entry));
        }

        if (attempt >= _options.Retry.MaxAttempts)
        {
            return new DeliveryOutcome(entry, OutboxStatus.Dead, now, null, kind, statusCode,
                $"gave up after {attempt} attempts: {message}", Summary(entry));
        }

        var backoff = _options.Retry.Backoff(attempt, _random);
        if (retryAfter is { } ra && ra > backoff)
        {
            backoff = ra;
        }

        return new DeliveryOutcome(entry, OutboxStatus.Pending, now, now + backoff, kind, statusCode, message, Summary(entry));
    }

    // What was sent, without personal values: the field names only; and the trace it went out in (the record's correlation id).
    private static string Summary(OutboxEntry entry, IReadOnlyDictionary<string, string>? notes = null) =>
        Telemetry.Correlated(notes is not null && notes.TryGetValue(entry.Key, out var note)
            ? $"fields: {string.Join(',', entry.Changes.Keys)}; {note}"
            : $"fields: {string.Join(',', entry.Changes.Keys)}");
}
