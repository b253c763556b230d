using System.Globalization;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalDestination
{
    /// <summary>
    /// Enrols each event's contact into its program, batched per program up to 25 contacts a call, within the account's hourly
    /// enrolment allowance. Once one call has gone out, later problems come back per item so the sent facts are never resent.
    /// </summary>
    private async Task<DeliveryResult> DeliverEventsAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var byProgram = new Dictionary<long, List<(string Key, long ContactId)>>();
        foreach (var item in items)
        {
            var fact = item.Changes.FirstOrDefault(c => c.Key.StartsWith(EnrolPrefix, StringComparison.Ordinal));
            if (fact.Key is null
                || !long.TryParse(fact.Key.AsSpan(EnrolPrefix.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var programId)
                || string.IsNullOrEmpty(fact.Value))
            {
                // Nothing left to send for this event (its fact went out before): accepted as is.
                continue;
            }

            var contactId = await ContactIdAsync(fact.Value, cancellationToken);
            if (contactId is null)
            {
                failures[item.Key] = new ItemFailure(FailureKind.NotFound, null,
                    "the customer's Dotdigital contact id is not known yet: deliver the customer first");
                continue;
            }

            if (!byProgram.TryGetValue(programId, out var list))
            {
                byProgram[programId] = list = [];
            }

            list.Add((item.Key, contactId.Value));
        }

        var sentAny = false;
        foreach (var (programId, entries) in byProgram)
        {
            // One enrolment per contact and call: two events for the same contact and program share it.
            foreach (var chunk in entries.GroupBy(e => e.ContactId).Chunk(DotdigitalClient.MaxContactsPerEnrolment))
            {
                var keys = chunk.SelectMany(g => g.Select(e => e.Key)).ToList();
                if (!_enrolments.TryTake(out var wait))
                {
                    var message = $"the hourly program enrolment allowance ({_options.EnrolmentCallsPerHour} calls) is spent; "
                        + $"next call in {Math.Ceiling(wait.TotalMinutes)} min";
                    if (!sentAny)
                    {
                        throw new DotdigitalException(FailureKind.RateLimited, message, retryAfter: wait);
                    }

                    keys.ForEach(k => failures[k] = new ItemFailure(FailureKind.RateLimited, null, message));
                    continue;
                }

                try
                {
                    await Client.EnrolAsync(programId, chunk.Select(g => g.Key).ToList(), cancellationToken);
                    sentAny = true;
                }
                catch (DotdigitalException ex) when (sentAny || IsItemProblem(ex) || ex.Kind == FailureKind.Config)
                {
                    keys.ForEach(k => failures[k] = Failed(ex));
                }
            }
        }

        return new DeliveryResult(failures);
    }

    private async Task<long?> ContactIdAsync(string customerKey, CancellationToken cancellationToken) =>
        await _directory.EmailAsync(customerKey, cancellationToken) is { } email
            ? await _directory.ContactIdAsync(email, cancellationToken)
            : null;
}
