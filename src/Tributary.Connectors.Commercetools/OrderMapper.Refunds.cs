using Tributary.Connectors.Commercetools.Api;
using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

internal static partial class OrderMapper
{
    private const string RefundType = "Refund";
    private const string SuccessState = "Success";
    private const string RefundedState = "Refunded";

    /// <summary>
    /// One refund per successful Refund transaction of the order's (expanded) payments, in time order. commercetools does not
    /// link a transaction to return items, so lines are associated by position: the n-th refund takes the Refunded items of
    /// the n-th return (<c>returnInfo</c> entry, in order) that has any; a refund beyond those has no lines (a goodwill refund).
    /// A transaction without a timestamp is dated by the order's <c>lastModifiedAt</c>.
    /// </summary>
    private static List<Refund> Refunds(OrderDto o, string currency, HashSet<string> lineIds)
    {
        var transactions = new List<TransactionDto>();
        foreach (var reference in o.PaymentInfo?.Payments ?? [])
        {
            if (reference.Obj is null)
            {
                throw new Unmappable(
                    $"payment {reference.Id ?? "(no id)"} is not expanded, so its refunds cannot be read (the API client may lack view_payments)");
            }

            transactions.AddRange((reference.Obj.Transactions ?? []).Where(t =>
                string.Equals(t.Type, RefundType, StringComparison.Ordinal) && string.Equals(t.State, SuccessState, StringComparison.Ordinal)));
        }

        if (transactions.Count == 0)
        {
            return [];
        }

        var returns = RefundedReturns(o, lineIds);
        var ordered = transactions.OrderBy(t => t.Timestamp ?? o.LastModifiedAt).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        var refunds = new List<Refund>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var t = ordered[i];
            if (string.IsNullOrEmpty(t.Id))
            {
                throw new Unmappable("a refund transaction has no id");
            }

            var amount = ReadMoney(t.Amount, $"refund transaction {t.Id} amount", currency);
            refunds.Add(new Refund(t.Id, i < returns.Count ? returns[i] : [], amount, t.Timestamp ?? o.LastModifiedAt));
        }

        return refunds;
    }

    /// <summary>Per return that has Refunded line items: those items' quantities, summed per line.</summary>
    private static List<IReadOnlyList<ShipmentLine>> RefundedReturns(OrderDto o, HashSet<string> lineIds)
    {
        var result = new List<IReadOnlyList<ShipmentLine>>();
        foreach (var info in o.ReturnInfo ?? [])
        {
            var lines = new List<ShipmentLine>();
            foreach (var item in info.Items ?? [])
            {
                // Custom line item returns have no lineItemId and no canonical line to point at.
                if (!string.Equals(item.PaymentState, RefundedState, StringComparison.Ordinal) || item.LineItemId is null)
                {
                    continue;
                }

                if (!lineIds.Contains(item.LineItemId))
                {
                    throw new Unmappable($"return item {item.Id} names a line item the order does not have ({item.LineItemId})");
                }

                var index = lines.FindIndex(l => l.LineId == item.LineItemId);
                if (index >= 0)
                {
                    lines[index] = lines[index] with { Quantity = lines[index].Quantity + item.Quantity };
                }
                else
                {
                    lines.Add(new ShipmentLine(item.LineItemId, item.Quantity));
                }
            }

            if (lines.Count > 0)
            {
                result.Add(lines);
            }
        }

        return result;
    }
}
