using Tributary.Core.Contracts;

namespace Tributary.Connectors.Centra;

public sealed partial class CentraSource
{
    /// <inheritdoc />
    public async Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken)
    {
        var host = Client.Options.BaseUrl.Host;
        var lines = new List<CheckLine>();
        try
        {
            var limits = await Client.GetRateLimitsAsync(cancellationToken);
            var requests = limits.FirstOrDefault(l => l.Type == "REQUEST_COUNT" && l.Interval == TimeSpan.FromSeconds(10));
            lines.Add(new CheckLine("token", true, requests is null
                ? $"The Integration API at {host} accepted the token."
                : $"The Integration API at {host} accepted the token; the account allows {requests.Quota} requests per 10 s ({requests.Remaining} left now)."));
        }
        catch (CentraException e)
        {
            lines.Add(new CheckLine("token", false, e.Kind == FailureKind.Transient
                ? $"Cannot reach {Client.Options.GraphQlUrl}: {e.Message} Fix: check BaseUrl (https://<tenant>.centra.com) and the network."
                : e.Message));
            return new ConnectivityReport(false, lines);
        }

        foreach (var (name, probe) in new (string, Func<Task>)[]
                 {
                     ("stores", () => Client.GetStoresAsync(cancellationToken)),
                     ("customers", () => Client.QueryCustomersAsync(new CentraPageRequest(null, null, null, 1), _options.CustomerSelection, cancellationToken)),
                     ("orders", () => Client.QueryOrdersAsync(new CentraPageRequest(null, null, null, 1), cancellationToken)),
                 })
        {
            try
            {
                await probe();
                lines.Add(new CheckLine(name, true, $"{name} can be read."));
            }
            catch (CentraException e)
            {
                lines.Add(new CheckLine(name, false, e.Message));
            }
        }

        return new ConnectivityReport(lines.TrueForAll(l => l.Ok), lines);
    }
}
