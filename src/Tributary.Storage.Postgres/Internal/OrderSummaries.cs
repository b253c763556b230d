using Tributary.Core.Model;

namespace Tributary.Storage.Postgres.Internal;

/// <summary>A customer's summary from their order facts, by the same rule as the SQLite store.</summary>
internal static class OrderSummaries
{
    public static CustomerSummary Summarise(string customer, List<(DateTimeOffset At, decimal Net, string Currency, bool Counted)> rows)
    {
        var counted = rows.Where(r => r.Counted).ToList();
        var currency = counted.Count > 0 ? counted[^1].Currency : rows[^1].Currency;
        var inCurrency = counted.Where(r => r.Currency == currency).ToList();
        var value = inCurrency.Sum(r => r.Net);
        return new CustomerSummary
        {
            CustomerId = customer,
            OrderCount = counted.Count,
            LifetimeValue = value,
            AverageOrderValue = inCurrency.Count == 0 ? 0 : Math.Round(value / inCurrency.Count, 2),
            Currency = currency,
            FirstOrderAt = counted.Count == 0 ? null : counted[0].At,
            LastOrderAt = counted.Count == 0 ? null : counted[^1].At,
            ModifiedAt = rows.Max(r => r.At),
            SourceVersion = 0,
        };
    }
}
