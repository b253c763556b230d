using Tributary.Sandbox;
using Tributary.Sandbox.Commercetools;

namespace Tributary.Demo;

/// <summary>
/// Simulated trading for the demo: between sweeps a few customers change their consent or tier, a customer places an order,
/// and the previous order ships, and a wishlisted SKU sells out or comes back — so each sweep shows changed contacts, new
/// sales lines and journeys starting.
/// </summary>
public sealed class ShopActivity(SandboxServer sandbox, int seed, IReadOnlyList<string>? watchedSkus = null)
{
    private static readonly string[] Tiers = ["bronze", "silver", "gold"];
    private readonly Random _random = new(seed);
    private string? _lastOrder;
    private int _orders;

    public Task StepAsync(CancellationToken cancellationToken)
    {
        var customers = sandbox.Commercetools.Customers;
        if (customers.Count == 0)
        {
            return Task.CompletedTask;
        }

        for (var i = 0; i < 5; i++)
        {
            var pick = customers[_random.Next(customers.Count)];
            var optIn = _random.Next(3) != 0;
            var tier = Tiers[_random.Next(Tiers.Length)];
            sandbox.Commercetools.UpdateCustomer(pick.Id!, c =>
            {
                c.CustomFields["marketingOptIn"] = optIn;
                c.CustomFields["loyaltyTier"] = tier;
            });
        }

        if (_lastOrder is not null)
        {
            var order = sandbox.Commercetools.GetOrder(_lastOrder);
            if (order is not null)
            {
                sandbox.Commercetools.AddDelivery(_lastOrder, order.LineItems.Select(l => new SandboxDeliveryItem(l.Id, l.Quantity)),
                    new SandboxTracking($"TRK{_random.Next(100000, 999999)}", "DHL"));
            }
        }

        if (watchedSkus is { Count: > 0 })
        {
            // A wishlisted item sells out in the web shop, or a delivery arrives: the stock rules fire once per crossing.
            var sku = watchedSkus[_random.Next(watchedSkus.Count)];
            var units = _random.Next(2) == 0 ? 0 : _random.Next(10, 40);
            sandbox.Commercetools.SetStock(sku, Tributary.Sandbox.Generator.ShopGenerator.WebChannelKey, units, units);
        }

        var buyer = customers[_random.Next(customers.Count)];
        var price = SandboxMoney.Of(_random.Next(15, 120), "EUR");
        _lastOrder = sandbox.Commercetools.AddOrder(new SandboxOrder
        {
            OrderNumber = $"DEMO-{++_orders:D5}",
            CustomerId = buyer.Id,
            CustomerEmail = buyer.Email,
            OrderState = "Confirmed",
            PaymentState = "Paid",
            Store = "eu",
            TotalPrice = price,
            LineItems =
            [
                new SandboxLineItem
                {
                    Sku = $"SKU-{_random.Next(100, 340):D6}",
                    Name = { ["en"] = "Demo item" },
                    Price = price,
                    Quantity = 1,
                    TotalPrice = price,
                },
            ],
        });
        return Task.CompletedTask;
    }
}
