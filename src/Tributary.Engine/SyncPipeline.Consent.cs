using Microsoft.Extensions.Logging;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Engine;

public sealed partial class SyncPipeline
{
    /// <summary>
    /// Records, in the consent ledger, the source's explicit answers of the customers just staged (every customer of a full read),
    /// with where and when they were given, and which contact each address belongs to (by hash). Unknown is not an answer and is
    /// not recorded. Customers that did not change were recorded when they last did.
    /// </summary>
    private async Task RecordSourceConsentAsync(IReadOnlyList<CanonicalRecord> records, List<OutboxEntry> upserts, bool everyone,
        CancellationToken cancellationToken)
    {
        HashSet<string>? staged = everyone
            ? null
            : upserts.Where(u => u.Entity == EntityKind.Customer).Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        if (staged is { Count: 0 })
        {
            return;
        }

        var now = _time.GetUtcNow();
        var entries = new List<ConsentEntry>();
        var addresses = new List<(string, string)>();
        foreach (var customer in records.OfType<Customer>())
        {
            if (staged is not null && !staged.Contains(customer.Key))
            {
                continue;
            }

            foreach (var (channel, consent) in customer.Consents)
            {
                if (consent.Status != ConsentStatus.Unknown)
                {
                    entries.Add(new ConsentEntry(customer.Key, channel, string.Empty, ConsentSide.Source, consent.Status,
                        consent.Source ?? _source.Name, consent.At, now));
                }
            }

            if (!string.IsNullOrWhiteSpace(customer.Email))
            {
                addresses.Add((ContactAddress.Hash(customer.Email), customer.Key));
            }
        }

        try
        {
            await _store.RecordConsentAsync(entries, cancellationToken);
            await _store.RecordAddressesAsync(addresses, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The ledger is the audit trail, not the delivery: the records are staged and go on; the answers are recorded again
            // when the customers next change.
            _logger.LogWarning(ex, "Recording {Count} consent answers of {Pipeline} failed", entries.Count, _options.Name);
        }
    }
}
