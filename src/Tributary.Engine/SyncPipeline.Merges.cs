using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    /// <summary>
    /// Customers the source reports as merged into another (<see cref="Customer.MergedInto"/>) are not contacts of their own:
    /// the source re-keys their orders to the survivor, so history, summary and events land on the surviving contact. Sending
    /// the merged record too would write a second contact with the same email (Emarsys) or overwrite the survivor's names and
    /// consent with the duplicate's (Dotdigital, which matches contacts by email). Each one is counted with its reason.
    /// </summary>
    private List<(EntityKind, SourcePage)> ExpandCustomers(SourcePage page, PageTally tally)
    {
        if (!page.Records.OfType<Customer>().Any(c => c.MergedInto is not null))
        {
            return [(EntityKind.Customer, page), (EntityKind.Event, Welcomes(page.Records))];
        }

        var kept = new List<CanonicalRecord>(page.Records.Count);
        foreach (var record in page.Records)
        {
            if (record is Customer { MergedInto: { } survivor } merged && survivor != merged.SourceId)
            {
                tally.Skip(merged.Key, "customer merged into another customer (its orders count for the survivor)");
                continue;
            }

            kept.Add(record);
        }

        return [(EntityKind.Customer, new SourcePage(kept, page.LastKey, page.Rejected)), (EntityKind.Event, Welcomes(kept))];
    }

    /// <summary>The welcome events of customers created within the event horizon (none for a backfill of older customers).</summary>
    private SourcePage Welcomes(IReadOnlyList<CanonicalRecord> records)
    {
        var now = _time.GetUtcNow();
        var welcomes = records.OfType<Customer>()
            .Select(c => CustomerRules.Welcome(c, now, _options.OrderScope))
            .OfType<CanonicalRecord>()
            .ToList();
        return new SourcePage(welcomes, null);
    }
}
