using Microsoft.Extensions.Logging;

namespace Tributary.Workers;

public sealed partial class ClusterWorker
{
    private static string SlotLease(int slot) => $"member/{slot}";

    /// <summary>
    /// Renews this worker's member slot (or takes the lowest free one), counts the live slots, and consumes exactly the
    /// partitions its rank owns. A killed worker's slot expires after <see cref="ClusterOptions.MemberTtl"/>: its partitions
    /// then move to the survivors, who get its unacknowledged hints from the broker.
    /// </summary>
    private async Task RefreshMembershipAsync(WorkQueues queues, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_slot is { } held && !await _coordination.TryAcquireLeaseAsync(SlotLease(held), _options.WorkerId, _options.MemberTtl, now, cancellationToken))
        {
            _logger.LogWarning("Worker {Worker} lost member slot {Slot}", _options.WorkerId, held);
            _slot = null;
        }

        // A worker beyond the partition count has nothing to own: it stands by for a free slot.
        for (var slot = 0; _slot is null && slot < _options.Partitions; slot++)
        {
            if (await _coordination.TryAcquireLeaseAsync(SlotLease(slot), _options.WorkerId, _options.MemberTtl, now, cancellationToken))
            {
                _slot = slot;
                _logger.LogInformation("Worker {Worker} joined as member {Slot}", _options.WorkerId, slot);
            }
        }

        var live = new List<int>();
        for (var slot = 0; slot < _options.Partitions; slot++)
        {
            if (slot == _slot || await _coordination.GetLeaseHolderAsync(SlotLease(slot), now, cancellationToken) is not null)
            {
                live.Add(slot);
            }
        }

        var owned = _slot is { } mine ? Partitioner.Owned(_options.Partitions, live.Count, live.IndexOf(mine)) : [];
        await ConsumeAsync(queues, owned, cancellationToken);
    }

    private async Task ConsumeAsync(WorkQueues queues, IReadOnlyList<int> owned, CancellationToken cancellationToken)
    {
        List<PartitionConsumer> leaving;
        lock (_consumers)
        {
            leaving = _consumers.Values.Where(c => !owned.Contains(c.Partition)).ToList();
            foreach (var consumer in leaving)
            {
                _consumers.Remove(consumer.Partition);
            }
        }

        // Hand partitions over first: the batch in flight finishes, then the broker activates the next consumer.
        foreach (var consumer in leaving)
        {
            await consumer.DisposeAsync();
        }

        foreach (var partition in owned)
        {
            bool have;
            lock (_consumers)
            {
                have = _consumers.ContainsKey(partition);
            }

            if (!have)
            {
                var consumer = await PartitionConsumer.StartAsync(queues, _options, partition, _store, _deliveries, _concurrency, Counters, _time,
                    _logger, cancellationToken, cancellationToken);
                lock (_consumers)
                {
                    _consumers[partition] = consumer;
                }
            }
        }

        if (leaving.Count > 0 || owned.Count != _consumers.Count)
        {
            _logger.LogInformation("Worker {Worker} consumes partitions {Partitions}", _options.WorkerId, string.Join(',', owned));
        }
    }

    private async Task LeaveAsync()
    {
        List<PartitionConsumer> all;
        lock (_consumers)
        {
            all = [.. _consumers.Values];
            _consumers.Clear();
        }

        foreach (var consumer in all)
        {
            try
            {
                await consumer.DisposeAsync();
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Leaving partition {Partition} failed; the broker hands it on when the connection closes", consumer.Partition);
            }
        }

        try
        {
            if (_slot is { } slot)
            {
                await _coordination.ReleaseLeaseAsync(SlotLease(slot), _options.WorkerId, CancellationToken.None);
            }

            await _coordination.ReleaseLeaseAsync(LeaderLease, _options.WorkerId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Releasing leases failed; they expire on their own");
        }
    }
}
