using Tributary.Core.Model;

namespace Tributary.Engine.Reconciliation;

public sealed partial class Reconciler
{
    /// <summary>Orders whose customer has no contact in a destination, and SKUs ordered that the catalogue does not carry.</summary>
    private async Task FindOrphansAsync(IReadOnlyList<EntityKind> entities, RunState run, CancellationToken cancellationToken)
    {
        if (!entities.Contains(EntityKind.Order))
        {
            return;
        }

        foreach (var destination in _destinations.Where(d => d.Connector.Supports(EntityKind.Order) && d.Connector.Supports(EntityKind.Customer)))
        {
            var contacts = await KeysAtAsync(destination.Name, EntityKind.Customer, entities, run, cancellationToken);
            foreach (var (order, customer, _) in run.Orders.Where(o => o.Customer is not null && !contacts.Contains(o.Customer)))
            {
                run.Orphans.Add(new ReconciliationOrphan(OrphanKind.OrderWithoutContact, destination.Name, order,
                    $"order of customer {customer}, who has no contact in {destination.Name}"));
            }
        }

        if (!entities.Contains(EntityKind.Product))
        {
            return;
        }

        foreach (var destination in _destinations.Where(d => d.Connector.Supports(EntityKind.Product)))
        {
            var catalogue = await KeysAtAsync(destination.Name, EntityKind.Product, entities, run, cancellationToken);
            var missing = run.Orders.SelectMany(o => o.Skus).Where(s => !catalogue.Contains(s))
                .GroupBy(s => s, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (var sku in missing)
            {
                var atSource = run.SourceKeys.GetValueOrDefault(EntityKind.Product)?.Contains(sku.Key) == true;
                run.Orphans.Add(new ReconciliationOrphan(OrphanKind.SkuNotInCatalogue, destination.Name, sku.Key,
                    $"ordered in {sku.Count()} order(s); {(atSource ? "the source has the product but the catalogue does not" : "the source catalogue does not have it either")}"));
            }
        }
    }

    private async Task<HashSet<string>> KeysAtAsync(string destination, EntityKind entity, IReadOnlyList<EntityKind> entities, RunState run,
        CancellationToken cancellationToken)
    {
        if (entities.Contains(entity) && run.HasPresent(destination, entity))
        {
            return run.Present(destination, entity);
        }

        var keys = run.DeliveredKeys(destination, entity);
        if (keys.Count == 0)
        {
            await foreach (var row in _store.ReadDeliveredAsync(destination, entity, cancellationToken))
            {
                keys.Add(row.Key);
            }
        }

        return keys;
    }
}
