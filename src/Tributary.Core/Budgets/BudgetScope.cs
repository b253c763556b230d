namespace Tributary.Core.Budgets;

/// <summary>
/// The budget a piece of work spends its HTTP calls from, flowing with the async context. A caller that takes a permit for a
/// unit of work (one delivery batch, one reconciliation read) opens a scope and prepays that permit; a connector whose client
/// carries a <see cref="BudgetHandler"/> over the same budget then spends the prepaid permit on its first call and takes one
/// more, in the scope's lane, for every further call (one per Emarsys event id, a sales-data upload after a contact write…).
/// So every HTTP request draws from the budget exactly once, and a published limit is never exceeded by work that fans out.
/// </summary>
public sealed class BudgetScope : IDisposable
{
    private static readonly AsyncLocal<BudgetScope?> CurrentScope = new();

    private readonly BudgetScope? _outer;
    private long _prepaid;
    private long _calls;

    private BudgetScope(RateBudget budget, BudgetLane lane, BudgetScope? outer)
    {
        Budget = budget;
        Lane = lane;
        _outer = outer;
    }

    /// <summary>The scope of the current async flow, if any.</summary>
    public static BudgetScope? Current => CurrentScope.Value;

    /// <summary>The budget the scope spends from.</summary>
    public RateBudget Budget { get; }

    /// <summary>The lane further permits are taken in.</summary>
    public BudgetLane Lane { get; }

    /// <summary>HTTP calls made in the scope.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Opens a scope over <paramref name="budget"/> for the current async flow; disposing it restores the outer one.</summary>
    public static BudgetScope Enter(RateBudget budget, BudgetLane lane)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var scope = new BudgetScope(budget, lane, CurrentScope.Value);
        CurrentScope.Value = scope;
        return scope;
    }

    /// <summary>Takes a permit now (waiting for it in the scope's lane) for the next call of the scope.</summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        await Budget.AcquireAsync(Lane, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _prepaid);
    }

    /// <summary>Spends a permit for one HTTP call: a prepaid one when there is one, else a new one in the scope's lane.</summary>
    public ValueTask SpendAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        while (true)
        {
            var prepaid = Interlocked.Read(ref _prepaid);
            if (prepaid <= 0)
            {
                return Budget.AcquireAsync(Lane, cancellationToken);
            }

            if (Interlocked.CompareExchange(ref _prepaid, prepaid - 1, prepaid) == prepaid)
            {
                return ValueTask.CompletedTask;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => CurrentScope.Value = _outer;
}

/// <summary>
/// Draws every HTTP request sent through it from a <see cref="RateBudget"/>: through the current <see cref="BudgetScope"/> when
/// it spends the same budget (its prepaid permit first, then its lane), otherwise a permit in the bulk lane (checks, audits and
/// other calls outside delivery never take the real-time reserve). Placed before authentication, so a request signed with a
/// timestamp (Emarsys WSSE) is signed after the wait, not before it.
/// </summary>
public sealed class BudgetHandler(RateBudget budget) : DelegatingHandler
{
    /// <summary>The budget this handler draws from.</summary>
    public RateBudget Budget { get; } = budget ?? throw new ArgumentNullException(nameof(budget));

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (BudgetScope.Current is { } scope && ReferenceEquals(scope.Budget, Budget))
        {
            await scope.SpendAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Budget.AcquireAsync(BudgetLane.Bulk, cancellationToken).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
