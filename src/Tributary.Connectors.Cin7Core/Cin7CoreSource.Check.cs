using Tributary.Core.Contracts;

namespace Tributary.Connectors.Cin7Core;

public sealed partial class Cin7CoreSource
{
    /// <inheritdoc />
    public async Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken)
    {
        var lines = new List<CheckLine>();
        try
        {
            var me = await Client.GetMeAsync(cancellationToken);
            lines.Add(new CheckLine("credentials", true,
                $"Cin7 Core at {Client.Options.BaseUrl.Host} accepted the account id and application key (company '{me.Company}', base currency {me.Currency})."));
        }
        catch (Cin7CoreException e)
        {
            lines.Add(new CheckLine("credentials", false, e.Kind == FailureKind.Transient
                ? $"Cannot reach {Client.Options.BaseUrl}: {e.Message} Fix: check BaseUrl (https://inventory.dearsystems.com/ExternalApi/v2/) and the network."
                : e.Message));
            return new ConnectivityReport(false, lines);
        }

        foreach (var (name, probe) in new (string, Func<Task>)[]
                 {
                     ("customers", () => Client.ListCustomersAsync(1, 1, null, cancellationToken)),
                     ("sales", () => Client.ListSalesAsync(1, 1, null, cancellationToken)),
                     ("products", () => Client.ListProductsAsync(1, 1, null, null, cancellationToken)),
                     ("availability", () => Client.ListAvailabilityAsync(1, 1, null, cancellationToken)),
                 })
        {
            try
            {
                await probe();
                lines.Add(new CheckLine(name, true, $"{name} can be read."));
            }
            catch (Cin7CoreException e)
            {
                lines.Add(new CheckLine(name, false, e.Message));
            }
        }

        return new ConnectivityReport(lines.TrueForAll(l => l.Ok), lines);
    }
}
