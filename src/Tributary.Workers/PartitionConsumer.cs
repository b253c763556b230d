using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Tributary.Core.Contracts;
using Tributary.Core.Model;
using Tributary.Engine;

namespace Tributary.Workers;

/// <summary>
/// Consumes one partition queue (as its single active consumer): takes the hints that arrived, reads each key's current
/// outbox row, delivers the due ones in batches through the engine's delivery path, and acknowledges the hints only after the
/// store holds every outcome. One batch at a time per partition, so a key is never in two calls at once.
/// </summary>
internal sealed class PartitionConsumer : IAsyncDisposable
{
    private static readonly TimeSpan HaltedPause = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FailedPause = TimeSpan.FromSeconds(1);

    private readonly int _partition;
    private readonly IChannel _channel;
    private readonly IOutboxStore _store;
    private readonly IReadOnlyDictionary<string, KeyedDelivery> _deliveries;
    private readonly SemaphoreSlim _concurrency;
    private readonly PassCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<(ulong Tag, WorkHint? Hint)> _inbox = Channel.CreateUnbounded<(ulong, WorkHint?)>(new UnboundedChannelOptions { SingleReader = true });
    // Cancelled to stop taking new batches (the batch in flight finishes); the abort token cancels the batch in flight too.
    private readonly CancellationTokenSource _stop = new();
    private CancellationToken _abort;
    private Task _loop = Task.CompletedTask;

    private PartitionConsumer(int partition, IChannel channel, IOutboxStore store, IReadOnlyDictionary<string, KeyedDelivery> deliveries,
        SemaphoreSlim concurrency, PassCounters counters, TimeProvider time, ILogger logger)
    {
        _partition = partition;
        _channel = channel;
        _store = store;
        _deliveries = deliveries;
        _concurrency = concurrency;
        _counters = counters;
        _time = time;
        _logger = logger;
    }

    public int Partition => _partition;

    public static async Task<PartitionConsumer> StartAsync(WorkQueues queues, ClusterOptions options, int partition, IOutboxStore store,
        IReadOnlyDictionary<string, KeyedDelivery> deliveries, SemaphoreSlim concurrency, PassCounters counters, TimeProvider time, ILogger logger,
        CancellationToken abort, CancellationToken cancellationToken)
    {
        var channel = await queues.Connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var consumer = new PartitionConsumer(partition, channel, store, deliveries, concurrency, counters, time, logger);
        await channel.BasicQosAsync(0, options.Prefetch, false, cancellationToken);
        var basic = new AsyncEventingBasicConsumer(channel);
        basic.ReceivedAsync += (_, ea) =>
        {
            // The body is only valid during the callback: parse it now.
            consumer._inbox.Writer.TryWrite((ea.DeliveryTag, WorkHint.Parse(ea.Body.Span)));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(WorkQueues.QueueName(options, partition), autoAck: false, basic, cancellationToken);
        consumer._abort = abort;
        consumer._loop = consumer.RunAsync();
        return consumer;
    }

    private async Task RunAsync()
    {
        var token = _abort;
        var batch = new List<(ulong Tag, WorkHint? Hint)>();
        while (!_stop.IsCancellationRequested && !token.IsCancellationRequested)
        {
            try
            {
                if (!await _inbox.Reader.WaitToReadAsync(_stop.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            batch.Clear();
            while (_inbox.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await ProcessAsync(batch, token);
                await _channel.BasicAckAsync(batch.Max(b => b.Tag), multiple: true, CancellationToken.None);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Stopping: the hints stay unacknowledged and go to the partition's next consumer.
                return;
            }
            catch (PipelineHaltedException ex)
            {
                _logger.LogError("Partition {Partition} paused: {Message}", _partition, ex.Message);
                await RequeueAsync(batch, HaltedPause, token);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Partition {Partition}: delivering a batch failed; its hints are taken again", _partition);
                await RequeueAsync(batch, FailedPause, token);
            }
        }
    }

    private async Task RequeueAsync(List<(ulong Tag, WorkHint? Hint)> batch, TimeSpan pause, CancellationToken token)
    {
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(token, _stop.Token);
            await Task.Delay(pause, _time, either.Token);
            await _channel.BasicNackAsync(batch.Max(b => b.Tag), multiple: true, requeue: true, CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // Stopping: closing the channel returns the hints to the queue.
        }
    }

    private async Task ProcessAsync(List<(ulong Tag, WorkHint? Hint)> batch, CancellationToken cancellationToken)
    {
        var groups = batch.Where(b => b.Hint is not null && _deliveries.ContainsKey(b.Hint.Destination))
            .Select(b => b.Hint!)
            .GroupBy(h => (h.Destination, h.Entity));
        foreach (var group in groups)
        {
            var delivery = _deliveries[group.Key.Destination];
            var rows = await DueRowsAsync(group.Key.Destination, group.Key.Entity, group.Select(h => h.Key).Distinct(StringComparer.Ordinal), cancellationToken);
            var size = Math.Max(1, delivery.Destination.Connector.Limits.MaxBatchSize);
            var calls = new List<Task>();
            foreach (var chunk in rows.Chunk(size))
            {
                calls.Add(DeliverAsync(delivery, group.Key.Entity, chunk, cancellationToken));
            }

            await Task.WhenAll(calls);
        }
    }

    private async Task DeliverAsync(KeyedDelivery delivery, EntityKind entity, OutboxEntry[] rows, CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            await delivery.DeliverAsync(entity, rows, _counters, cancellationToken);
        }
        finally
        {
            _concurrency.Release();
        }
    }

    /// <summary>The current row of each hinted key that is still pending and due; the rest were delivered, replaced or wait for later.</summary>
    private async Task<List<OutboxEntry>> DueRowsAsync(string destination, EntityKind entity, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var rows = new List<OutboxEntry>();
        foreach (var key in keys)
        {
            var row = await _store.GetOutboxAsync(destination, entity, key, cancellationToken);
            if (row is { Status: OutboxStatus.Pending } && row.NextAttemptAt <= now)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>Finishes the batch in flight, then leaves the queue: unacknowledged hints go to the next consumer.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await _channel.CloseAsync();
        await _channel.DisposeAsync();
        _stop.Dispose();
    }
}
