using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Host.Server;

/// <summary>
/// A destination's catalogue feed, rendered from what the destination holds (the delivered state), so a price or stock change
/// reaches the feed within one sweep. Every import replaces the whole catalogue: a feed the destination's drop guard refuses
/// (it would drop more than the configured share of items) is not served, the last good feed stays, and the refusal is counted
/// and logged.
/// </summary>
public sealed class CatalogFeed(IDeliveredStateStore store, ICatalogueFeed feed, string directory, ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _guardTrips;

    private string GoodFile => Path.Combine(directory, feed.FileName);

    private string CountFile => Path.Combine(directory, Path.ChangeExtension(feed.FileName, ".count"));

    /// <summary>The destination the feed is rendered for.</summary>
    public string Destination => feed.Destination;

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
            await foreach (var row in store.ReadDeliveredAsync(feed.Destination, EntityKind.Stock, cancellationToken))
            {
                stock[row.Key] = row.Fields;
            }

            // Products stream from the store in key-ordered chunks: the catalogue is never held in memory whole.
            var items = store.ReadDeliveredAsync(feed.Destination, EntityKind.Product, cancellationToken)
                .ToBlockingEnumerable(cancellationToken)
                .Select(row => (row.Fields, stock.GetValueOrDefault(row.Key)));

            var temp = GoodFile + ".new";
            int rendered;
            await using (var writer = new StreamWriter(temp))
            {
                // The render pulls rows synchronously from the store's chunked reader; keep it off the request thread.
                rendered = await Task.Run(() => feed.Render(items, writer), cancellationToken);
            }

            var previous = File.Exists(CountFile) ? int.Parse(await File.ReadAllTextAsync(CountFile, cancellationToken), System.Globalization.CultureInfo.InvariantCulture) : 0;
            var decision = feed.Guard(previous, rendered);
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
