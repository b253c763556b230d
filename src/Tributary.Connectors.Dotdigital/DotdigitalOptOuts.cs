using System.Collections.Concurrent;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// The opt-outs Dotdigital holds (unsubscribes from links and preference pages, suppressions from bounces and complaints),
/// pulled from the v2 unsubscribed-since and suppressed-since lists: the whole history on first use, then only what came since
/// the last pull (with an overlap, so an opt-out recorded while a pull ran is not missed). Read before any write that would
/// subscribe a contact, so an opt-out made in Dotdigital is never undone by an older opt-in from the shop.
/// </summary>
internal sealed class DotdigitalOptOuts(DotdigitalClient client, TimeProvider time)
{
    // Dotdigital accounts start after this; the first pull reads everything since.
    private static readonly DateTimeOffset Beginning = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, DotdigitalOptOut> _byEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset? _pulledAt;

    /// <summary>
    /// Pulls what came since the last pull: two calls (more pages only after a burst of opt-outs), made before each batch that
    /// would subscribe someone, so an opt-out made a moment ago is seen.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var since = _pulledAt is { } previous ? previous - Overlap : Beginning;
            foreach (var optOut in await client.OptOutsSinceAsync(since, cancellationToken))
            {
                if (optOut.Contact?.Email is { Length: > 0 } email
                    && (!_byEmail.TryGetValue(email.Trim(), out var known) || known.DateRemoved <= optOut.DateRemoved))
                {
                    _byEmail[email.Trim()] = optOut;
                }
            }

            _pulledAt = now;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The latest opt-out Dotdigital holds for the email, or null.</summary>
    public DotdigitalOptOut? For(string email) => _byEmail.GetValueOrDefault(email.Trim());

    /// <summary>Forgets an opt-out once the contact subscribed again (a newer opt-in was written and accepted).</summary>
    public void Forget(string email) => _byEmail.TryRemove(email.Trim(), out _);
}
