namespace Tributary.Engine;

/// <summary>
/// Wakes delivery workers when rows are staged, and tells each how many rows were staged for it since it last leased, so a
/// worker sends full batches while the read is still going instead of racing it with small ones.
/// </summary>
internal sealed class Doorbell : IDisposable
{
    private readonly Dictionary<string, Bell> _bells = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    private static string Id(string destination, Tributary.Core.Model.EntityKind entity) => $"{destination}|{entity}";

    public Bell Register(string destination, Tributary.Core.Model.EntityKind entity)
    {
        lock (_gate)
        {
            if (!_bells.TryGetValue(Id(destination, entity), out var bell))
            {
                _bells[Id(destination, entity)] = bell = new Bell();
            }

            return bell;
        }
    }

    /// <summary>Records rows staged for a destination and wakes its workers.</summary>
    public void Ring(string destination, Tributary.Core.Model.EntityKind entity, int staged)
    {
        lock (_gate)
        {
            if (_bells.TryGetValue(Id(destination, entity), out var bell))
            {
                bell.Add(staged);
            }
        }
    }

    /// <summary>Wakes every worker (the read has finished).</summary>
    public void RingAll()
    {
        lock (_gate)
        {
            foreach (var bell in _bells.Values)
            {
                bell.Add(0);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var bell in _bells.Values)
            {
                bell.Dispose();
            }

            _bells.Clear();
        }
    }

    internal sealed class Bell : IDisposable
    {
        private readonly SemaphoreSlim _signal = new(0, 1);
        private long _staged;

        /// <summary>Rows staged since the last <see cref="Take"/>.</summary>
        public long Staged => Interlocked.Read(ref _staged);

        public void Add(int staged)
        {
            Interlocked.Add(ref _staged, staged);
            try
            {
                if (_signal.CurrentCount == 0)
                {
                    _signal.Release();
                }
            }
            catch (SemaphoreFullException)
            {
                // Already rung; one wake-up is enough.
            }
        }

        public void Take(int leased)
        {
            var after = Interlocked.Add(ref _staged, -leased);
            if (after < 0)
            {
                Interlocked.CompareExchange(ref _staged, 0, after);
            }
        }

        public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

        public void Dispose() => _signal.Dispose();
    }
}
