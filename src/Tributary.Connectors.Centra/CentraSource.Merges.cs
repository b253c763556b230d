using System.Text.Json;
using Tributary.Connectors.Centra.Mapping;
using Tributary.Core.Model;

namespace Tributary.Connectors.Centra;

public sealed partial class CentraSource
{
    /// <summary>
    /// The order side of a merge: an order placed by an unregistered (guest) customer whose email belongs to a registered
    /// customer is re-keyed to that customer, so its sales, summary and events count for the surviving contact. The guest's own
    /// id is never a contact key once a survivor exists, so nothing is left attached to it.
    /// </summary>
    private async Task RekeyGuestOrdersAsync(IReadOnlyList<JsonElement> nodes, List<CanonicalRecord> records, CancellationToken cancellationToken)
    {
        var guestOrders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (Node.Obj(node, "customer") is { } customer && CustomerMapper.IsUnregistered(customer)
                && Node.Text(customer, "email") is { Length: > 0 } email && Node.Id(node, "number") is { } number)
            {
                guestOrders[number] = email.Trim();
            }
        }

        if (guestOrders.Count == 0)
        {
            return;
        }

        var survivors = await FindSurvivorsAsync(guestOrders.Values, cancellationToken);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is Order o && guestOrders.TryGetValue(o.SourceId, out var email)
                && survivors.GetValueOrDefault(email) is { } survivor && survivor != o.CustomerId)
            {
                records[i] = o with { CustomerId = survivor };
            }
        }
    }

    /// <summary>The registered customer (lowest id) holding each email, one lookup per distinct email.</summary>
    private async Task<Dictionary<string, string?>> FindSurvivorsAsync(IEnumerable<string> emails, CancellationToken cancellationToken)
    {
        var survivors = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var email in emails.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var matches = await Client.FindCustomersByEmailAsync(email, _options.CustomerSelection, cancellationToken);
            survivors[email] = matches
                .Where(m => !CustomerMapper.IsUnregistered(m) && Node.Id(m, "id") is not null)
                .Select(m => Node.Id(m, "id")!)
                .OrderBy(id => id.Length).ThenBy(id => id, StringComparer.Ordinal)
                .FirstOrDefault();
        }

        return survivors;
    }
}
