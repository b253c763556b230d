using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>Each customer's order history, built from every order's contribution, for the customer summary fields.</summary>
public interface IOrderHistoryStore
{
    /// <summary>
    /// Records each order's contribution to its customer's history (replacing the order's previous contribution) and returns
    /// the recomputed summary of every customer touched.
    /// </summary>
    Task<IReadOnlyList<CustomerSummary>> RecordOrderFactsAsync(IReadOnlyList<OrderFact> facts, CancellationToken cancellationToken);
}
