using System.Globalization;
using System.Text;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalDestination
{
    /// <summary>
    /// Upserts whole records (an Insight upsert replaces the record) keyed by the record key: one PUT each up to the bulk threshold
    /// (falling back to the import when the collection does not exist yet), one polled import above it.
    /// </summary>
    private async Task<DeliveryResult> DeliverInsightAsync(IReadOnlyList<DeliveryItem> items, string collection, string scope, string type,
        CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var records = new List<(string Key, DotdigitalInsightRecord Record)>(items.Count);
        foreach (var item in items)
        {
            if (!item.Fields.TryGetValue(RecordField, out var json) || string.IsNullOrEmpty(json))
            {
                failures[item.Key] = new ItemFailure(FailureKind.Invalid, null, "no record to send");
                continue;
            }

            string? contact = null;
            if (scope == "contact")
            {
                contact = await OrderContactAsync(item, cancellationToken);
                if (contact is null)
                {
                    failures[item.Key] = new ItemFailure(FailureKind.Invalid, null, "no contact email for the order");
                    continue;
                }
            }

            records.Add((item.Key, new DotdigitalInsightRecord(item.Key, Encoding.UTF8.GetBytes(json), contact is null ? null : "email", contact)));
        }

        if (scope == "contact" && _options.GuestOrders == GuestOrderHandling.CreateContact)
        {
            await EnsureGuestContactsAsync(items, records, failures, cancellationToken);
            records = records.Where(r => !failures.ContainsKey(r.Key)).ToList();
        }

        var pending = records;
        if (records.Count <= _options.BulkThreshold)
        {
            pending = [];
            foreach (var (key, record) in records)
            {
                if (pending.Count > 0)
                {
                    pending.Add((key, record));
                    continue;
                }

                try
                {
                    await Client.PutInsightRecordAsync(collection, record, cancellationToken);
                }
                catch (DotdigitalException ex) when (ex.PlatformCode == "insightData:collectionNotFound")
                {
                    // Single-record writes do not create collections; the import does (as Dotdigital's own app falls back).
                    pending.Add((key, record));
                }
                catch (DotdigitalException ex) when (IsItemProblem(ex))
                {
                    failures[key] = Failed(ex);
                }
            }
        }

        if (pending.Count > 0)
        {
            var import = await Client.ImportInsightAsync(collection, scope, type, pending.Select(p => p.Record).ToList(), cancellationToken);
            var keys = pending.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var failure in import.Failures)
            {
                var key = failure.KeyText;
                if (keys.Contains(key))
                {
                    failures[key] = new ItemFailure(DotdigitalErrors.ForItem(failure.FailureReason), failure.FailureReason,
                        $"Insight record rejected: {failure.FailureReason ?? "no reason given"}");
                }
            }
        }

        if (scope == "contact")
        {
            ExplainGuestsWithoutContact(items, failures);
        }

        return new DeliveryResult(failures);
    }

    // The customer's contact email when known (the order email may differ from the contact's), else the order's own email.
    private async Task<string?> OrderContactAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        if (item.Fields.TryGetValue(OrderCustomerField, out var customer) && !string.IsNullOrEmpty(customer)
            && await _directory.EmailAsync(customer, cancellationToken) is { } known)
        {
            return known;
        }

        return item.Fields.TryGetValue(OrderContactField, out var email) && !string.IsNullOrEmpty(email) ? email : null;
    }
}
