namespace Tributary.Core.Contracts;

/// <summary>The sent-once ledger: non-idempotent effects (a purchase event, a triggered program) are intended before they are sent
/// and confirmed after, so a crash between the two surfaces as uncertain instead of a resend.</summary>
public interface ISentOnceLedger
{
    /// <summary>
    /// Marks every key intended that is not yet in the ledger, in one transaction, and returns the prior state of the keys that
    /// were already there (intended or sent).
    /// </summary>
    Task<IReadOnlyDictionary<string, SentOnceState>> MarkIntendedAsync(IReadOnlyCollection<string> ledgerKeys, DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>Confirms the keys were accepted.</summary>
    Task MarkSentAsync(IReadOnlyCollection<string> ledgerKeys, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets intents the destination refused (they were not applied), so they can be sent later.</summary>
    Task ReleaseIntentsAsync(IReadOnlyCollection<string> ledgerKeys, CancellationToken cancellationToken);
}
