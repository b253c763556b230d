using Microsoft.Extensions.Logging;
using Tributary.Connectors.Emarsys;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Host.Server;

/// <summary>
/// The Emarsys catalogue feed, rendered from what the destination holds (the delivered state), so a price or stock change
/// reaches the feed within one sweep. Every Emarsys import replaces the whole catalogue: a feed that would drop more than
/// the configured share of items is refused, the last good feed stays served, and the refusal is counted and logged.
/// </summary>
public sealed class CatalogFeed(IDeliveredStateStore store, EmarsysCatalogueOptions options, string directory, ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _guardTrips;

    private string GoodFile => Path.Combine(directory, "emarsys-catalog.csv");

    private string CountFile => Path.Combine(directory, "emarsys-catalog.count");

    /// <summary>Feeds refused by the drop guard since start.</summary>
    public long GuardTrips => Interlocked.Read(ref _guardTrips);

    /// <summary>Why the last feed was refused, if it was.</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Renders a new feed if the guard allows it and returns the path of the feed to serve (null when none exists yet).</summary>
    public async Task<string?> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(directory);
            var stock = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
            await foreach (var row in store.ReadDeliveredAsync("emarsys", EntityKind.Stock, cancellationToken))
            {
                stock[row.Key] = row.Fields;
            }

            // Products stream from the store in key-ordered chunks: the catalogue is never held in memory whole.
            var items = store.ReadDeliveredAsync("emarsys", EntityKind.Product, cancellationToken)
                .ToBlockingEnumerable(cancellationToken)
                .Select(row => (row.Fields, stock.GetValueOrDefault(row.Key)));

            var temp = GoodFile + ".new";
            int rendered;
            await using (var writer = new StreamWriter(temp))
            {
                // The render pulls rows synchronously from the store's chunked reader; keep it off the request thread.
                rendered = await Task.Run(() => EmarsysCatalogFeed.Render(items, options, writer), cancellationToken);
            }

            var previous = File.Exists(CountFile) ? int.Parse(await File.ReadAllTextAsync(CountFile, cancellationToken), System.Globalization.CultureInfo.InvariantCulture) : 0;
            var decision = EmarsysCatalogFeed.Guard(previous, rendered, options.MaxDropShare);
            if (!decision.Allowed)
            {
                File.Delete(temp);
                Interlocked.Increment(ref _guardTrips);
                LastRefusal = decision.Reason;
                logger.LogError("Catalogue feed refused, the last good one stays served: {Reason}", decision.Reason);
                return File.Exists(GoodFile) ? GoodFile : null;
            }

            File.Move(temp, GoodFile, overwrite: true);
            await File.WriteAllTextAsync(CountFile, rendered.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            LastRefusal = null;
            return GoodFile;
        }
        finally
        {
            _gate.Release();
        }
    }
}
