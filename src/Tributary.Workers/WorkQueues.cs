using RabbitMQ.Client;

namespace Tributary.Workers;

/// <summary>
/// The partition queues on the broker: quorum queues (replicated, durable) with a single active consumer each, so one worker
/// at a time takes a partition and a dead worker's unacknowledged hints go to the next consumer.
/// </summary>
public sealed class WorkQueues : IAsyncDisposable
{
    // Hints published before their confirms are awaited together: one round trip per group instead of per message.
    private const int ConfirmGroup = 256;

    private readonly ClusterOptions _options;
    private readonly IConnection _connection;
    private readonly IChannel _publisher;
    private readonly SemaphoreSlim _publishGate = new(1, 1);

    private WorkQueues(ClusterOptions options, IConnection connection, IChannel publisher)
    {
        _options = options;
        _connection = connection;
        _publisher = publisher;
    }

    /// <summary>The broker connection (consumers open their channels on it).</summary>
    internal IConnection Connection => _connection;

    /// <summary>Connects and declares every partition queue.</summary>
    public static async Task<WorkQueues> OpenAsync(ClusterOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var factory = new ConnectionFactory
        {
            Uri = options.Amqp,
            ClientProvidedName = $"tributary-{options.WorkerId}",
            AutomaticRecoveryEnabled = true,
            ConsumerDispatchConcurrency = 1,
        };
        var connection = await factory.CreateConnectionAsync(cancellationToken);
        try
        {
            var publisher = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            for (var p = 0; p < options.Partitions; p++)
            {
                await publisher.QueueDeclareAsync(QueueName(options, p), durable: true, exclusive: false, autoDelete: false,
                    arguments: QueueArguments, cancellationToken: cancellationToken);
            }

            return new WorkQueues(options, connection, publisher);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Queue arguments every declaration must repeat exactly (the broker refuses a mismatch).</summary>
    internal static Dictionary<string, object?> QueueArguments => new()
    {
        ["x-queue-type"] = "quorum",
        ["x-single-active-consumer"] = true,
    };

    /// <summary>The queue of partition <paramref name="partition"/>.</summary>
    public static string QueueName(ClusterOptions options, int partition)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{options.QueuePrefix}.{partition}";
    }

    /// <summary>Publishes hints to their keys' partitions and returns once the broker has confirmed every one (persisted).</summary>
    public async Task PublishAsync(IReadOnlyList<WorkHint> hints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hints);
        await _publishGate.WaitAsync(cancellationToken);
        try
        {
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
            for (var start = 0; start < hints.Count; start += ConfirmGroup)
            {
                var pending = new List<Task>(Math.Min(ConfirmGroup, hints.Count - start));
                for (var i = start; i < hints.Count && i < start + ConfirmGroup; i++)
                {
                    var hint = hints[i];
                    var queue = QueueName(_options, Partitioner.PartitionOf(hint.Key, _options.Partitions));
                    pending.Add(_publisher.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, hint.ToBytes(), cancellationToken).AsTask());
                }

                await Task.WhenAll(pending);
            }
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>Messages waiting in a partition queue (ready, not yet delivered to a consumer).</summary>
    public async Task<uint> CountReadyAsync(int partition, CancellationToken cancellationToken) =>
        await _publisher.MessageCountAsync(QueueName(_options, partition), cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _connection.CloseAsync();
        await _connection.DisposeAsync();
        _publishGate.Dispose();
    }
}
