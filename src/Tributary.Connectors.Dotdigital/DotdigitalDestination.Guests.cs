using Tributary.Core.Contracts;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalDestination
{
    private static bool IsGuest(DeliveryItem item) =>
        !item.Fields.TryGetValue(OrderCustomerField, out var customer) || string.IsNullOrEmpty(customer);

    /// <summary>
    /// <see cref="GuestOrderHandling.CreateContact"/>: a guest order's email becomes a contact before its record is written. The contact
    /// is read first: an existing one is left as it is (its status too); a missing one is created <c>unsubscribed</c>, because a
    /// guest checkout is no opt-in and a contact written without a status would become subscribed.
    /// </summary>
    private async Task EnsureGuestContactsAsync(IReadOnlyList<DeliveryItem> items, List<(string Key, DotdigitalInsightRecord Record)> records,
        Dictionary<string, ItemFailure> failures, CancellationToken cancellationToken)
    {
        var guests = items.Where(IsGuest).Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var group in records.Where(r => guests.Contains(r.Key)).GroupBy(r => r.Record.ContactValue!, StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                if (await _directory.ContactIdAsync(group.Key, cancellationToken) is not null)
                {
                    continue;
                }

                var write = new DotdigitalContactWrite("email", new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = group.Key },
                    new Dictionary<string, string?>(StringComparer.Ordinal), DotdigitalEmailStatus.Unsubscribed,
                    _options.GuestListIds.Count > 0 ? [.. _options.GuestListIds] : null, null);
                var contact = await Client.UpsertContactAsync(write, _options.MergeOption, cancellationToken);
                if (contact.ContactId > 0)
                {
                    _directory.RememberContact(group.Key, contact.ContactId);
                }
            }
            catch (DotdigitalException ex) when (IsItemProblem(ex))
            {
                foreach (var (key, _) in group)
                {
                    failures[key] = new ItemFailure(ex.Kind, ex.PlatformCode, "the guest's contact could not be created: " + ex.Message);
                }
            }
        }
    }

    /// <summary>A guest order whose email is no contact says what to do about it (the default policy creates no contacts).</summary>
    private void ExplainGuestsWithoutContact(IReadOnlyList<DeliveryItem> items, Dictionary<string, ItemFailure> failures)
    {
        foreach (var item in items.Where(IsGuest))
        {
            if (failures.TryGetValue(item.Key, out var failure) && failure.Kind == FailureKind.NotFound
                && _options.GuestOrders == GuestOrderHandling.ExistingContact)
            {
                failures[item.Key] = failure with
                {
                    Message = $"guest order and no Dotdigital contact has its email (guestOrders: existingContact): create the contact, "
                        + $"or set guestOrders: createContact, then replay. {failure.Message}",
                };
            }
        }
    }
}
