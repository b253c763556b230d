using System.Globalization;
using Tributary.Core.Model;

namespace Tributary.Core.Rules;

/// <summary>Pure rules over customers: the welcome event.</summary>
public static class CustomerRules
{
    /// <summary>
    /// The welcome event (<see cref="CommerceEventType.CustomerCreated"/>, keyed by customer) for a customer created within the
    /// event horizon; null for one created before it (a backfill of existing customers starts no welcome journeys), for one
    /// whose source gives no creation time, and for one merged into another customer.
    /// </summary>
    public static CommerceEvent? Welcome(Customer customer, DateTimeOffset now, OrderScopeOptions scope)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentNullException.ThrowIfNull(scope);
        if (customer.CreatedAt == default || customer.CreatedAt < now - scope.EventHorizon
            || (customer.MergedInto is { } survivor && survivor != customer.SourceId))
        {
            return null;
        }

        return new CommerceEvent
        {
            Type = CommerceEventType.CustomerCreated,
            DedupeKey = $"CustomerCreated:{customer.SourceId}",
            CustomerId = customer.SourceId,
            SubjectId = customer.SourceId,
            OccurredAt = customer.CreatedAt,
            ModifiedAt = customer.ModifiedAt,
            SourceVersion = customer.SourceVersion,
            Data = new Dictionary<string, string?>
            {
                ["createdAt"] = customer.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                ["store"] = customer.Store,
                ["locale"] = customer.Locale,
                ["currency"] = customer.Currency,
            },
        };
    }
}
