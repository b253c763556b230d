using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>
/// The consent ledger: per contact and channel, the last explicit answer the source gave (with where and when), the value last
/// written to each destination, and what each destination itself last reported (an unsubscribe link, a suppression). It is the
/// audit trail behind the consent rules, the record trace and the dashboard's consent counts.
/// </summary>
public interface IConsentLedger
{
    /// <summary>
    /// Records entries, one row per contact, channel, destination and side. An entry replaces the stored one unless the stored one
    /// says it was given later (<see cref="ConsentEntry.At"/>): an older answer read late never overwrites a newer one.
    /// </summary>
    Task RecordConsentAsync(IReadOnlyList<ConsentEntry> entries, CancellationToken cancellationToken);

    /// <summary>Every entry of the given contacts.</summary>
    Task<IReadOnlyList<ConsentEntry>> GetConsentAsync(IReadOnlyCollection<string> contacts, CancellationToken cancellationToken);

    /// <summary>Remembers which contact an address belongs to, by its hash (<see cref="ContactAddress.Hash"/>), never in clear.</summary>
    Task RecordAddressesAsync(IReadOnlyList<(string AddressHash, string Contact)> addresses, CancellationToken cancellationToken);

    /// <summary>The contacts known under each given address hash (hashes never seen are absent).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindContactsAsync(IReadOnlyCollection<string> addressHashes,
        CancellationToken cancellationToken);

    /// <summary>
    /// Counts per destination, side, channel and status, plus the conflicts per destination (see <see cref="ConsentSummary"/>),
    /// 0 for every destination the ledger knows without one.
    /// </summary>
    Task<ConsentSummary> SummarizeConsentAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Contacts a destination reports as opted out on a channel while the source's latest answer, given before that opt-out (or
    /// undated), still says subscribed: the shop's data is wrong and should be corrected there. At most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<ConsentConflict>> ListConsentConflictsAsync(int limit, CancellationToken cancellationToken);
}
