using Tributary.Core.Contracts;

namespace Tributary.Connectors.Commercetools;

public sealed partial class CommercetoolsSource
{
    private static readonly string[] CustomerReadScopes = ["view_customers", "manage_customers", "manage_project"];

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

        var suffix = $":{options.ProjectKey}";
        var onProject = scopes.Where(s => s.EndsWith(suffix, StringComparison.Ordinal)).ToList();
        if (onProject.Count == 0)
        {
            lines.Add(new CheckLine("project", false,
                $"The token holds no scope on project '{options.ProjectKey}' (it holds: {string.Join(' ', scopes)}). Fix: set ProjectKey to the project's key (not its name) or use an API client of that project."));
            return new ConnectivityReport(false, lines);
        }

        lines.Add(new CheckLine("project", true, $"The API client has access to project '{options.ProjectKey}'."));

        if (!onProject.Any(s => CustomerReadScopes.Contains(s[..^suffix.Length])))
        {
            lines.Add(new CheckLine("customers", false,
                $"The token lacks the scope view_customers{suffix} (it holds: {string.Join(' ', onProject)}). Fix: add view_customers to the API client in Merchant Center > Settings > Developer settings, and to source.commercetools.scopes if that key is set."));
            return new ConnectivityReport(false, lines);
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
}
