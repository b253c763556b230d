namespace Tributary.Core.Facts;

/// <summary>
/// One line of sales data: a sold, returned or cancelled quantity of one item under an order, booked to a buyer. Returns and
/// cancellations are negative lines under the original order (marketing platforms take no corrections).
/// </summary>
/// <param name="Order">The order id written in the sales data (the order number when there is one).</param>
/// <param name="At">When the line was booked (placed, refunded or cancelled).</param>
/// <param name="Customer">The buyer's customer id, when the line goes by customer.</param>
/// <param name="Email">The buyer's normalised email, when the line goes by email (a guest).</param>
/// <param name="Item">The item id (the SKU, or the item configured for amount-only refunds).</param>
/// <param name="Price">The line's value after discounts, negative for a return or cancellation.</param>
/// <param name="Quantity">The quantity, negative for a return or cancellation.</param>
public sealed record SalesLine(
    string Order,
    DateTimeOffset At,
    string? Customer,
    string? Email,
    string Item,
    decimal Price,
    decimal Quantity) : Fact;
