using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Commercetools;

public sealed partial class CommercetoolsSource
{
    /// <summary>One thing the source reads for an entity, and the scopes (any one of them) that let a token read it.</summary>
    /// <param name="Name">The check line's name (customers, orders, payments…).</param>
    /// <param name="Why">What the scope is for, in a phrase.</param>
    /// <param name="AnyOf">The scopes that grant the read, the narrowest first (the one a fix adds).</param>
    private sealed record ScopeNeed(string Name, string Why, string[] AnyOf);

    private static readonly ScopeNeed Customers = new("customers", "to read customers", ["view_customers", "manage_customers", "manage_project"]);

    /// <inheritdoc />
    public async Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken)
    {
        var options = Client.Options;
        var lines = new List<CheckLine>();

        IReadOnlyList<string> scopes;
        try
        {
            scopes = await Client.GetGrantedScopesAsync(cancellationToken);
            lines.Add(new CheckLine("credentials", true, $"The API client got an access token from {options.AuthUrl.Host}."));
        }
        catch (CommercetoolsException e)
        {
            lines.Add(new CheckLine("credentials", false, e.Kind == FailureKind.Transient
                ? $"Cannot reach the auth host {options.AuthUrl.Host}: {e.Message} Fix: check AuthUrl (auth.<region>.commercetools.com) and the network."
                : e.Message));
            return new ConnectivityReport(false, lines);
        }

        // The token response's "scope" is the platform's own word on what this client may do; every line below quotes it.
        var suffix = $":{options.ProjectKey}";
        var needs = Needs();
        var onProject = scopes.Where(s => s.EndsWith(suffix, StringComparison.Ordinal)).ToList();
        if (onProject.Count == 0)
        {
            lines.Add(new CheckLine("project", false,
                $"The token holds no scope on project '{options.ProjectKey}' (it holds: {Held(scopes)}); the configured entities need "
                + $"{string.Join("; ", needs.Select(n => $"{n.Name}: {n.AnyOf[0]}{suffix}"))}. Fix: set ProjectKey to the project's key (not its name) or use an API client of that project."));
            return new ConnectivityReport(false, lines);
        }

        lines.Add(new CheckLine("project", true, $"The API client has access to project '{options.ProjectKey}'."));

        var granted = onProject.Select(s => s[..^suffix.Length]).ToHashSet(StringComparer.Ordinal);
        var missing = false;
        foreach (var need in needs)
        {
            if (need.AnyOf.Any(granted.Contains))
            {
                if (need != Customers)
                {
                    lines.Add(new CheckLine(need.Name, true, $"The token holds {need.AnyOf.First(granted.Contains)}{suffix} {need.Why}."));
                }

                continue;
            }

            missing = true;
            lines.Add(new CheckLine(need.Name, false,
                $"The token lacks the scope {need.AnyOf[0]}{suffix} {need.Why} (any of {string.Join(", ", need.AnyOf.Select(s => s + suffix))} would do; it holds: {Held(onProject)}). "
                + $"Fix: add {need.AnyOf[0]} to the API client in Merchant Center > Settings > Developer settings, and to source.commercetools.scopes if that key is set."));
        }

        if (missing || !needs.Contains(Customers))
        {
            return new ConnectivityReport(!missing, lines);
        }

        try
        {
            await Client.QueryCustomersAsync(new CustomerQueryRequest([], Limit: 0), cancellationToken);
            lines.Add(new CheckLine("customers", true, $"Customers of '{options.ProjectKey}' can be read from {options.ApiUrl.Host}."));
        }
        catch (CommercetoolsException e)
        {
            lines.Add(new CheckLine("customers", false, e.Kind == FailureKind.Transient
                ? $"Cannot read customers from {options.ApiUrl.Host}: {e.Message} Fix: check ApiUrl (api.<region>.commercetools.com, same region as AuthUrl) and the network."
                : e.Message));
        }

        return new ConnectivityReport(lines.TrueForAll(l => l.Ok), lines);
    }

    private static string Held(IEnumerable<string> scopes) => string.Join(' ', scopes) is { Length: > 0 } held ? held : "nothing";

    /// <summary>What each configured entity reads, with the scopes commercetools documents for those endpoints.</summary>
    private List<ScopeNeed> Needs()
    {
        var needs = new List<ScopeNeed>();
        var entities = _options.CheckedEntities.Count == 0 ? [EntityKind.Customer] : _options.CheckedEntities;
        var channels = new ScopeNeed("channels", "to name price and stock channels by key", ["view_channels", "view_products", "manage_channels", "manage_products", "manage_project"]);
        foreach (var entity in entities.Distinct())
        {
            switch (entity)
            {
                case EntityKind.Customer:
                    needs.Add(Customers);
                    break;
                case EntityKind.Order:
                    needs.Add(new ScopeNeed("orders", "to read orders", ["view_orders", "manage_orders", "manage_project"]));
                    needs.Add(new ScopeNeed("payments", "to expand an order's payments and read its refunds", ["view_payments", "manage_payments", "manage_project"]));
                    break;
                case EntityKind.Product:
                    needs.Add(_options.StagedProducts
                        ? new ScopeNeed("products", "to read staged product projections", ["view_products", "manage_products", "manage_project"])
                        : new ScopeNeed("products", "to read published product projections", ["view_published_products", "view_products", "manage_products", "manage_project"]));
                    needs.Add(channels);
                    break;
                case EntityKind.Stock:
                    needs.Add(new ScopeNeed("inventory", "to read inventory entries", ["view_products", "manage_products", "manage_project"]));
                    needs.Add(channels);
                    if (_options.StockAlertsFromShoppingLists)
                    {
                        needs.Add(new ScopeNeed("shopping lists", "to find who asked to be told of a restock", ["view_shopping_lists", "manage_shopping_lists", "manage_project"]));
                    }

                    break;
            }
        }

        return needs.Distinct().ToList();
    }
}
