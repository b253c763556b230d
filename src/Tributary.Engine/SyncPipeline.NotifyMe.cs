using System.Globalization;
using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>How a "notify me" subscription request ended.</summary>
public enum NotifyMeOutcome
{
    /// <summary>Stored: the contact hears once when the SKU is back in stock.</summary>
    Subscribed,
    /// <summary>The contact already waits for this SKU; nothing changed.</summary>
    AlreadySubscribed,
    /// <summary>No product or stock with this SKU is known (delivered or read): nothing stored.</summary>
    UnknownSku,
    /// <summary>No synced customer has this id or email address: nothing stored (a trigger needs a contact).</summary>
    UnknownContact,
}

public sealed partial class SyncPipeline
{
    /// <summary>The rule-state name of Tributary's own "notify me" lists: per SKU, the waiting customers and when they asked.</summary>
    public const string NotifyMeRule = "notify-me";

    // One writer at a time: a subscription is a read-modify-write of the SKU's list.
    private readonly SemaphoreSlim _notifyMeGate = new(1, 1);

    /// <summary>
    /// Stores a "notify me" request for <paramref name="sku"/> by a synced customer, named by id or by email address (matched on
    /// the address the customer was last synced with; no address is stored). The request fires once, at the SKU's next
    /// back-in-stock crossing, and then ends.
    /// </summary>
    public async Task<NotifyMeOutcome> SubscribeBackInStockAsync(string sku, string? customerId, string? email, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        var known = await _store.GetRuleStateAsync(StockRule, EntityKind.Stock, [sku], cancellationToken);
        if (known.Count == 0 && (await PublishedSkusAsync([sku], cancellationToken))?.Contains(sku) != true)
        {
            return NotifyMeOutcome.UnknownSku;
        }

        var contact = customerId;
        if (contact is null && !string.IsNullOrWhiteSpace(email))
        {
            var hash = ContactAddress.Hash(email);
            var found = await _store.FindContactsAsync([hash], cancellationToken);
            // One address may belong to two customers (before a merge): the lowest id is taken, so a retry picks the same one.
            contact = found.GetValueOrDefault(hash)?.Order(StringComparer.Ordinal).FirstOrDefault();
        }

        if (contact is null || !await IsSyncedCustomerAsync(contact, cancellationToken))
        {
            return NotifyMeOutcome.UnknownContact;
        }

        await _notifyMeGate.WaitAsync(cancellationToken);
        try
        {
            var current = (await _store.GetRuleStateAsync(NotifyMeRule, EntityKind.Stock, [sku], cancellationToken)).GetValueOrDefault(sku);
            if (current?.ContainsKey(contact) == true)
            {
                return NotifyMeOutcome.AlreadySubscribed;
            }

            var now = _time.GetUtcNow();
            var next = new Dictionary<string, string?>(current ?? new Dictionary<string, string?>(), StringComparer.Ordinal)
            {
                [contact] = now.ToString("O", CultureInfo.InvariantCulture),
            };
            await _store.SaveRuleStateAsync(NotifyMeRule, EntityKind.Stock, new Dictionary<string, IReadOnlyDictionary<string, string?>> { [sku] = next },
                now, cancellationToken);
            return NotifyMeOutcome.Subscribed;
        }
        finally
        {
            _notifyMeGate.Release();
        }
    }

    private async Task<bool> IsSyncedCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        foreach (var target in _destinations.Where(d => d.Connector.Supports(EntityKind.Customer)))
        {
            if ((await _store.GetDeliveredAsync(target.Name, EntityKind.Customer, [customerId], cancellationToken)).Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The "notify me" subscribers of the SKUs that just came back in stock, taken off their lists (each request fires once).
    /// Under <see cref="PipelineOptions.NotifyMeNeedsMarketingConsent"/> only contacts whose email answer is an opt-in are sent
    /// to; otherwise the request is the permission for this one message, unless the contact opted out of email after asking.
    /// Subscribers left out for consent are taken off too, and counted with the reason.
    /// </summary>
    private async Task<Dictionary<string, List<string>>> TakeNotifyMeAsync(IReadOnlyCollection<string> skus, bool dryRun, PassCounters counters,
        CancellationToken cancellationToken)
    {
        var audience = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (skus.Count == 0)
        {
            return audience;
        }

        await _notifyMeGate.WaitAsync(cancellationToken);
        try
        {
            var lists = await _store.GetRuleStateAsync(NotifyMeRule, EntityKind.Stock, skus, cancellationToken);
            var waiting = lists.Where(l => l.Value.Count > 0).ToList();
            if (waiting.Count == 0)
            {
                return audience;
            }

            var contacts = waiting.SelectMany(l => l.Value.Keys).Distinct(StringComparer.Ordinal).ToList();
            var answers = (await _store.GetConsentAsync(contacts, cancellationToken))
                .Where(e => e.Side == ConsentSide.Source && e.Channel == ConsentChannels.Email)
                .GroupBy(e => e.Contact, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.MaxBy(e => e.Effective)!, StringComparer.Ordinal);
            foreach (var (sku, subscribers) in waiting)
            {
                var sent = audience[sku] = [];
                foreach (var (contact, askedAt) in subscribers)
                {
                    var answer = answers.GetValueOrDefault(contact);
                    var asked = DateTimeOffset.TryParse(askedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : DateTimeOffset.MinValue;
                    var allowed = _options.NotifyMeNeedsMarketingConsent
                        ? answer?.Status == ConsentStatus.Subscribed
                        : answer is not { Status: ConsentStatus.Unsubscribed } || answer.Effective < asked;
                    if (allowed)
                    {
                        sent.Add(contact);
                    }
                    else
                    {
                        counters.AddNote(_options.NotifyMeNeedsMarketingConsent
                            ? "BackInStock notify-me request not sent: the contact has no email opt-in"
                            : "BackInStock notify-me request not sent: the contact opted out of email after asking");
                    }
                }
            }

            if (!dryRun)
            {
                var emptied = waiting.ToDictionary(l => l.Key, _ => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>(), StringComparer.Ordinal);
                await _store.SaveRuleStateAsync(NotifyMeRule, EntityKind.Stock, emptied, _time.GetUtcNow(), cancellationToken);
            }

            return audience;
        }
        finally
        {
            _notifyMeGate.Release();
        }
    }
}
