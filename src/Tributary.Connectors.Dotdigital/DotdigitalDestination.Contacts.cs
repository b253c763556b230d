using System.Globalization;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalDestination
{
    private async Task<DeliveryResult> DeliverCustomersAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var writes = new List<(string Key, DotdigitalContactWrite Write)>(items.Count);
        foreach (var item in items)
        {
            // The email comes from the full projection: an update carries only what changed.
            if (!item.Fields.TryGetValue(EmailField, out var email) || string.IsNullOrEmpty(email))
            {
                failures[item.Key] = new ItemFailure(FailureKind.Invalid, null, "no email address to identify the contact by");
                continue;
            }

            writes.Add((item.Key, ContactWrite(email, item.Changes, item.Fields)));
        }

        var ids = await WriteContactsAsync(writes, failures, cancellationToken);
        foreach (var (key, write) in writes.Where(w => !failures.ContainsKey(w.Key)))
        {
            _directory.Remember(key, write.MatchValue, ids.TryGetValue(key, out var id) ? long.Parse(id, CultureInfo.InvariantCulture) : null);
        }

        return new DeliveryResult(failures, ids.Count == 0 ? null : ids);
    }

    private async Task<DeliveryResult> DeliverSummariesAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var writes = new List<(string Key, DotdigitalContactWrite Write)>(items.Count);
        foreach (var item in items)
        {
            if (await _directory.EmailAsync(item.Key, cancellationToken) is not { } email)
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

    private DotdigitalContactWrite ContactWrite(string email, IReadOnlyDictionary<string, string?> changes, IReadOnlyDictionary<string, string?> fields)
    {
        var data = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (name.StartsWith(DataFieldPrefix, StringComparison.Ordinal))
            {
                data[name[DataFieldPrefix.Length..]] = value;
            }
        }

        var status = changes.TryGetValue(EmailStatusField, out var s) && !string.IsNullOrEmpty(s) ? s : null;
        List<long>? lists = null;
        if (changes.ContainsKey(ListsField) && fields.TryGetValue(ListsField, out var listText) && !string.IsNullOrEmpty(listText))
        {
            lists = listText.Split(',').Select(l => long.Parse(l, CultureInfo.InvariantCulture)).ToList();
        }

        return new DotdigitalContactWrite("email", new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = email }, data, status, lists,
            _numericFields);
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

        if (writes.Count <= _options.BulkThreshold)
        {
            foreach (var (key, write) in writes)
            {
                try
                {
                    var contact = await Client.UpsertContactAsync(write, _options.MergeOption, cancellationToken);
                    if (contact.ContactId > 0)
                    {
                        ids[key] = contact.ContactId.ToString(CultureInfo.InvariantCulture);
                        _directory.RememberContact(write.MatchValue, contact.ContactId);
                    }
                }
                catch (DotdigitalException ex) when (IsItemProblem(ex))
                {
                    failures[key] = Failed(ex);
                }
            }

            return ids;
        }

        var import = await Client.ImportContactsAsync(writes.Select(w => w.Write).ToList(), _options.MergeOption, cancellationToken);
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
                _directory.RememberContact(email, contact.ContactId);
                foreach (var key in keys.Where(k => !failures.ContainsKey(k)))
                {
                    ids[key] = contact.ContactId.ToString(CultureInfo.InvariantCulture);
                }
            }
        }

        return ids;
    }
}
