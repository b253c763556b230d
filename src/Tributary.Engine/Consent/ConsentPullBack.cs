using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Tributary.Core.Budgets;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine.Consent;

/// <summary>
/// Pulls back the consent each destination holds (unsubscribes, suppressions, opt-ins made there) into the consent ledger, so
/// an opt-out made in a destination is known here, counted, and compared with what the source says. Destinations that report by
/// address are matched to contacts through the ledger's address hashes; an address that matches no contact is counted, not kept.
/// The time each pull-back started is kept per destination, so the next one asks only for what came since.
/// </summary>
public sealed class ConsentPullBack
{
    /// <summary>The cursor source under which each destination's last pull-back time is kept (<c>consent:emarsys</c>).</summary>
    public const string CursorPrefix = "consent:";

    private const int Chunk = 500;

    private readonly IReadOnlyList<DestinationBinding> _destinations;
    private readonly ISyncStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the pull-back over the pipeline's destinations and store.</summary>
    public ConsentPullBack(IReadOnlyList<DestinationBinding> destinations, ISyncStore store, TimeProvider time, ILogger logger)
    {
        _destinations = destinations;
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>True when at least one destination can report its consent.</summary>
    public bool Any => _destinations.Any(d => d.Connector is IConsentReadBack && d.Connector.Supports(EntityKind.Customer));

    /// <summary>Pulls back every destination that can report its consent; one destination's failure does not stop the others.</summary>
    public async Task<IReadOnlyList<ConsentPullBackResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<ConsentPullBackResult>();
        foreach (var destination in _destinations.Where(d => d.Connector is IConsentReadBack && d.Connector.Supports(EntityKind.Customer)))
        {
            try
            {
                results.Add(await PullAsync(destination, (IConsentReadBack)destination.Connector, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Pulling consent back from {Destination} failed; trying again at the next pull-back", destination.Name);
                results.Add(new ConsentPullBackResult(destination.Name, 0, 0, 0, 0, 0, $"{ex.GetType().Name}: {ex.Message}"));
            }
        }

        return results;
    }

    private async Task<ConsentPullBackResult> PullAsync(DestinationBinding destination, IConsentReadBack reader, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var cursorSource = CursorPrefix + destination.Name;
        var since = await _store.GetCursorAsync(cursorSource, EntityKind.Customer, cancellationToken) is { } saved
            && long.TryParse(saved, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : (DateTimeOffset?)null;
        // Each read the connector asks a permit for is paid through the scope, so its HTTP call does not pay again.
        using var budgetScope = BudgetScope.Enter(destination.Budget, BudgetLane.Bulk);
        var request = new ConsentReadBackRequest(since, ct => DeliveredKeysAsync(destination.Name, ct), budgetScope.AcquireAsync);
        long read = 0, optedOut = 0, optedIn = 0, unmatched = 0;
        var pending = new List<ReportedConsent>(Chunk);
        await foreach (var reported in reader.ReadConsentAsync(request, cancellationToken).WithCancellation(cancellationToken))
        {
            read++;
            optedOut += reported.Status == ConsentStatus.Unsubscribed ? 1 : 0;
            optedIn += reported.Status == ConsentStatus.Subscribed ? 1 : 0;
            pending.Add(reported);
            if (pending.Count == Chunk)
            {
                unmatched += await RecordAsync(destination.Name, pending, cancellationToken);
                pending.Clear();
            }
        }

        unmatched += await RecordAsync(destination.Name, pending, cancellationToken);
        await _store.SetCursorAsync(cursorSource, EntityKind.Customer, started.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            cancellationToken);
        var summary = await _store.SummarizeConsentAsync(cancellationToken);
        var conflicts = summary.Conflicts.GetValueOrDefault(destination.Name);
        _logger.LogInformation(
            "Consent pulled back from {Destination}: {Read} answers ({OptedOut} opted out, {OptedIn} opted in), {Unmatched} for addresses this service does not know, {Conflicts} conflicting with the source",
            destination.Name, read, optedOut, optedIn, unmatched, conflicts);
        return new ConsentPullBackResult(destination.Name, read, optedOut, optedIn, unmatched, conflicts, null);
    }

    /// <summary>Records a chunk; answers how many could not be matched to a contact.</summary>
    private async Task<long> RecordAsync(string destination, List<ReportedConsent> chunk, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return 0;
        }

        var hashes = chunk.Where(r => r.Contact is null && !string.IsNullOrWhiteSpace(r.Address))
            .Select(r => ContactAddress.Hash(r.Address!)).Distinct(StringComparer.Ordinal).ToList();
        var contacts = await _store.FindContactsAsync(hashes, cancellationToken);
        var now = _time.GetUtcNow();
        var entries = new List<ConsentEntry>(chunk.Count);
        long unmatched = 0;
        foreach (var reported in chunk)
        {
            IReadOnlyList<string> keys = reported.Contact is { } key
                ? [key]
                : !string.IsNullOrWhiteSpace(reported.Address) && contacts.TryGetValue(ContactAddress.Hash(reported.Address), out var found)
                    ? found
                    : [];
            if (keys.Count == 0)
            {
                unmatched++;
                continue;
            }

            entries.AddRange(keys.Select(k => new ConsentEntry(k, reported.Channel, destination, ConsentSide.Reported, reported.Status,
                reported.Origin, reported.At, now)));
        }

        await _store.RecordConsentAsync(entries, cancellationToken);
        return unmatched;
    }

    private async IAsyncEnumerable<string> DeliveredKeysAsync(string destination, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in _store.ReadDeliveredAsync(destination, EntityKind.Customer, cancellationToken))
        {
            yield return row.Key;
        }
    }
}

/// <summary>What one destination's pull-back found.</summary>
/// <param name="Destination">The destination.</param>
/// <param name="Read">Answers it reported.</param>
/// <param name="OptedOut">Of those, opt-outs.</param>
/// <param name="OptedIn">Of those, opt-ins.</param>
/// <param name="Unmatched">Answers for addresses no known contact has (counted, not kept).</param>
/// <param name="Conflicts">Contacts it holds opted out while the source still says subscribed (after this pull-back).</param>
/// <param name="Error">Why the pull-back failed, when it did.</param>
public sealed record ConsentPullBackResult(string Destination, long Read, long OptedOut, long OptedIn, long Unmatched, long Conflicts, string? Error);
