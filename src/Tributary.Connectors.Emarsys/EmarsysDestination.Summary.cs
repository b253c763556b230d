using System.Globalization;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Emarsys;

public sealed partial class EmarsysDestination
{
    private static readonly string[] SummaryNames = ["orderCount", "lifetimeValue", "averageOrderValue", "firstOrderDate", "lastOrderDate"];

    /// <summary>
    /// Projects derived attributes onto the configured contact fields, keyed like the customer. Amounts are invariant with two
    /// decimals (in the summary's currency), dates <c>yyyy-MM-dd</c> in UTC (Emarsys rejects other date formats with 2007).
    /// </summary>
    private Projection ProjectSummary(CustomerSummary summary)
    {
        if (string.IsNullOrWhiteSpace(summary.CustomerId))
        {
            return Projection.Quarantine("customer summary without a customer id");
        }

        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, fieldId) in _options.SummaryFields)
        {
            fields[fieldId] = SummaryValue(summary, name);
        }

        return new Projection(fields, DependsOn: new DependencyKey(EntityKind.Customer, summary.CustomerId.Trim()));
    }

    private static string? SummaryValue(CustomerSummary summary, string name) => name.ToLowerInvariant() switch
    {
        "ordercount" => summary.OrderCount.ToString(CultureInfo.InvariantCulture),
        "lifetimevalue" => Amount(summary.LifetimeValue),
        "averageordervalue" => Amount(summary.AverageOrderValue),
        "firstorderdate" => Date(summary.FirstOrderAt),
        "lastorderdate" => Date(summary.LastOrderAt),
        _ => null,
    };

    private static string Amount(decimal value) =>
        Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture);

    private static string? Date(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
