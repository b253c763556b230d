using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Tributary.Sandbox.Commercetools.Query;

namespace Tributary.Sandbox.Commercetools;

public sealed partial class CommercetoolsEmulator
{
    private const string ViewOrders = "view_orders";
    private const string ManageOrders = "manage_orders";
    private const string ViewPayments = "view_payments";
    private const string ManagePayments = "manage_payments";

    /// <summary>The expansion path that inlines every payment of <c>paymentInfo.payments</c>.</summary>
    private const string PaymentsExpansion = "paymentInfo.payments[*]";

    private readonly ResourceStore<SandboxOrder, OrderShape> _orders = new();

    /// <summary>Payments by id. Values are replaced, never changed in place, so a reader always sees one whole version.</summary>
    private readonly ConcurrentDictionary<string, SandboxPayment> _payments = new(StringComparer.Ordinal);

    private IResult QueryOrders(HttpContext http, string projectKey)
    {
        if (Authorize(http, projectKey, ViewOrders, ManageOrders) is { } denied)
        {
            return denied;
        }

        ResourceQuery query;
        try
        {
            query = ResourceQuery.ForOrders(http.Request.Query);
        }
        catch (PredicateException e)
        {
            return CtResults.InvalidInput(e.Message);
        }

        var payments = ExpandsPayments(query.Expand) ? _payments : null;
        return new JsonBytesResult(StatusCodes.Status200OK, _orders.Query(query, (w, o) => OrderJson.Write(w, o, payments), TakeOutOfOrderPage));
    }

    /// <summary><c>GET /orders/{id}</c> and <c>GET /orders/order-number={orderNumber}</c>.</summary>
    private IResult GetOrderById(HttpContext http, string projectKey, string id)
    {
        if (Authorize(http, projectKey, ViewOrders, ManageOrders) is { } denied)
        {
            return denied;
        }

        var payments = ExpandsPayments([.. http.Request.Query["expand"].Select(e => e ?? string.Empty)]) ? _payments : null;
        const string byNumber = "order-number=";
        return _orders.Read(all =>
        {
            var order = id.StartsWith(byNumber, StringComparison.Ordinal)
                ? all.Values.FirstOrDefault(o => o.OrderNumber == id[byNumber.Length..])
                : all.GetValueOrDefault(id);
            if (order is null)
            {
                return id.StartsWith(byNumber, StringComparison.Ordinal)
                    ? CtResults.NotFound($"The Resource with order number '{id[byNumber.Length..]}' was not found.")
                    : NotFound(id);
            }

            return CtResults.Json(StatusCodes.Status200OK, w => OrderJson.Write(w, order, payments), 4096);
        });
    }

    private IResult GetPaymentById(HttpContext http, string projectKey, string id)
    {
        if (Authorize(http, projectKey, ViewPayments, ManagePayments, ViewOrders, ManageOrders) is { } denied)
        {
            return denied;
        }

        return _payments.TryGetValue(id, out var payment)
            ? CtResults.Json(StatusCodes.Status200OK, w => OrderJson.WritePayment(w, payment))
            : NotFound(id);
    }

    /// <summary>
    /// True when the payments are to be inlined. Expansion paths the emulator does not know are ignored, as the platform leaves
    /// references it cannot expand without <c>obj</c>.
    /// </summary>
    private static bool ExpandsPayments(IReadOnlyList<string> expand) =>
        expand.Any(e => e.Replace(" ", string.Empty, StringComparison.Ordinal) is PaymentsExpansion or "paymentInfo.payments[0]");
}
