using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

public sealed partial class CommercetoolsSource
{
    /// <summary>One page as served: the ids in the order they came, and what was mapped or rejected.</summary>
    private sealed record MappedPage(IReadOnlyList<string?> Ids, List<CanonicalRecord> Records, List<SourceRejection> Rejected)
    {
        public int Served => Ids.Count;

        public string? LastId => Ids.Count == 0 ? null : Ids[^1];
    }

    /// <summary>The closed-open <c>lastModifiedAt</c> window of an incremental read, as predicates with variables.</summary>
    private static (List<string> Where, Dictionary<string, string> Variables) Window(SourceReadRequest request)
    {
        var window = new List<string>();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.ModifiedFrom is { } from)
        {
            window.Add("lastModifiedAt >= :since");
            variables["since"] = Timestamp(from);
            if (request.ModifiedBefore is { } before)
            {
                window[0] += " and lastModifiedAt < :until";
                variables["until"] = Timestamp(before);
            }
        }
        else if (request.ModifiedBefore is { } before)
        {
            window.Add("lastModifiedAt < :until");
            variables["until"] = Timestamp(before);
        }

        return (window, variables);
    }

    private async Task<MappedPage> ReadCustomerPageAsync(List<string> where, Dictionary<string, string> variables, int limit,
        CancellationToken cancellationToken)
    {
        var page = await Client.QueryCustomersAsync(new CustomerQueryRequest(where, variables, ["id asc"], limit), cancellationToken);
        var records = new List<CanonicalRecord>(page.Results.Count);
        var rejected = new List<SourceRejection>();
        foreach (var result in page.Results)
        {
            if (Map(result, out var reason) is { } customer)
            {
                records.Add(customer);
            }
            else
            {
                rejected.Add(new SourceRejection(EntityKind.Customer, result.Id ?? string.Empty, reason!,
                    CustomerMapper.Summarize(result.Customer, result.Id)));
            }
        }

        return new MappedPage(page.Results.Select(r => r.Id).ToList(), records, rejected);
    }

    private async Task<MappedPage> ReadOrderPageAsync(List<string> where, Dictionary<string, string> variables, int limit,
        CancellationToken cancellationToken)
    {
        var query = new OrderQueryRequest(where, variables, ["id asc"], limit, Expand: [CommercetoolsClient.PaymentsExpansion]);
        var page = await Client.QueryOrdersAsync(query, cancellationToken);
        var records = new List<CanonicalRecord>(page.Results.Count);
        var rejected = new List<SourceRejection>();
        foreach (var result in page.Results)
        {
            if (MapOrder(result, out var reason) is { } order)
            {
                records.Add(order);
            }
            else
            {
                rejected.Add(new SourceRejection(EntityKind.Order, result.Id ?? string.Empty, reason!,
                    OrderMapper.Summarize(result.Order, result.Id)));
            }
        }

        return new MappedPage(page.Results.Select(r => r.Id).ToList(), records, rejected);
    }

    private Order? MapOrder(OrderRecord record, out string? reason)
    {
        if (record.Order is null)
        {
            reason = record.ReadError ?? "the record could not be read";
            return null;
        }

        return OrderMapper.Map(record.Order, _options, out reason);
    }
}
