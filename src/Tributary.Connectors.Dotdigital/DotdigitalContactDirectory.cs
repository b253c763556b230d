using System.Collections.Concurrent;
using Tributary.Core.Model;
using Tributary.Core.Modules;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// Finds the Dotdigital contact of a source customer: summaries and events are keyed by customer id, while Dotdigital addresses
/// contacts by email and enrols them by contact id. Remembers what customer deliveries wrote; after a restart it falls back to the
/// delivered state (the engine's read-only view, when one is given) and then to a contact read by email.
/// </summary>
internal sealed class DotdigitalContactDirectory
{
    private readonly ConcurrentDictionary<string, string> _emails = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _contactIds = new(StringComparer.Ordinal);
    private readonly DotdigitalClient _client;
    private readonly IDeliveredStateReader? _delivered;
    private readonly string _destination;

    public DotdigitalContactDirectory(DotdigitalClient client, IDeliveredStateReader? delivered, string destination)
    {
        _client = client;
        _delivered = delivered;
        _destination = destination;
    }

    public void Remember(string customerKey, string email, long? contactId)
    {
        _emails[customerKey] = email;
        if (contactId is > 0)
        {
            _contactIds[email] = contactId.Value;
        }
    }

    /// <summary>Forgets an erased customer's contact.</summary>
    public void Forget(string customerKey, string email)
    {
        _emails.TryRemove(customerKey, out _);
        _contactIds.TryRemove(email, out _);
    }

    public void RememberContact(string email, long contactId)
    {
        if (contactId > 0)
        {
            _contactIds[email] = contactId;
        }
    }

    public async Task<string?> EmailAsync(string customerKey, CancellationToken cancellationToken)
    {
        if (_emails.TryGetValue(customerKey, out var email))
        {
            return email;
        }

        if (_delivered is null)
        {
            return null;
        }

        var delivered = await _delivered.GetDeliveredAsync(_destination, EntityKind.Customer, [customerKey], cancellationToken);
        if (delivered.TryGetValue(customerKey, out var state)
            && state.Fields.TryGetValue(DotdigitalDestination.EmailField, out var stored) && !string.IsNullOrEmpty(stored))
        {
            _emails[customerKey] = stored;
            return stored;
        }

        return null;
    }

    /// <summary>
    /// The emails last written for these customers (memory first, then one read of the delivered state for the rest); a
    /// customer never delivered has none.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> EmailsAsync(IReadOnlyList<string> customerKeys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var key in customerKeys)
        {
            if (_emails.TryGetValue(key, out var email))
            {
                found[key] = email;
            }
            else
            {
                missing.Add(key);
            }
        }

        if (missing.Count == 0 || _delivered is null)
        {
            return found;
        }

        var delivered = await _delivered.GetDeliveredAsync(_destination, EntityKind.Customer, missing, cancellationToken);
        foreach (var (key, state) in delivered)
        {
            if (state.Fields.TryGetValue(DotdigitalDestination.EmailField, out var stored) && !string.IsNullOrEmpty(stored))
            {
                _emails[key] = stored;
                found[key] = stored;
            }
        }

        return found;
    }

    public async Task<long?> ContactIdAsync(string email, CancellationToken cancellationToken)
    {
        if (_contactIds.TryGetValue(email, out var id))
        {
            return id;
        }

        var contact = await _client.GetContactAsync("email", email, cancellationToken);
        if (contact is null || contact.ContactId <= 0)
        {
            return null;
        }

        _contactIds[email] = contact.ContactId;
        return contact.ContactId;
    }
}

/// <summary>A rolling one-hour call allowance (program enrolment: 20 calls an hour per account).</summary>
internal sealed class HourlyCallBudget
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private readonly Queue<DateTimeOffset> _calls = new();
    private readonly object _gate = new();
    private readonly int _perHour;
    private readonly TimeProvider _time;

    public HourlyCallBudget(int perHour, TimeProvider time)
    {
        _perHour = perHour;
        _time = time;
    }

    /// <summary>Takes one call; false with the wait until the next one frees when the hour's allowance is spent.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (_perHour <= 0)
        {
            return true;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            while (_calls.Count > 0 && now - _calls.Peek() >= Window)
            {
                _calls.Dequeue();
            }

            if (_calls.Count >= _perHour)
            {
                wait = _calls.Peek() + Window - now;
                return false;
            }

            _calls.Enqueue(now);
            return true;
        }
    }
}
