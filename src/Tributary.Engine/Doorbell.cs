namespace Tributary.Engine;

/// <summary>Wakes every delivery worker when new rows were staged.</summary>
internal sealed class Doorbell : IDisposable
{
    private readonly List<SemaphoreSlim> _bells = [];
    private readonly object _gate = new();

    public SemaphoreSlim Register()
    {
        var bell = new SemaphoreSlim(0, 1);
        lock (_gate)
        {
            _bells.Add(bell);
        }

        return bell;
    }

    public void Ring()
    {
        lock (_gate)
        {
            foreach (var bell in _bells)
            {
                if (bell.CurrentCount == 0)
                {
                    try
                    {
                        bell.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                        // Already rung; one wake-up is enough.
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var bell in _bells)
            {
                bell.Dispose();
            }

            _bells.Clear();
        }
    }
}
