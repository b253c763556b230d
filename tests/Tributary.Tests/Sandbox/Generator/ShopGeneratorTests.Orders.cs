using Tributary.Sandbox.Commercetools;
using Tributary.Sandbox.Generator;

namespace Tributary.Tests.Sandbox.Generator;

public partial class ShopGeneratorTests
{
    private static (ShopGenerator Generator, IReadOnlyList<SandboxCustomer> Customers, IReadOnlyList<SandboxOrder> Orders) Shop(int seed,
        int customers, int orders)
    {
        var generator = new ShopGenerator(seed);
        var people = generator.Customers(customers);
        return (generator, people, generator.Orders(people, orders));
    }

    [Fact]
    public void Orders_SameSeed_SameOrders()
    {
        var a = Shop(7, 300, 600).Orders;
        var b = Shop(7, 300, 600).Orders;

        a.Select(DescribeOrder).ShouldBe(b.Select(DescribeOrder));
    }

    [Fact]
    public void Orders_GeneratedBeforeMoreCustomers_DoNotChangeThoseCustomers()
    {
        var plain = new ShopGenerator(5);
        plain.Customers(50);
        var expected = plain.Customers(50).Select(Describe).ToList();

        var withOrders = new ShopGenerator(5);
        withOrders.Orders(withOrders.Customers(50), 100);

        withOrders.Customers(50).Select(Describe).ShouldBe(expected);
    }

    [Fact]
    public void Orders_LargeShop_SharesAsSpecified()
    {
        // 60% of 4000 customers buying 3 times on average, plus 15% guests: about 8500 orders.
        var (generator, customers, orders) = Shop(11, 4_000, 8_500);

        Share(orders, o => o.CustomerId is null).ShouldBeInRange(0.12, 0.18);
        Share(orders, o => o.CustomerId is null && o.CustomerEmail is null).ShouldBeInRange(0.002, 0.009);
        orders.Where(o => o.CustomerId is not null).ShouldAllBe(o => o.CustomerEmail != null);
        var buyers = orders.Where(o => o.CustomerId is not null).Select(o => o.CustomerId).Distinct().Count();
        (buyers / (double)customers.Count).ShouldBeInRange(0.52, 0.64);
        orders.Where(o => o.CustomerId is not null).GroupBy(o => o.CustomerId).Max(g => g.Count()).ShouldBeGreaterThan(1);

        Share(orders, o => o.OrderState == "Cancelled").ShouldBeInRange(0.04, 0.06);
        orders.Select(o => o.OrderState).Distinct().Order().ShouldBe(["Cancelled", "Complete", "Confirmed", "Open"]);
        Share(orders, o => o.Deliveries.Count == 2).ShouldBeInRange(0.12, 0.18);
        Share(orders, o => o.ReturnInfo.Count > 0).ShouldBeInRange(0.06, 0.10);
        Share(orders, o => o.Store is "marketplace" or "b2b").ShouldBeInRange(0.08, 0.12);
        Share(orders, o => o.CustomFields.GetValueOrDefault("salesChannel") is "marketplace").ShouldBeInRange(0.015, 0.04);
        orders.Select(o => o.Store).Distinct().Order().ShouldBe(["b2b", "eu", "marketplace", "uk", "us"]);
        orders.Select(o => o.Id).Distinct().Count().ShouldBe(orders.Count);
        orders.Select(o => o.OrderNumber).Distinct().Count().ShouldBe(orders.Count);
        generator.Payments.Select(p => p.Id).Distinct().Count().ShouldBe(generator.Payments.Count);
    }

    [Fact]
    public void Orders_LargeShop_ConsistentMoneyShipmentsAndRefunds()
    {
        var (generator, _, orders) = Shop(13, 1_000, 2_000);
        var payments = generator.Payments.ToDictionary(p => p.Id);
        var currencies = new Dictionary<string, string> { ["eu"] = "EUR", ["uk"] = "GBP", ["us"] = "USD", ["marketplace"] = "EUR", ["b2b"] = "EUR" };

        foreach (var o in orders)
        {
            o.TotalPrice.CurrencyCode.ShouldBe(currencies[o.Store!]);
            o.LineItems.Count.ShouldBeInRange(1, 4);
            o.LineItems.ShouldAllBe(l => l.Sku!.StartsWith("SKU-", StringComparison.Ordinal) && l.Sku.Length == 10 && l.Name.ContainsKey("en"));
            o.LineItems.ShouldAllBe(l => l.TotalPrice.CentAmount == (l.DiscountedPrice ?? l.Price).CentAmount * l.Quantity);
            o.TotalPrice.CentAmount.ShouldBeGreaterThanOrEqualTo(o.LineItems.Sum(l => l.TotalPrice.CentAmount));
            o.LastModifiedAt.ShouldBeGreaterThanOrEqualTo(o.CreatedAt);
            if (o.Deliveries.Count > 0)
            {
                // Every unit ships exactly once across the deliveries.
                o.Deliveries.SelectMany(d => d.Items).GroupBy(i => i.LineItemId).ToDictionary(g => g.Key, g => g.Sum(i => i.Quantity))
                    .ShouldBe(o.LineItems.ToDictionary(l => l.Id, l => l.Quantity));
            }

            foreach (var item in o.ReturnInfo.SelectMany(r => r.Items).Where(i => i.PaymentState == "Refunded"))
            {
                var refunds = o.PaymentIds.SelectMany(id => payments[id].Transactions).Where(t => t.Type == "Refund").ToList();
                refunds.Count.ShouldBe(1);
                refunds[0].Amount.CentAmount.ShouldBeLessThan(o.TotalPrice.CentAmount);
                o.LineItems.Single(l => l.Id == item.LineItemId).Quantity.ShouldBeGreaterThanOrEqualTo(item.Quantity);
            }
        }

        orders.Where(o => o.Deliveries.Count > 0).SelectMany(o => o.Deliveries).SelectMany(d => d.Parcels)
            .Count(p => p.Tracking is not null).ShouldBeGreaterThan(0);
    }

    private static string DescribeOrder(SandboxOrder o) =>
        $"{o.Id}|{o.OrderNumber}|{o.CustomerId}|{o.CustomerEmail}|{o.Store}|{o.OrderState}|{o.PaymentState}|{o.ShipmentState}|{o.TotalPrice}|"
        + $"{o.CreatedAt:O}|{o.LastModifiedAt:O}|{string.Join(',', o.LineItems.Select(l => $"{l.Sku}x{l.Quantity}"))}|{o.Deliveries.Count}|{o.ReturnInfo.Count}";
}
