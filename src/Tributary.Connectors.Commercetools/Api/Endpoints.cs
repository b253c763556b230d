namespace Tributary.Connectors.Commercetools.Api;

/// <summary>URLs of the endpoints used, below the configured hosts (which may carry a path prefix).</summary>
internal static class Endpoints
{
    public static Uri Token(Uri authUrl) => new($"{Base(authUrl)}/oauth/token");

    public static Uri Project(CommercetoolsClientOptions o) => new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}");

    public static Uri Customers(CommercetoolsClientOptions o, string query) =>
        new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}/customers{query}");

    public static Uri Customer(CommercetoolsClientOptions o, string id) =>
        new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}/customers/{Uri.EscapeDataString(id)}");

    public static Uri Orders(CommercetoolsClientOptions o, string query) =>
        new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}/orders{query}");

    public static Uri Order(CommercetoolsClientOptions o, string id, string query) =>
        new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}/orders/{Uri.EscapeDataString(id)}{query}");

    public static Uri Resource(CommercetoolsClientOptions o, string resource, string query) =>
        new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}/{resource}{query}");

    private static string Base(Uri host) => host.AbsoluteUri.TrimEnd('/');
}
