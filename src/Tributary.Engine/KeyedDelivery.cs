using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>
/// Delivers outbox rows chosen by the caller (a cluster worker that owns their keys' partition) through the same path as a
/// pass: sent-once guard, budget, batch splitting, retry and lane moves, then the store's completion. When
/// <see cref="DeliverAsync"/> returns, every row's outcome is stored.
/// </summary>
public sealed class KeyedDelivery
{
    private readonly DestinationBinding _destination;
    private readonly IOutboxStore _store;
    private readonly ISentOnceLedger _ledger;
    private readonly PipelineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IConsentLedger? _consent;

    /// <summary>Creates the delivery path for one destination.</summary>
    public KeyedDelivery(DestinationBinding destination, IOutboxStore store, ISentOnceLedger ledger, PipelineOptions options, TimeProvider time, ILogger logger,
        IConsentLedger? consent = null)
    {
        _consent = consent;
        _destination = destination;
        _store = store;
        _ledger = ledger;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The destination.</summary>
    public DestinationBinding Destination => _destination;

    /// <summary>
    /// Sends the rows (all of one entity kind, at most the destination's batch size, one row per key) and stores every outcome.
    /// Throws <see cref="PipelineHaltedException"/> when the destination refuses the credentials or configuration.
    /// </summary>
    public Task DeliverAsync(EntityKind entity, IReadOnlyList<OutboxEntry> rows, PassCounters counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        var worker = new DeliveryWorker(_destination, entity, _store, _ledger, _options, _time, _logger, counters, _consent);
        return worker.DeliverRowsAsync(rows, cancellationToken);
    }
}
