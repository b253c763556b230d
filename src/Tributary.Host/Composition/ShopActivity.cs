using Tributary.Sandbox;

namespace Tributary.Host.Composition;

/// <summary>Simulated trading for the demo: a few customers change their names or consent between sweeps.</summary>
public sealed class ShopActivity(SandboxServer sandbox, int seed)
{
    private readonly Random _random = new(seed);

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
            var optIn = _random.Next(3) == 0;
            sandbox.Commercetools.UpdateCustomer(pick.Id!, c =>
            {
                c.CustomFields["marketingOptIn"] = optIn;
                c.FirstName = c.FirstName is null ? "Alex" : c.FirstName.TrimEnd('*') + (optIn ? string.Empty : "*");
            });
        }

        return Task.CompletedTask;
    }
}
