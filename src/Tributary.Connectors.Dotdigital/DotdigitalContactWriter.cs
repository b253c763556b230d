using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// Customers and their summaries as Dotdigital contacts, matched by email. Contacts are state: the changed data fields are
/// written, with the email from the full projection (an update carries only what changed).
/// </summary>
internal sealed class DotdigitalContactWriter(DotdigitalClient client, DotdigitalDestinationOptions options, DotdigitalContactDirectory directory,
    DotdigitalOptOuts optOuts, IDeliveredStateReader? delivered = null)
{
    internal static readonly string[] ProjectableFields =
        ["firstName", "lastName", "fullName", "dateOfBirth", "customerNumber", "store", "locale", "currency"];

    internal static readonly string[] SummaryNames = ["orderCount", "lifetimeValue", "averageOrderValue", "firstOrderAt", "lastOrderAt"];

    private readonly HashSet<string> _numericFields = new(
        options.SummaryFields.Where(f => f.Key is "orderCount" or "lifetimeValue" or "averageOrderValue").Select(f => f.Value),
        StringComparer.Ordinal);

    public string? EmailStatus(ConsentStatus status) => status switch
    {
        ConsentStatus.Subscribed => DotdigitalEmailStatus.Subscribed,
        ConsentStatus.Unsubscribed => DotdigitalEmailStatus.Unsubscribed,
        _ => options.UnknownConsent == UnknownConsentHandling.Unsubscribed ? DotdigitalEmailStatus.Unsubscribed : null,
    };

    public Projection Project(Customer customer)
    {
        if (!EmailRule.TryNormalize(customer.Email, out var email, out var reason))
        {
            return Projection.Quarantine(reason ?? "invalid email address");
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { [DotdigitalDestination.EmailField] = email };
        foreach (var (name, dataField) in options.Fields)
        {
            fields[DotdigitalDestination.DataFieldPrefix + dataField] = CanonicalValue(customer, name);
        }

        foreach (var (attribute, dataField) in options.Attributes)
        {
            fields[DotdigitalDestination.DataFieldPrefix + dataField] = customer.Attributes.TryGetValue(attribute, out var value) ? value : null;
        }

        var consent = customer.ConsentFor(ConsentChannels.Email);
        if (options.SendEmailConsent)
        {
            // Whether the status below is the shop's answer or only the default for "don't know": a default is never written
            // over a contact Dotdigital already holds (see KeepExistingStatusAsync).
            fields[DotdigitalDestination.ConsentAnswerField] = consent.Status == ConsentStatus.Unknown ? DotdigitalDestination.NoAnswer : DotdigitalDestination.Answered;
        }

        if (options.SendEmailConsent && EmailStatus(consent.Status) is { } status)
        {
            fields[DotdigitalDestination.EmailStatusField] = status;
            if (consent is { Status: ConsentStatus.Subscribed, At: { } at })
            {
                fields[DotdigitalDestination.EmailConsentAtField] = DotdigitalDestination.Timestamp(at);
            }
        }

        if (options.ListIds.Count > 0 || options.ListRules.Count > 0)
        {
            // Every list the customer belongs in, by the static ids and the rules; a change of it adds and removes (see ListChangesAsync).
            fields[DotdigitalDestination.ListsField] = ListRules.Membership(customer, options.ListRules,
                options.ListIds.Select(l => l.ToString(CultureInfo.InvariantCulture)));
        }

        return new Projection(fields, Note: options.SendSms ? ProjectMobile(customer, fields) : null);
    }

    /// <summary>
    /// The mobile number identifier and the SMS status. A number that is not a valid mobile number never holds the contact back:
    /// it goes without the number and without an SMS status, and the answer is a note saying why. The status goes only with a
    /// valid number (an SMS status needs one); Unknown is never written.
    /// </summary>
    private static string? ProjectMobile(Customer customer, Dictionary<string, string?> fields, MobileRegions regions)
    {
        if (!MobileRule.TryNormalize(customer, regions, out var mobile, out var problem))
        {
            return problem is null ? null : $"mobile number left out, {problem}; SMS consent not sent";
        }

        // The documented examples write E.164 without its "+" (447123123123).
        fields[DotdigitalDestination.MobileField] = mobile.TrimStart('+');
        if (SmsStatus(customer.ConsentFor(ConsentChannels.Sms).Status) is { } status)
        {
            fields[DotdigitalDestination.SmsStatusField] = status;
        }

        return null;
    }

    private string? ProjectMobile(Customer customer, Dictionary<string, string?> fields) => ProjectMobile(customer, fields, options.Mobile);

    /// <summary>The SMS status for an explicit answer; null for Unknown, which is never written.</summary>
    public static string? SmsStatus(ConsentStatus status) => status switch
    {
        ConsentStatus.Subscribed => DotdigitalEmailStatus.Subscribed,
        ConsentStatus.Unsubscribed => DotdigitalEmailStatus.Unsubscribed,
        _ => null,
    };

    /// <summary>The consent an SMS status stands for; null for none or noSubscription.</summary>
    public static ConsentStatus? SmsStatusOf(string? status) => status switch
    {
        DotdigitalEmailStatus.Subscribed => ConsentStatus.Subscribed,
        "unsubscribed" or "suppressed" or "bounced" or "binned" or "deleted" => ConsentStatus.Unsubscribed,
        _ => null,
    };

    public Projection Project(CustomerSummary summary)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, dataField) in options.SummaryFields)
        {
            fields[DotdigitalDestination.DataFieldPrefix + dataField] = name.ToLowerInvariant() switch
            {
                "ordercount" => summary.OrderCount.ToString(CultureInfo.InvariantCulture),
                "lifetimevalue" => Amount(summary.LifetimeValue),
                "averageordervalue" => Amount(summary.AverageOrderValue),
                "firstorderat" => Timestamp(summary.FirstOrderAt),
                "lastorderat" => Timestamp(summary.LastOrderAt),
                _ => null,
            };
        }

        return new Projection(fields, DependsOn: new DependencyKey(EntityKind.Customer, summary.CustomerId));
    }

    public async Task<DeliveryResult> DeliverCustomersAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var writes = new List<(string Key, DotdigitalContactWrite Write)>(items.Count);
        // Only an item whose email is among its changes can be an email change: the others need no look-up.
        var previous = await directory.EmailsAsync(
            items.Where(i => i.Changes.ContainsKey(DotdigitalDestination.EmailField)).Select(i => i.Key).ToList(), cancellationToken);
        var lists = await ListChangesAsync(items, cancellationToken);
        foreach (var item in items)
        {
            // The email comes from the full projection: an update carries only what changed.
            if (!item.Fields.TryGetValue(DotdigitalDestination.EmailField, out var email) || string.IsNullOrEmpty(email))
            {
                failures[item.Key] = new ItemFailure(FailureKind.Invalid, null, "no email address to identify the contact by");
                continue;
            }

            var write = ContactWrite(email, item.Changes, item.Fields);
            if (previous.TryGetValue(item.Key, out var old) && !string.Equals(old, email, StringComparison.OrdinalIgnoreCase))
            {
                // An email change: the contact written under the old address is updated in place. Were it addressed by the new
                // email, Dotdigital would create a second contact, subscribed by default, and leave the old one behind.
                write = await directory.ContactIdAsync(old, cancellationToken) is { } contactId
                    ? write with { ContactId = contactId }
                    // The old contact is gone at Dotdigital: the new one is created with the full projection's status, never
                    // with none (a contact created without a status is subscribed).
                    : ContactWrite(email, WithStatus(item.Changes, item.Fields), item.Fields);
            }

            if (lists.TryGetValue(item.Key, out var change))
            {
                write = write with { Lists = change.Added };
            }

            writes.Add((item.Key, write));
        }

        var consent = new Dictionary<string, IReadOnlyList<ConsentObservation>>(StringComparer.Ordinal);
        var notes = await KeepDestinationOptOutsAsync(writes, items, previous, consent, cancellationToken);
        await KeepExistingStatusAsync(writes, items, previous, notes, consent, cancellationToken);
        await KeepSmsOptOutsAsync(writes, notes, consent, cancellationToken);
        var ids = await WriteContactsAsync(writes, failures, cancellationToken);
        await RemoveFromListsAsync(writes, lists, ids, failures, cancellationToken);
        foreach (var (key, write) in writes.Where(w => !failures.ContainsKey(w.Key)))
        {
            directory.Remember(key, write.MatchValue, ids.TryGetValue(key, out var id) ? long.Parse(id, CultureInfo.InvariantCulture) : null);
            if (write.EmailStatus == DotdigitalEmailStatus.Subscribed)
            {
                optOuts.Forget(write.MatchValue);
            }

            if (StatusOf(write.EmailStatus) is { } written)
            {
                consent[key] = [.. consent.GetValueOrDefault(key) ?? [], new ConsentObservation(ConsentChannels.Email, ConsentSide.Written, written, StatusOrigin)];
            }

            if (SmsStatusOf(write.SmsStatus) is { } sms)
            {
                consent[key] = [.. consent.GetValueOrDefault(key) ?? [], new ConsentObservation(ConsentChannels.Sms, ConsentSide.Written, sms, SmsOrigin)];
            }
        }

        return new DeliveryResult(failures, ids.Count == 0 ? null : ids, notes.Count == 0 ? null : notes, consent.Count == 0 ? null : consent);
    }

    /// <summary>
    /// Per key whose list membership changed, the lists to add the contact to and to take it out of: the new membership against
    /// the one Dotdigital last accepted. A contact never delivered is only added.
    /// </summary>
    private async Task<Dictionary<string, (List<long> Added, List<long> Removed)>> ListChangesAsync(IReadOnlyList<DeliveryItem> items,
        CancellationToken cancellationToken)
    {
        var changed = items.Where(i => i.Changes.ContainsKey(DotdigitalDestination.ListsField)).ToList();
        var result = new Dictionary<string, (List<long> Added, List<long> Removed)>(StringComparer.Ordinal);
        if (changed.Count == 0)
        {
            return result;
        }

        IReadOnlyDictionary<string, DeliveredState> before = delivered is null
            ? new Dictionary<string, DeliveredState>(StringComparer.Ordinal)
            : await delivered.GetDeliveredAsync(DotdigitalDestination.DestinationName, EntityKind.Customer,
                changed.Select(i => i.Key).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        foreach (var item in changed)
        {
            var was = before.TryGetValue(item.Key, out var state) ? state.Fields.GetValueOrDefault(DotdigitalDestination.ListsField) : null;
            var (added, removed) = ListRules.Change(was, item.Fields.GetValueOrDefault(DotdigitalDestination.ListsField));
            result[item.Key] = (added.Select(ListId).ToList(), removed.Select(ListId).ToList());
        }

        return result;

        static long ListId(string id) => long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Takes each written contact out of the lists its rules no longer put it in (v2, one call per list and contact: v3 only adds).
    /// A contact Dotdigital no longer knows is in no list; a list that does not exist stops the delivery with what to fix.
    /// </summary>
    private async Task RemoveFromListsAsync(List<(string Key, DotdigitalContactWrite Write)> writes,
        Dictionary<string, (List<long> Added, List<long> Removed)> lists, Dictionary<string, string> ids,
        Dictionary<string, ItemFailure> failures, CancellationToken cancellationToken)
    {
        foreach (var (key, write) in writes)
        {
            if (failures.ContainsKey(key) || !lists.TryGetValue(key, out var change) || change.Removed.Count == 0)
            {
                continue;
            }

            var contactId = ids.TryGetValue(key, out var id) ? long.Parse(id, CultureInfo.InvariantCulture)
                : write.ContactId ?? await directory.ContactIdAsync(write.MatchValue, cancellationToken);
            if (contactId is not { } contact)
            {
                continue;
            }

            foreach (var list in change.Removed)
            {
                try
                {
                    await client.RemoveFromListAsync(list, contact, cancellationToken);
                }
                catch (DotdigitalException ex) when (DotdigitalDestination.IsItemProblem(ex))
                {
                    failures[key] = new ItemFailure(ex.Kind, ex.PlatformCode, $"could not take the contact out of list {list}: {ex.Message}");
                    break;
                }
            }
        }
    }

    private const string StatusOrigin = "channelProperties.email.status";

    /// <summary>
    /// "Don't know" is never written over a contact Dotdigital already holds. A customer delivered for the first time whose shop
    /// has no answer would be written <c>unsubscribed</c> (a new contact written without a status would be subscribed), but an
    /// address that already is a Dotdigital contact — signed up through a Dotdigital form, imported by the marketing team — keeps
    /// the status it has there: the contact is read first (one light call, first deliveries without an answer only) and, when it
    /// exists, adopted without a status, with a note. A new contact is still created unsubscribed.
    /// </summary>
    private async Task KeepExistingStatusAsync(List<(string Key, DotdigitalContactWrite Write)> writes, IReadOnlyList<DeliveryItem> items,
        IReadOnlyDictionary<string, string> previous, Dictionary<string, string> notes, Dictionary<string, IReadOnlyList<ConsentObservation>> consent,
        CancellationToken cancellationToken)
    {
        var byKey = items.GroupBy(i => i.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            var (key, write) = writes[i];
            var item = byKey[key];
            if (write.EmailStatus is null || write.ContactId is not null || previous.ContainsKey(key)
                || !item.Changes.ContainsKey(DotdigitalDestination.EmailField)
                || item.Fields.GetValueOrDefault(DotdigitalDestination.ConsentAnswerField) != DotdigitalDestination.NoAnswer)
            {
                continue;
            }

            if (await client.GetContactAsync("email", write.MatchValue, cancellationToken) is not { } existing)
            {
                continue;
            }

            writes[i] = (key, write with { EmailStatus = null });
            if (StatusOf(existing.EmailStatus) is { } held)
            {
                consent[key] = [.. consent.GetValueOrDefault(key) ?? [], new ConsentObservation(ConsentChannels.Email, ConsentSide.Reported, held, StatusOrigin)];
            }

            var note = $"Dotdigital already holds a contact with this address ({existing.EmailStatus ?? "no status"}): adopted with its status kept, " +
                       "since the shop has no consent answer";
            notes[key] = notes.TryGetValue(key, out var earlier) ? $"{earlier}; {note}" : note;
        }
    }

    private const string SmsOrigin = "channelProperties.sms.status";

    /// <summary>
    /// An SMS opt-in is never written over an SMS opt-out Dotdigital holds that this service did not write (a STOP reply, an
    /// unsubscribe in Dotdigital): Dotdigital says no time for it, so it counts as newer than anything the shop said, as Emarsys'
    /// opt-outs do. Before each write that subscribes to SMS the contact is read (one light call); the other fields still go.
    /// </summary>
    private async Task KeepSmsOptOutsAsync(List<(string Key, DotdigitalContactWrite Write)> writes, Dictionary<string, string> notes,
        Dictionary<string, IReadOnlyList<ConsentObservation>> consent, CancellationToken cancellationToken)
    {
        var subscribing = writes.Where(w => w.Write.SmsStatus == DotdigitalEmailStatus.Subscribed).Select(w => w.Key).ToList();
        if (subscribing.Count == 0)
        {
            return;
        }

        IReadOnlyDictionary<string, DeliveredState> written = delivered is null
            ? new Dictionary<string, DeliveredState>(StringComparer.Ordinal)
            : await delivered.GetDeliveredAsync(DotdigitalDestination.DestinationName, EntityKind.Customer, subscribing, cancellationToken);
        for (var i = 0; i < writes.Count; i++)
        {
            var (key, write) = writes[i];
            if (write.SmsStatus != DotdigitalEmailStatus.Subscribed)
            {
                continue;
            }

            var contact = write.ContactId is { } id
                ? await client.GetContactAsync("contactId", id.ToString(CultureInfo.InvariantCulture), cancellationToken)
                : await client.GetContactAsync("email", write.MatchValue, cancellationToken);
            if (SmsStatusOf(contact?.SmsStatus) is not { } held)
            {
                continue;
            }

            consent[key] = [.. consent.GetValueOrDefault(key) ?? [], new ConsentObservation(ConsentChannels.Sms, ConsentSide.Reported, held, SmsOrigin)];
            var ours = written.TryGetValue(key, out var state)
                       && state.Fields.GetValueOrDefault(DotdigitalDestination.SmsStatusField) == DotdigitalEmailStatus.Unsubscribed;
            if (held != ConsentStatus.Unsubscribed || ours)
            {
                continue;
            }

            writes[i] = (key, write with { SmsStatus = null });
            var note = $"Dotdigital holds an SMS opt-out ({contact!.SmsStatus}) made there, not by this service: kept; the shop still says " +
                       "subscribed, correct it there";
            notes[key] = notes.TryGetValue(key, out var earlier) ? $"{earlier}; {note}" : note;
        }
    }

    /// <summary>The consent an email status stands for; null for none or a status that is neither.</summary>
    public static ConsentStatus? StatusOf(string? status) => status switch
    {
        DotdigitalEmailStatus.Subscribed => ConsentStatus.Subscribed,
        DotdigitalEmailStatus.Unsubscribed or DotdigitalEmailStatus.Suppressed => ConsentStatus.Unsubscribed,
        _ => null,
    };

    /// <summary>What an opt-out list entry stands for in the consent ledger.</summary>
    internal static ConsentObservation Observed(DotdigitalOptOut optOut) =>
        new(ConsentChannels.Email, ConsentSide.Reported, ConsentStatus.Unsubscribed, OptOutOrigin(optOut), optOut.DateRemoved);

    internal static string OptOutOrigin(DotdigitalOptOut optOut) => $"opt-out list ({optOut.Reason ?? "unsubscribed"})";

    /// <summary>
    /// An opt-in is never written over a newer opt-out Dotdigital holds: Dotdigital resubscribes a contact written as
    /// subscribed (resubscribeWithNoChallenge defaults to true), so before any such write the opt-outs are read, and a
    /// subscribe whose source answer is not known to be newer than the contact's opt-out is left out of the write (the other
    /// fields still go). Answers a note per key whose opt-out was kept.
    /// </summary>
    private async Task<Dictionary<string, string>> KeepDestinationOptOutsAsync(List<(string Key, DotdigitalContactWrite Write)> writes,
        IReadOnlyList<DeliveryItem> items, IReadOnlyDictionary<string, string> previous, Dictionary<string, IReadOnlyList<ConsentObservation>> consent,
        CancellationToken cancellationToken)
    {
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!writes.Any(w => w.Write.EmailStatus == DotdigitalEmailStatus.Subscribed))
        {
            return notes;
        }

        await optOuts.RefreshAsync(cancellationToken);
        var fields = items.GroupBy(i => i.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Fields, StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            var (key, write) = writes[i];
            if (write.EmailStatus != DotdigitalEmailStatus.Subscribed)
            {
                continue;
            }

            var optOut = optOuts.For(write.MatchValue) ?? (previous.TryGetValue(key, out var old) ? optOuts.For(old) : null);
            if (optOut is null)
            {
                continue;
            }

            consent[key] = [Observed(optOut)];

            var answeredAt = fields[key].TryGetValue(DotdigitalDestination.EmailConsentAtField, out var at)
                && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                    ? when
                    : (DateTimeOffset?)null;
            if (answeredAt > optOut.DateRemoved)
            {
                continue;
            }

            writes[i] = (key, write with { EmailStatus = null });
            notes[key] = $"Dotdigital holds an opt-out ({optOut.Reason ?? "unsubscribed"}, " +
                         $"{optOut.DateRemoved.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC) and the source's opt-in " +
                         (answeredAt is null ? "has no date" : "is older") + ": kept unsubscribed; the shop still says subscribed, correct it there";
        }

        return notes;
    }

    public async Task<DeliveryResult> DeliverSummariesAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var writes = new List<(string Key, DotdigitalContactWrite Write)>(items.Count);
        foreach (var item in items)
        {
            if (await directory.EmailAsync(item.Key, cancellationToken) is not { } email)
            {
                failures[item.Key] = new ItemFailure(FailureKind.NotFound, null,
                    "the customer's Dotdigital contact is not known yet: deliver the customer first");
                continue;
            }

            writes.Add((item.Key, ContactWrite(email, item.Changes, item.Fields)));
        }

        var ids = await WriteContactsAsync(writes, failures, cancellationToken);
        return new DeliveryResult(failures, ids.Count == 0 ? null : ids);
    }

    private static Dictionary<string, string?> WithStatus(IReadOnlyDictionary<string, string?> changes, IReadOnlyDictionary<string, string?> fields)
    {
        var with = new Dictionary<string, string?>(changes, StringComparer.Ordinal);
        if (fields.TryGetValue(DotdigitalDestination.EmailStatusField, out var status))
        {
            with[DotdigitalDestination.EmailStatusField] = status;
        }

        return with;
    }

    private DotdigitalContactWrite ContactWrite(string email, IReadOnlyDictionary<string, string?> changes, IReadOnlyDictionary<string, string?> fields)
    {
        var data = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (name.StartsWith(DotdigitalDestination.DataFieldPrefix, StringComparison.Ordinal))
            {
                data[name[DotdigitalDestination.DataFieldPrefix.Length..]] = value;
            }
        }

        var status = changes.TryGetValue(DotdigitalDestination.EmailStatusField, out var s) && !string.IsNullOrEmpty(s) ? s : null;
        // A new answer from the source (its time changed) is written again even when the status reads the same as last time:
        // the contact may have opted out in Dotdigital since.
        // So is the shop's first explicit answer after "don't know", which may read the same as the default written before it
        // (or kept off an existing contact).
        if (status is null && (changes.ContainsKey(DotdigitalDestination.EmailConsentAtField)
                               || changes.GetValueOrDefault(DotdigitalDestination.ConsentAnswerField) == DotdigitalDestination.Answered)
            && fields.TryGetValue(DotdigitalDestination.EmailStatusField, out var answered) && !string.IsNullOrEmpty(answered))
        {
            status = answered;
        }

        var identifiers = new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = email };
        if (changes.TryGetValue(DotdigitalDestination.MobileField, out var mobile) && !string.IsNullOrEmpty(mobile))
        {
            identifiers["mobileNumber"] = mobile;
        }

        var sms = changes.TryGetValue(DotdigitalDestination.SmsStatusField, out var smsStatus) && !string.IsNullOrEmpty(smsStatus) ? smsStatus : null;
        return new DotdigitalContactWrite("email", identifiers, data, status, null, _numericFields) { SmsStatus = sms };
    }

    /// <summary>
    /// One PATCH per contact up to <see cref="DotdigitalDestinationOptions.BulkThreshold"/>, one polled import above it.
    /// Per-contact rejections become failures by key; whole-call failures throw. Answers key → contact id.
    /// </summary>
    private async Task<Dictionary<string, string>> WriteContactsAsync(List<(string Key, DotdigitalContactWrite Write)> writes,
        Dictionary<string, ItemFailure> failures, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        if (writes.Count == 0)
        {
            return ids;
        }

        // A write that changes nothing Dotdigital holds (only this service's own bookkeeping changed) costs no call.
        writes = writes.Where(w => !w.Write.ChangesNothing).ToList();
        if (writes.Count == 0)
        {
            return ids;
        }

        // Email changes address their contact by id, which only the single-contact PATCH can do; imports match by email.
        var single = writes.Count <= options.BulkThreshold ? writes : writes.Where(w => w.Write.ContactId is not null).ToList();
        foreach (var (key, write) in single)
        {
            try
            {
                var contact = await client.UpsertContactAsync(write, options.MergeOption, cancellationToken);
                if (contact.ContactId > 0)
                {
                    ids[key] = contact.ContactId.ToString(CultureInfo.InvariantCulture);
                    directory.RememberContact(write.MatchValue, contact.ContactId);
                }
            }
            catch (DotdigitalException ex) when (ex.StatusCode == 409 && write.ContactId is { } id)
            {
                // Never merged silently: both contacts are named, and the record waits in quarantine for a person to decide.
                var other = await directory.ContactIdAsync(write.MatchValue, cancellationToken);
                failures[key] = new ItemFailure(FailureKind.Invalid, ex.PlatformCode,
                    $"email change collides with another Dotdigital contact: this customer's contact is {id}, the new address " +
                    $"belongs to contact {other?.ToString(CultureInfo.InvariantCulture) ?? "(unknown)"}; merge them in Dotdigital " +
                    "or correct the email at the source, then replay");
            }
            catch (DotdigitalException ex) when (DotdigitalDestination.IsItemProblem(ex))
            {
                failures[key] = DotdigitalDestination.Failed(ex);
            }
        }

        var bulk = writes.Count <= options.BulkThreshold ? [] : writes.Where(w => w.Write.ContactId is null).ToList();
        if (bulk.Count == 0)
        {
            return ids;
        }

        writes = bulk;
        var import = await client.ImportContactsAsync(writes.Select(w => w.Write).ToList(), options.MergeOption, cancellationToken);
        var byEmail = writes.GroupBy(w => w.Write.MatchValue, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(w => w.Key).ToList(), StringComparer.OrdinalIgnoreCase);
        foreach (var failure in import.Failures)
        {
            if (!failure.Identifiers.TryGetValue("email", out var email) || email is null || !byEmail.TryGetValue(email.Trim(), out var keys))
            {
                continue;
            }

            var first = failure.Failures.FirstOrDefault();
            var message = string.Join("; ", failure.Failures.Select(f => $"{f.FailureCode}: {DotdigitalErrors.MaskPersonalData(f.Description)}"));
            foreach (var key in keys)
            {
                failures[key] = new ItemFailure(DotdigitalErrors.ForItem(first?.FailureCode), first?.FailureCode,
                    message.Length == 0 ? "rejected by the import without a reason" : message);
            }
        }

        foreach (var contact in import.CreatedContacts.Concat(import.UpdatedContacts))
        {
            if (contact.Identifiers.TryGetValue("email", out var email) && email is not null && byEmail.TryGetValue(email, out var keys))
            {
                directory.RememberContact(email, contact.ContactId);
                foreach (var key in keys.Where(k => !failures.ContainsKey(k)))
                {
                    ids[key] = contact.ContactId.ToString(CultureInfo.InvariantCulture);
                }
            }
        }

        return ids;
    }
    private static string? CanonicalValue(Customer customer, string name) => name.ToLowerInvariant() switch
    {
        "firstname" => Blank(customer.FirstName),
        "lastname" => Blank(customer.LastName),
        "fullname" => Blank($"{customer.FirstName?.Trim()} {customer.LastName?.Trim()}"),
        // Date data fields take ISO-8601.
        "dateofbirth" => customer.DateOfBirth?.ToString("yyyy-MM-dd'T'00:00:00'Z'", CultureInfo.InvariantCulture),
        "customernumber" => Blank(customer.CustomerNumber),
        "store" => Blank(customer.Store),
        "locale" => Blank(customer.Locale),
        "currency" => Blank(customer.Currency),
        _ => null,
    };


    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Amount(decimal value) => MoneyRounding.Format(value);

    private static string? Timestamp(DateTimeOffset? value) => DotdigitalDestination.Timestamp(value);
}
