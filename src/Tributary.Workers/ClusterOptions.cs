namespace Tributary.Workers;

/// <summary>How a worker joins a cluster of workers sharing one state database and one RabbitMQ broker.</summary>
public sealed class ClusterOptions
{
    /// <summary>Default partition count: 16 queues spread evenly over 1, 2, 4, 8 or 16 workers and stay cheap for the broker.</summary>
    public const int DefaultPartitions = 16;

    /// <summary>AMQP address of the broker (<c>amqp://user:password@host:5672/vhost</c>).</summary>
    public required Uri Amqp { get; init; }

    /// <summary>Number of partition queues; every worker of a cluster must use the same number.</summary>
    public int Partitions { get; init; } = DefaultPartitions;

    /// <summary>This worker's name in leases and logs (default: host name and process id).</summary>
    public string WorkerId { get; init; } = DefaultWorkerId();

    /// <summary>Prefix of the partition queue names (<c>{prefix}.{n}</c>); one prefix per pipeline sharing a broker.</summary>
    public string QueuePrefix { get; init; } = "tributary.work";

    /// <summary>
    /// How long a worker's membership (and so its partitions) survives without renewal: a killed worker's partitions move to the
    /// others after at most this long. Renewed every third of it.
    /// </summary>
    public TimeSpan MemberTtl { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the sweep leadership survives without renewal (a new leader resumes the read from the saved cursor).</summary>
    public TimeSpan LeaderTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the leader looks for outbox rows that came due (new, retried, released from parking).</summary>
    public TimeSpan DispatchInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a row whose hint was published stays reserved. A worker completes it long before; only a hint lost with a
    /// broker that lost its disk would make the row wait this long before it is published again.
    /// </summary>
    public TimeSpan HintLease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Unacknowledged hints a worker holds per partition (its batch window).</summary>
    public ushort Prefetch { get; init; } = 500;

    /// <summary>The default worker id: host name and process id.</summary>
    public static string DefaultWorkerId() => $"{Environment.MachineName}-{Environment.ProcessId}";
}
