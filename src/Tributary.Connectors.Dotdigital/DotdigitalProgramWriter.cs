using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Facts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// Business events as program enrolments: each event is one <see cref="EventTrigger"/> fact under the key
/// <c>enrol.{programId}</c> (the key the sent-once ledger knows it by), staged through <see cref="FactCodec"/>.
/// </summary>
internal sealed class DotdigitalProgramWriter(DotdigitalClient client, DotdigitalDestinationOptions options, DotdigitalContactDirectory directory,
    HourlyCallBudget enrolments)
{
    /// <summary>One fact per mapped event type: the program to enrol the event's customer into.</summary>
    public Projection Project(CommerceEvent commerceEvent)
    {
        if (!options.Programs.TryGetValue(commerceEvent.Type, out var programId))
        {
            // Unmapped event types send nothing: no fields, so the engine finds nothing to deliver.
            return new Projection(new Dictionary<string, string?>());
        }

        if (string.IsNullOrWhiteSpace(commerceEvent.CustomerId))
        {
            return Projection.Quarantine($"{commerceEvent.Type} event has no customer to enrol into program {programId}");
        }

        var program = programId.ToString(CultureInfo.InvariantCulture);
        var trigger = new EventTrigger(program, commerceEvent.CustomerId, commerceEvent.DedupeKey,
            commerceEvent.OccurredAt == default ? null : commerceEvent.OccurredAt);
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [DotdigitalDestination.EnrolPrefix + program] = FactCodec.Encode(trigger),
        };
        return new Projection(fields, DependsOn: new DependencyKey(EntityKind.Customer, commerceEvent.CustomerId));
    }

    /// <summary>
    /// Enrols each event's contact into its program, batched per program up to 25 contacts a call, within the account's hourly
    /// enrolment allowance. Once one call has gone out, later problems come back per item so the sent facts are never resent.
    /// </summary>
    public async Task<DeliveryResult> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var byProgram = new Dictionary<long, List<(string Key, long ContactId)>>();
        foreach (var item in items)
        {
            var fact = item.Changes.FirstOrDefault(c => c.Key.StartsWith(DotdigitalDestination.EnrolPrefix, StringComparison.Ordinal));
            if (fact.Key is null || string.IsNullOrEmpty(fact.Value))
            {
                // Nothing left to send for this event (its fact went out before): accepted as is.
                continue;
            }

            if (Enrolment(fact.Key, fact.Value) is not (var programId, var customerKey))
            {
                failures[item.Key] = new ItemFailure(FailureKind.Invalid, null, "the enrolment fact is not readable; replay the event");
                continue;
            }

            var contactId = await ContactIdAsync(customerKey, cancellationToken);
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
                if (!enrolments.TryTake(out var wait))
                {
                    var message = $"the hourly program enrolment allowance ({options.EnrolmentCallsPerHour} calls) is spent; "
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
                    await client.EnrolAsync(programId, chunk.Select(g => g.Key).ToList(), cancellationToken);
                    sentAny = true;
                }
                catch (DotdigitalException ex) when (sentAny || DotdigitalDestination.IsItemProblem(ex) || ex.Kind == FailureKind.Config)
                {
                    keys.ForEach(k => failures[k] = DotdigitalDestination.Failed(ex));
                }
            }
        }

        return new DeliveryResult(failures);
    }

    private async Task<long?> ContactIdAsync(string customerKey, CancellationToken cancellationToken) =>
        await directory.EmailAsync(customerKey, cancellationToken) is { } email
            ? await directory.ContactIdAsync(email, cancellationToken)
            : null;

    /// <summary>
    /// The program and customer of an enrolment fact. A fact staged by an earlier version holds the bare customer id, with the
    /// program in its key.
    /// </summary>
    private static (long ProgramId, string CustomerKey)? Enrolment(string factKey, string value)
    {
        if (FactCodec.TryDecode<EventTrigger>(value, out var trigger))
        {
            return long.TryParse(trigger.Target, NumberStyles.Integer, CultureInfo.InvariantCulture, out var program) && trigger.Contact.Length > 0
                ? (program, trigger.Contact)
                : null;
        }

        return !FactCodec.IsEncoded(value)
            && long.TryParse(factKey.AsSpan(DotdigitalDestination.EnrolPrefix.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var staged)
            ? (staged, value)
            : null;
    }
}
