using Tributary.Core.Model;

namespace Tributary.Engine;

/// <summary>
/// Whose turn it is to deliver over the pipeline's outbox: passes (sweeps, heals, replays, the real-time lane's deliveries)
/// take turns in arrival order, and the running one is known together with the kinds its workers deliver. The real-time lane
/// asks, in one step under the same lock, either to hand its freshly staged rows to the running pass or to take the turn
/// itself — so there is no moment where it has looked, decided, and a pass starts or ends behind its back.
/// </summary>
internal sealed class PassTurns
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _waiting = new();
    private RunningPass? _current;

    /// <summary>Waits for the turn of <paramref name="pass"/>; the caller must <see cref="TryLeave"/> when done.</summary>
    public async Task EnterAsync(RunningPass pass, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_current is null)
            {
                _current = pass;
                return;
            }

            waiter = new Waiter(pass);
            waiter.Node = _waiting.AddLast(waiter);
        }

        await using (cancellationToken.Register(() => Abandon(waiter, cancellationToken)))
        {
            await waiter.Turn.Task;
        }
    }

    /// <summary>
    /// The real-time lane's hand-off: when a pass is running, the kinds it delivers are noted as owed to it (it delivers them
    /// once more before it leaves) and the running pass is returned; when none is, the lane's own delivery takes the turn.
    /// </summary>
    public RunningPass? HandOverOrEnter(IReadOnlyCollection<EntityKind> kinds, RunningPass own)
    {
        lock (_gate)
        {
            if (_current is null)
            {
                _current = own;
                return null;
            }

            foreach (var kind in kinds.Where(_current.Kinds.Contains))
            {
                _current.Owed.Add(kind);
            }

            return _current;
        }
    }

    /// <summary>
    /// Ends the turn of <paramref name="pass"/> unless rows were handed to it since it last asked: then those kinds are
    /// returned, the turn is kept, and the pass delivers them before trying again. <paramref name="force"/> (a failed pass)
    /// leaves regardless; handed rows stay due in the outbox for the next delivery.
    /// </summary>
    public IReadOnlyList<EntityKind> TryLeave(RunningPass pass, bool force = false)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_current, pass))
            {
                throw new InvalidOperationException("Only the running pass can end its turn.");
            }

            if (pass.Owed.Count > 0 && !force)
            {
                var owed = pass.Owed.ToList();
                pass.Owed.Clear();
                return owed;
            }

            pass.Owed.Clear();
            _current = null;
            if (_waiting.First is { } next)
            {
                _waiting.RemoveFirst();
                next.Value.Node = null;
                _current = next.Value.Pass;
                next.Value.Turn.SetResult();
            }

            return [];
        }
    }

    private void Abandon(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Node is null)
            {
                // Already given the turn: the caller leaves it as usual.
                return;
            }

            _waiting.Remove(waiter.Node);
            waiter.Node = null;
        }

        waiter.Turn.TrySetCanceled(cancellationToken);
    }

    private sealed class Waiter(RunningPass pass)
    {
        public RunningPass Pass { get; } = pass;

        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }
}

/// <summary>A pass holding (or waiting for) the turn: the kinds its workers deliver, and the doorbell that wakes them.</summary>
internal sealed class RunningPass(IReadOnlyList<EntityKind> kinds, Doorbell doorbell)
{
    public IReadOnlyList<EntityKind> Kinds { get; } = kinds;

    public Doorbell Doorbell { get; } = doorbell;

    /// <summary>Kinds the real-time lane staged rows for while this pass ran (guarded by the turns' lock).</summary>
    public HashSet<EntityKind> Owed { get; } = [];
}
