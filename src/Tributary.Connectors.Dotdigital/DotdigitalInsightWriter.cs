using System.Text;
using System.Text.Json;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// Orders as records of the contact-scoped <c>Orders</c> Insight collection, and the Insight upsert every collection shares
/// (the catalogue writes through it too). An order's record is state: the whole record is compared and, when changed, replaces
/// the one Dotdigital holds.
/// </summary>
internal sealed class DotdigitalInsightWriter(DotdigitalClient client, DotdigitalDestinationOptions options, DotdigitalContactDirectory directory)
{
    /// <summary>Orders into the configured orders collection, each under its contact.</summary>
    public Task<DeliveryResult> DeliverOrdersAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) =>
        UpsertAsync(items, options.OrdersCollection, "contact", "orders", cancellationToken);

    public Projection Project(Order order)
    {
        if (!EmailRule.TryNormalize(order.Email, out var email, out var reason))
        {
            return Projection.Quarantine($"order has no usable email ({reason}): Order Insight records belong to a contact");
        }

        var refunded = order.Refunds.Sum(r => r.Amount.Amount);
        var status = order.Status is { } s && options.OrderStatuses.TryGetValue(s, out var mapped) ? mapped : order.SourceStatus?.ToLowerInvariant();
        if (order.Total.Amount > 0 && refunded >= order.Total.Amount && order.Status != OrderStatus.Cancelled)
        {
            status = options.RefundedStatus;
        }

        var record = new OrderInsight
        {
            Id = order.OrderNumber ?? order.SourceId,
            Email = email,
            StoreName = order.Store,
            PurchaseDate = DotdigitalDestination.Timestamp(order.PlacedAt)!,
            OrderStatus = status,
            Currency = order.Currency,
            OrderSubtotal = order.Lines.Sum(l => l.LineTotal.Amount),
            // Negative, as the official connectors send it.
            DiscountAmount = -order.Lines.Sum(l => l.Discount?.Amount ?? 0),
            OrderTotal = order.Total.Amount - refunded,
            Products = order.Lines.Count == 0 ? null : order.Lines.Select(l => new OrderInsightProduct
            {
                ProductId = l.ProductId ?? l.Sku,
                ParentId = l.ProductId ?? l.Sku,
                Name = l.Name ?? l.Sku,
                Sku = l.Sku,
                Qty = (int)Math.Round(l.Quantity, MidpointRounding.AwayFromZero),
                Price = l.UnitPrice.Amount,
            }).ToList(),
        };
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [DotdigitalDestination.OrderContactField] = email,
            [DotdigitalDestination.RecordField] = JsonSerializer.Serialize(record, DotdigitalInsightJsonContext.Default.OrderInsight),
        };
        if (!string.IsNullOrWhiteSpace(order.CustomerId))
        {
            fields[DotdigitalDestination.OrderCustomerField] = order.CustomerId;
            return new Projection(fields, DependsOn: new DependencyKey(EntityKind.Customer, order.CustomerId));
        }

        // A guest order waits on nothing: its contact is found by email (GuestOrders says whether one may be created; see README).
        return options.GuestOrders == GuestOrderHandling.Skip ? new Projection(new Dictionary<string, string?>()) : new Projection(fields);
    }

    /// <summary>
    /// Upserts whole records (an Insight upsert replaces the record) keyed by the record key: one PUT each up to the bulk threshold
    /// (falling back to the import when the collection does not exist yet), one polled import above it.
    /// </summary>
    public async Task<DeliveryResult> UpsertAsync(IReadOnlyList<DeliveryItem> items, string collection, string scope, string type,
        CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var records = new List<(string Key, DotdigitalInsightRecord Record)>(items.Count);
        foreach (var item in items)
        {
            if (!item.Fields.TryGetValue(DotdigitalDestination.RecordField, out var json) || string.IsNullOrEmpty(json))
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

        if (scope == "contact" && options.GuestOrders == GuestOrderHandling.CreateContact)
        {
            await EnsureGuestContactsAsync(items, records, failures, cancellationToken);
            records = records.Where(r => !failures.ContainsKey(r.Key)).ToList();
        }

        var pending = records;
        if (records.Count <= options.BulkThreshold)
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
                    await client.PutInsightRecordAsync(collection, record, cancellationToken);
                }
                catch (DotdigitalException ex) when (ex.PlatformCode == "insightData:collectionNotFound")
                {
                    // Single-record writes do not create collections; the import does (as Dotdigital's own app falls back).
                    pending.Add((key, record));
                }
                catch (DotdigitalException ex) when (DotdigitalDestination.IsItemProblem(ex))
                {
                    failures[key] = DotdigitalDestination.Failed(ex);
                }
            }
        }

        if (pending.Count > 0)
        {
            var import = await client.ImportInsightAsync(collection, scope, type, pending.Select(p => p.Record).ToList(), cancellationToken);
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
        if (item.Fields.TryGetValue(DotdigitalDestination.OrderCustomerField, out var customer) && !string.IsNullOrEmpty(customer)
            && await directory.EmailAsync(customer, cancellationToken) is { } known)
        {
            return known;
        }

        return item.Fields.TryGetValue(DotdigitalDestination.OrderContactField, out var email) && !string.IsNullOrEmpty(email) ? email : null;
    }
    private static bool IsGuest(DeliveryItem item) =>
        !item.Fields.TryGetValue(DotdigitalDestination.OrderCustomerField, out var customer) || string.IsNullOrEmpty(customer);

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
                if (await directory.ContactIdAsync(group.Key, cancellationToken) is not null)
                {
                    continue;
                }

                var write = new DotdigitalContactWrite("email", new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = group.Key },
                    new Dictionary<string, string?>(StringComparer.Ordinal), DotdigitalEmailStatus.Unsubscribed,
                    options.GuestListIds.Count > 0 ? [.. options.GuestListIds] : null, null);
                var contact = await client.UpsertContactAsync(write, options.MergeOption, cancellationToken);
                if (contact.ContactId > 0)
                {
                    directory.RememberContact(group.Key, contact.ContactId);
                }
            }
            catch (DotdigitalException ex) when (DotdigitalDestination.IsItemProblem(ex))
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
                && options.GuestOrders == GuestOrderHandling.ExistingContact)
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
