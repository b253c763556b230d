using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// Customers and their derived summaries as Emarsys contacts, keyed by the custom field that holds the source customer id.
/// Contacts are state: the changed fields are upserted.
/// </summary>
internal sealed class EmarsysContactWriter(EmarsysClient client, EmarsysDestinationOptions options, int batchSize,
    IDeliveredStateReader? delivered = null)
{
    internal static readonly string[] ProjectableFields =
        ["firstName", "lastName", "email", "dateOfBirth", "phone", "customerNumber", "store", "locale", "currency"];

    internal static readonly string[] SummaryNames = ["orderCount", "lifetimeValue", "averageOrderValue", "firstOrderDate", "lastOrderDate"];

    // The opt-in field takes 1 or 2 as numbers; strings such as "true" are rejected by the API. The SMS opt-in field is a
    // single-choice field, whose choice ids are numbers too.
    private readonly HashSet<string> _numberFields = options.SmsOptInFieldId is { } sms
        ? new(StringComparer.Ordinal) { options.OptInFieldId, sms }
        : new(StringComparer.Ordinal) { options.OptInFieldId };

    /// <summary>The consent fields this writer writes, with their channel: email's opt-in, and SMS's when configured.</summary>
    private IEnumerable<(string Channel, string FieldId)> ConsentFieldIds()
    {
        if (options.SendOptIn)
        {
            yield return (ConsentChannels.Email, options.OptInFieldId);
        }

        if (options.SmsOptInFieldId is { } sms)
        {
            yield return (ConsentChannels.Sms, sms);
        }
    }

    public Projection Project(Customer customer)
    {
        if (!EmailRule.TryNormalize(customer.Email, out var email, out var reason))
        {
            return Projection.Quarantine(reason ?? "invalid email address");
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { [options.KeyFieldId] = customer.SourceId };
        foreach (var (name, fieldId) in options.Fields)
        {
            fields[fieldId] = CanonicalValue(customer, name, email);
        }

        foreach (var (attribute, fieldId) in options.Attributes)
        {
            fields[fieldId] = customer.Attributes.TryGetValue(attribute, out var value) ? value : null;
        }

        // Only an explicit answer is written. Unknown leaves the field out: written empty, it would clear an opt-in collected by
        // an Emarsys form, a double opt-in program or a preference page; a new contact without it is not opted in.
        if (options.SendOptIn && OptInValue(customer.ConsentFor(ConsentChannels.Email).Status) is { } optIn)
        {
            fields[options.OptInFieldId] = optIn;
        }

        if (options.ListRules.Count > 0)
        {
            // Not a contact field: the writer turns a change of it into contact-list calls (see ChangeListsAsync).
            fields[EmarsysDestination.ListsField] = ListRules.Membership(customer, options.ListRules);
        }

        return new Projection(fields, Note: ProjectMobile(customer, fields));
    }

    /// <summary>
    /// The mobile number (E.164) and SMS consent. A number that is not a valid mobile number never holds the contact back: it
    /// goes without the number and without SMS consent, and the answer is a note saying why. An opt-out is written even without a
    /// number (it can only protect); an opt-in only with a valid one.
    /// </summary>
    private string? ProjectMobile(Customer customer, Dictionary<string, string?> fields)
    {
        var valid = MobileRule.TryNormalize(customer, options.Mobile, out var mobile, out var problem);
        if (options.MobileFieldId is { } mobileField)
        {
            fields[mobileField] = valid ? mobile : null;
        }

        var sms = OptInValue(customer.ConsentFor(ConsentChannels.Sms).Status);
        if (options.SmsOptInFieldId is { } smsField && sms is not null && problem is null
            && (valid || sms == EmarsysDestination.OptInFalse))
        {
            fields[smsField] = sms;
        }

        return problem is null ? null : $"mobile number left out, {problem}; SMS consent not sent";
    }

    /// <summary>
    /// Derived attributes onto the configured contact fields, keyed like the customer. Amounts are invariant with two decimals
    /// (in the summary's currency), dates <c>yyyy-MM-dd</c> in UTC (Emarsys rejects other date formats with 2007).
    /// </summary>
    public Projection Project(CustomerSummary summary)
    {
        if (string.IsNullOrWhiteSpace(summary.CustomerId))
        {
            return Projection.Quarantine("customer summary without a customer id");
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, fieldId) in options.SummaryFields)
        {
            fields[fieldId] = SummaryValue(summary, name);
        }

        return new Projection(fields, DependsOn: new DependencyKey(EntityKind.Customer, summary.CustomerId.Trim()));
    }

    /// <summary>The opt-in field's value for an explicit answer; null for Unknown, which is never written.</summary>
    public static string? OptInValue(ConsentStatus status) => status switch
    {
        ConsentStatus.Subscribed => EmarsysDestination.OptInTrue,
        ConsentStatus.Unsubscribed => EmarsysDestination.OptInFalse,
        _ => null,
    };

    public async Task<DeliveryResult> DeliverAsync(IReadOnlyList<DeliveryItem> items, bool createIfNotExists,
        CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var sendable = new List<DeliveryItem>(items.Count);
        foreach (var item in items)
        {
            if (string.IsNullOrWhiteSpace(item.Key))
            {
                failures[item.Key ?? string.Empty] = new ItemFailure(FailureKind.Invalid, null, "empty customer key");
            }
            else
            {
                sendable.Add(item);
            }
        }

        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        var consent = new Dictionary<string, IReadOnlyList<ConsentObservation>>(StringComparer.Ordinal);
        var anyChunkDone = false;
        foreach (var batch in sendable.Chunk(batchSize))
        {
            try
            {
                await DeliverChunkAsync(batch, createIfNotExists, failures, ids, notes, consent, cancellationToken);
                anyChunkDone = true;
            }
            catch (EmarsysException ex) when (ex.Kind == FailureKind.Transient && anyChunkDone && !cancellationToken.IsCancellationRequested)
            {
                // A passing failure of a later call fails only that call's contacts (retried with backoff); the chunks Emarsys
                // already took stay accepted instead of being sent again with the whole batch.
                foreach (var item in batch)
                {
                    failures[item.Key] = new ItemFailure(FailureKind.Transient, ex.PlatformCode, ex.Message);
                }
            }
        }

        foreach (var key in failures.Keys)
        {
            notes.Remove(key);
        }

        return new DeliveryResult(failures, ids.Count == 0 ? null : ids, notes.Count == 0 ? null : notes, consent.Count == 0 ? null : consent);
    }

    private async Task DeliverChunkAsync(DeliveryItem[] batch, bool createIfNotExists, Dictionary<string, ItemFailure> failures,
        Dictionary<string, string> ids, Dictionary<string, string> notes, Dictionary<string, IReadOnlyList<ConsentObservation>> consent,
        CancellationToken cancellationToken)
    {
        await AdoptByEmailAsync(batch, failures, notes, cancellationToken);
        var chunk = batch.Where(i => !failures.ContainsKey(i.Key)).ToArray();
        if (chunk.Length == 0)
        {
            return;
        }

        var (kept, reported) = await OptOutsHeldByEmarsysAsync(chunk, cancellationToken);
        var writes = chunk.Select(i => new EmarsysContactWrite(i.Key, Without(i.Changes, kept.GetValueOrDefault(i.Key)), _numberFields)).ToList();
        var result = await client.UpsertContactsAsync(options.KeyFieldId, writes, createIfNotExists, cancellationToken);
        MapResult(chunk, result, failures, ids);
        await ChangeListsAsync(chunk, failures, cancellationToken);
        foreach (var (key, fieldIds) in kept.Where(k => !failures.ContainsKey(k.Key)))
        {
            notes[key] = (notes.TryGetValue(key, out var earlier) ? earlier + "; " : string.Empty) + string.Join("; ", ConsentFieldIds().Where(c => fieldIds.Contains(c.FieldId)).Select(c =>
                $"Emarsys holds an {(c.Channel == ConsentChannels.Sms ? "SMS " : string.Empty)}opt-out ({Origin(c.FieldId)} 2) made there, " +
                "not by this service: kept; the shop still says subscribed, correct it there or let the person subscribe through an Emarsys form"));
        }

        foreach (var write in writes)
        {
            var learnt = new List<ConsentObservation>(4);
            foreach (var (channel, fieldId) in ConsentFieldIds())
            {
                if (reported.TryGetValue((write.KeyValue, fieldId), out var held))
                {
                    learnt.Add(new ConsentObservation(channel, ConsentSide.Reported, held, Origin(fieldId)));
                }

                if (write.Fields.TryGetValue(fieldId, out var optIn) && StatusOf(optIn) is { } written)
                {
                    learnt.Add(new ConsentObservation(channel, ConsentSide.Written, written, Origin(fieldId)));
                }
            }

            if (learnt.Count > 0)
            {
                consent[write.KeyValue] = learnt;
            }
        }
    }

    /// <summary>
    /// A customer delivered for the first time whose email already belongs to exactly one Emarsys contact without a customer id
    /// (made by a form, an import, the marketing team) takes that contact over instead of getting a second one: the customer id
    /// is set on it (keyed by Emarsys' own contact id), and the write that follows updates it like any other, so its consent is
    /// kept by the same rules (an opt-out held there wins; "don't know" writes nothing). One read per batch of first deliveries.
    /// <see cref="ExistingContactHandling.Quarantine"/> quarantines such a customer instead, naming the contact;
    /// <see cref="ExistingContactHandling.Create"/> skips all this.
    /// </summary>
    private async Task AdoptByEmailAsync(DeliveryItem[] chunk, Dictionary<string, ItemFailure> failures, Dictionary<string, string> notes,
        CancellationToken cancellationToken)
    {
        if (options.ExistingByEmail == ExistingContactHandling.Create || delivered is null || !options.Fields.TryGetValue("email", out var emailField))
        {
            return;
        }

        var fresh = chunk.Where(i => i.Changes.TryGetValue(emailField, out var e) && !string.IsNullOrEmpty(e)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var known = await delivered.GetDeliveredAsync(EmarsysDestination.DestinationName, EntityKind.Customer, fresh.Select(i => i.Key).ToList(), cancellationToken);
        fresh = fresh.Where(i => !known.ContainsKey(i.Key)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var emails = fresh.Select(i => i.Changes[emailField]!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var held = await ReadContactsAsync(emailField, emails, [options.KeyFieldId, emailField], cancellationToken);
        var byEmail = held.Contacts.Where(c => !string.IsNullOrEmpty(c.GetValueOrDefault(emailField)))
            .GroupBy(c => c[emailField]!.Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        var adopting = new List<EmarsysContactWrite>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in fresh)
        {
            if (!byEmail.TryGetValue(item.Changes[emailField]!.Trim(), out var contacts)
                || contacts.Any(c => c.GetValueOrDefault(options.KeyFieldId) == item.Key))
            {
                continue;
            }

            var keyless = contacts.Where(c => string.IsNullOrEmpty(c.GetValueOrDefault(options.KeyFieldId)) && c.GetValueOrDefault("id") is { Length: > 0 }).ToList();
            if (keyless.Count != 1 || !taken.Add(keyless[0]["id"]!))
            {
                continue;
            }

            var contactId = keyless[0]["id"]!;
            if (options.ExistingByEmail == ExistingContactHandling.Quarantine)
            {
                failures[item.Key] = new ItemFailure(FailureKind.Invalid, null,
                    $"Emarsys already holds contact {contactId} with this email and no customer id: set 'existingByEmail: adopt' to take it over " +
                    "(its consent is kept) or 'existingByEmail: create' to make a second contact, then replay");
                continue;
            }

            adopting.Add(new EmarsysContactWrite(contactId, new Dictionary<string, string?> { [options.KeyFieldId] = item.Key }, _numberFields));
            notes[item.Key] = "adopted the Emarsys contact that already had this email (made outside this service): its consent is kept";
        }

        if (adopting.Count > 0)
        {
            // A contact that could not take the key (gone meanwhile) is simply created by the write that follows.
            await client.UpsertContactsAsync("id", adopting, createIfNotExists: false, cancellationToken);
        }
    }

    private string Origin(string fieldId) => fieldId == options.OptInFieldId ? $"field {fieldId} (opt-in)" : $"field {fieldId} (SMS opt-in)";

    /// <summary>The consent an opt-in field value stands for; null for empty or unknown values.</summary>
    public static ConsentStatus? StatusOf(string? optIn) => optIn switch
    {
        EmarsysDestination.OptInTrue => ConsentStatus.Subscribed,
        EmarsysDestination.OptInFalse => ConsentStatus.Unsubscribed,
        _ => null,
    };

    /// <summary>
    /// Per key, the consent fields whose opt-in (1) must not be written: Emarsys holds an opt-out (2) in that field that this
    /// service did not write (an unsubscribe link, a preference page, an SMS STOP reply), so it is newer than anything the shop
    /// said. An opt-out this service wrote itself came from the source, and the source's later opt-in may undo it. Email and
    /// SMS are decided each on their own field. One read of the consent fields per batch that subscribes anyone.
    /// </summary>
    private async Task<(Dictionary<string, HashSet<string>> Kept, Dictionary<(string Key, string FieldId), ConsentStatus> Reported)> OptOutsHeldByEmarsysAsync(
        DeliveryItem[] chunk, CancellationToken cancellationToken)
    {
        var kept = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var reported = new Dictionary<(string Key, string FieldId), ConsentStatus>();
        var consentFields = ConsentFieldIds().Select(c => c.FieldId).ToList();
        var subscribing = chunk.Where(i => consentFields.Any(f => i.Changes.TryGetValue(f, out var v) && v == EmarsysDestination.OptInTrue))
            .Select(i => i.Key).ToList();
        if (subscribing.Count == 0)
        {
            return (kept, reported);
        }

        var current = await ReadOptInsAsync(subscribing, consentFields, cancellationToken);
        foreach (var contact in current.Contacts)
        {
            if (contact.GetValueOrDefault(options.KeyFieldId) is not { Length: > 0 } key)
            {
                continue;
            }

            foreach (var fieldId in consentFields)
            {
                if (StatusOf(contact.GetValueOrDefault(fieldId)) is { } status)
                {
                    reported[(key, fieldId)] = status;
                }
            }
        }

        var optedOut = reported.Where(r => r.Value == ConsentStatus.Unsubscribed).Select(r => r.Key.Key).Distinct(StringComparer.Ordinal).ToList();
        if (optedOut.Count == 0)
        {
            return (kept, reported);
        }

        IReadOnlyDictionary<string, DeliveredState> written = delivered is null
            ? new Dictionary<string, DeliveredState>(StringComparer.Ordinal)
            : await delivered.GetDeliveredAsync(EmarsysDestination.DestinationName, EntityKind.Customer, optedOut, cancellationToken);
        var changes = chunk.GroupBy(i => i.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Changes, StringComparer.Ordinal);
        foreach (var ((key, fieldId), status) in reported)
        {
            if (status != ConsentStatus.Unsubscribed || !changes.TryGetValue(key, out var asked)
                || asked.GetValueOrDefault(fieldId) != EmarsysDestination.OptInTrue)
            {
                continue;
            }

            var ours = written.TryGetValue(key, out var state) && state.Fields.GetValueOrDefault(fieldId) == EmarsysDestination.OptInFalse;
            if (!ours)
            {
                if (!kept.TryGetValue(key, out var fields))
                {
                    kept[key] = fields = new HashSet<string>(StringComparer.Ordinal);
                }

                fields.Add(fieldId);
            }
        }

        return (kept, reported);
    }

    // The read is safe to repeat, unlike the write it guards: a passing failure (5xx, timeout) is tried again at once, up to
    // three times, so the check does not double the batch's exposure to a flaky network. Rate limits go to the engine, which
    // waits without spending the records' attempts.
    private Task<EmarsysContactData> ReadOptInsAsync(List<string> keys, List<string> consentFields, CancellationToken cancellationToken) =>
        ReadContactsAsync(options.KeyFieldId, keys, [options.KeyFieldId, .. consentFields], cancellationToken);

    private async Task<EmarsysContactData> ReadContactsAsync(string keyId, List<string> keys, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await client.GetContactsAsync(keyId, keys, fields, cancellationToken);
            }
            catch (EmarsysException ex) when (ex.Kind == FailureKind.Transient && attempt < 3 && !cancellationToken.IsCancellationRequested)
            {
                // Tried again below.
            }
        }
    }

    /// <summary>The contact fields to write: the changes without the consent fields kept and without the list membership.</summary>
    private static IReadOnlyDictionary<string, string?> Without(IReadOnlyDictionary<string, string?> changes, HashSet<string>? fieldIds)
    {
        if (fieldIds is null && !changes.ContainsKey(EmarsysDestination.ListsField))
        {
            return changes;
        }

        var without = new Dictionary<string, string?>(changes, StringComparer.Ordinal);
        without.Remove(EmarsysDestination.ListsField);
        foreach (var fieldId in fieldIds ?? [])
        {
            without.Remove(fieldId);
        }

        return without;
    }

    /// <summary>
    /// Adds the accepted contacts of a batch to the contact lists their rules now put them in and takes them out of the ones
    /// the rules no longer do: one call per list and direction, by the key field. The new membership is compared with the one
    /// Emarsys last accepted; a contact never delivered is only added. A per-key error of an add fails that contact (retried
    /// with the batch's next attempt); a key Emarsys cannot take out of a list is not in it.
    /// </summary>
    private async Task ChangeListsAsync(DeliveryItem[] chunk, Dictionary<string, ItemFailure> failures, CancellationToken cancellationToken)
    {
        var changed = chunk.Where(i => !failures.ContainsKey(i.Key) && i.Changes.ContainsKey(EmarsysDestination.ListsField))
            .GroupBy(i => i.Key, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        if (changed.Count == 0)
        {
            return;
        }

        IReadOnlyDictionary<string, DeliveredState> before = delivered is null
            ? new Dictionary<string, DeliveredState>(StringComparer.Ordinal)
            : await delivered.GetDeliveredAsync(EmarsysDestination.DestinationName, EntityKind.Customer, changed.Select(i => i.Key).ToList(), cancellationToken);
        var calls = new SortedDictionary<(string List, bool Add), List<string>>();
        foreach (var item in changed)
        {
            var was = before.TryGetValue(item.Key, out var state) ? state.Fields.GetValueOrDefault(EmarsysDestination.ListsField) : null;
            var (added, removed) = ListRules.Change(was, item.Fields.GetValueOrDefault(EmarsysDestination.ListsField));
            foreach (var (list, add) in added.Select(l => (l, true)).Concat(removed.Select(l => (l, false))))
            {
                if (!calls.TryGetValue((list, add), out var keys))
                {
                    calls[(list, add)] = keys = [];
                }

                keys.Add(item.Key);
            }
        }

        foreach (var ((list, add), keys) in calls)
        {
            IReadOnlyDictionary<string, IReadOnlyList<EmarsysItemError>> errors;
            try
            {
                errors = await client.ChangeContactListAsync(list, add, options.KeyFieldId, keys, cancellationToken);
            }
            catch (EmarsysException ex) when (ex.Kind is FailureKind.Invalid or FailureKind.NotFound)
            {
                foreach (var key in keys)
                {
                    failures[key] = new ItemFailure(ex.Kind, ex.PlatformCode,
                        $"could not {(add ? "add the contact to" : "take the contact out of")} contact list {list}: {ex.Message}");
                }

                continue;
            }

            foreach (var (key, problems) in errors)
            {
                if (add && keys.Contains(key, StringComparer.Ordinal))
                {
                    var first = problems.Count > 0 ? problems[0] : new EmarsysItemError(string.Empty, "rejected without a reason");
                    failures[key] = new ItemFailure(FailureKind.Transient, first.Code, $"could not add the contact to contact list {list}: {first.Message}");
                }
            }
        }
    }

    /// <summary>Maps per-key errors onto items by key, never by position.</summary>
    private static void MapResult(DeliveryItem[] chunk, EmarsysWriteResult result, Dictionary<string, ItemFailure> failures,
        Dictionary<string, string> ids)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var folded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in chunk)
        {
            keys[item.Key] = item.Key;
            folded.TryAdd(item.Key.Trim(), item.Key);
        }

        foreach (var (errorKey, errors) in result.Errors)
        {
            // Exact first; the API might echo a key trimmed or case-folded.
            if (!keys.TryGetValue(errorKey, out var key) && !folded.TryGetValue(errorKey.Trim(), out key))
            {
                continue;
            }

            var first = errors.Count > 0 ? errors[0] : new EmarsysItemError(string.Empty, "rejected without a reason");
            var message = string.Join("; ", errors.Select(e => string.IsNullOrEmpty(e.Code) ? e.Message : $"{e.Code} {e.Message}"));
            failures[key] = new ItemFailure(EmarsysErrors.ForItem(first.Code), first.Code, message);
        }

        // Ids are not documented to follow the input order, so an id maps to a key only when exactly one contact succeeded.
        var accepted = chunk.Where(i => !failures.ContainsKey(i.Key)).ToList();
        if (accepted.Count == 1 && result.Ids.Count == 1)
        {
            ids[accepted[0].Key] = result.Ids[0];
        }
    }

    private static string? CanonicalValue(Customer customer, string name, string email) => name.ToLowerInvariant() switch
    {
        "firstname" => Blank(customer.FirstName),
        "lastname" => Blank(customer.LastName),
        "email" => email,
        // Emarsys dates are YYYY-MM-DD; anything else is rejected with 2007.
        "dateofbirth" => customer.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "phone" => Blank(customer.Phone),
        "customernumber" => Blank(customer.CustomerNumber),
        "store" => Blank(customer.Store),
        "locale" => Blank(customer.Locale),
        "currency" => Blank(customer.Currency),
        _ => null,
    };

    private static string? SummaryValue(CustomerSummary summary, string name) => name.ToLowerInvariant() switch
    {
        "ordercount" => summary.OrderCount.ToString(CultureInfo.InvariantCulture),
        "lifetimevalue" => Amount(summary.LifetimeValue),
        "averageordervalue" => Amount(summary.AverageOrderValue),
        "firstorderdate" => Date(summary.FirstOrderAt),
        "lastorderdate" => Date(summary.LastOrderAt),
        _ => null,
    };

    private static string Amount(decimal value) => MoneyRounding.Format(value);

    private static string? Date(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
