using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Workers;

/// <summary>
/// A destination whose calls draw from a budget shared by every worker through the coordination store: the platform's limit
/// is per account, not per process. A rate-limited answer to one worker pauses the budget for all of them.
/// </summary>
public sealed class SharedBudgetDestination : IDestinationConnector
{
    // Ask again at least this soon when the store says "wait": another worker may have released its share.
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly IDestinationConnector _inner;
    private readonly ICoordinationStore _coordination;
    private readonly TimeProvider _time;
    private readonly int _perMinute;
    private readonly int _burst;
    private readonly TimeSpan _defaultPause;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="perMinute"/> of 0 or less means the budget is unlimited.</summary>
    public SharedBudgetDestination(IDestinationConnector inner, ICoordinationStore coordination, TimeProvider time, int perMinute,
        int? burst = null, TimeSpan? defaultPause = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _coordination = coordination;
        _time = time;
        _perMinute = perMinute;
        // Same burst rule as the in-process budget: a sixth of a minute keeps the average inside the limit.
        _burst = Math.Max(1, burst ?? Math.Max(1, perMinute / 6));
        _defaultPause = defaultPause ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>Name of the shared budget in the coordination store.</summary>
    public string BudgetName => $"destination/{_inner.Name}";

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public DestinationLimits Limits => _inner.Limits;

    /// <inheritdoc />
    public bool Supports(EntityKind entity) => _inner.Supports(entity);

    /// <inheritdoc />
    public DeliverySemantics Semantics(EntityKind entity) => _inner.Semantics(entity);

    /// <inheritdoc />
    public Projection Project(CanonicalRecord record) => _inner.Project(record);

    /// <inheritdoc />
    public Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken) => _inner.CheckAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<DeliveryResult> DeliverAsync(EntityKind entity, IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        await AcquireAsync(cancellationToken);
        try
        {
            return await _inner.DeliverAsync(entity, items, cancellationToken);
        }
        catch (PlatformException ex) when (ex.Kind == FailureKind.RateLimited)
        {
            await _coordination.PauseBudgetAsync(BudgetName, _time.GetUtcNow() + (ex.RetryAfter ?? _defaultPause), cancellationToken);
            throw;
        }
    }

    private async Task AcquireAsync(CancellationToken cancellationToken)
    {
        // Unlimited budgets still honour a shared pause: the grant is free, the pause is not.
        var perMinute = _perMinute > 0 ? _perMinute : int.MaxValue / 2;
        var burst = _perMinute > 0 ? _burst : int.MaxValue / 2;
        while (true)
        {
            var wait = await _coordination.TryTakeBudgetAsync(BudgetName, 1, perMinute, burst, _time.GetUtcNow(), cancellationToken);
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(wait < MaxWait ? wait : MaxWait, _time, cancellationToken);
        }
    }
}
