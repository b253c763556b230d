namespace Tributary.Connectors.Commercetools.Api;

/// <summary>URLs of the endpoints used, below the configured hosts (which may carry a path prefix).</summary>
internal static class Endpoints
{
    public static Uri Token(Uri authUrl) => new($"{Base(authUrl)}/oauth/token");

    public static Uri Project(CommercetoolsClientOptions o) => new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}");

    public static Uri Customers(CommercetoolsClientOptions o, string query) =>
        new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}/customers{query}");

    public static Uri Customer(CommercetoolsClientOptions o, string id) =>
        new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}/customers/{Segment(id, "customer")}");

    public static Uri Orders(CommercetoolsClientOptions o, string query) =>
        new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}/orders{query}");

    public static Uri Order(CommercetoolsClientOptions o, string id, string query) =>
        new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}/orders/{Segment(id, "order")}{query}");

    public static Uri Resource(CommercetoolsClientOptions o, string resource, string query) =>
        new($"{Base(o.ApiUrl)}/{Uri.EscapeDataString(o.ProjectKey)}/{resource}{query}");

    private static string Base(Uri host) => host.AbsoluteUri.TrimEnd('/');

    /// <summary>
    /// An id as one path segment. An empty id would address the whole collection, and "." or ".." survive escaping and are
    /// folded away by URL normalisation (so ".." would address the project): neither can name a record, so they are refused
    /// here as invalid data instead of being sent.
    /// </summary>
    private static string Segment(string id, string kind) => string.IsNullOrWhiteSpace(id) || id is "." or ".."
        ? throw new CommercetoolsException(Tributary.Core.Contracts.FailureKind.Invalid,
            $"'{id}' is not a commercetools {kind} id (empty, or a path step such as '.' or '..'), so no {kind} can be read by it.",
            platformCode: "InvalidId")
        : Uri.EscapeDataString(id);
}
