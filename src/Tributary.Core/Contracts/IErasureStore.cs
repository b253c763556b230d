namespace Tributary.Core.Contracts;

/// <summary>
/// What the state keeps of erasures: a person's data removed from every table, tombstones in its place, and the installation's
/// secret salt the tombstones are keyed with.
/// </summary>
public interface IErasureStore
{
    /// <summary>
    /// In one transaction: removes what the state holds of the customers (consent ledger and addresses, notifications, outbox
    /// rows and delivery attempts other than erasures, order history, rule state) and stores the tombstones. What each destination
    /// last accepted stays until that destination's erasure is done (a destination may need it to find its contact), then
    /// <see cref="IDeliveredStateStore.RemoveDeliveredAsync"/> removes it.
    /// </summary>
    Task ForgetAsync(IReadOnlyCollection<string> customers, IReadOnlyCollection<string> tombstones, DateTimeOffset at,
        CancellationToken cancellationToken);

    /// <summary>The given tombstones that are stored.</summary>
    Task<IReadOnlySet<string>> ForgottenAsync(IReadOnlyCollection<string> tombstones, CancellationToken cancellationToken);

    /// <summary>How many tombstones are stored (0: no read needs to look).</summary>
    Task<long> CountForgottenAsync(CancellationToken cancellationToken);

    /// <summary>The installation's secret salt for tombstones, created on first use.</summary>
    Task<string> InstallationSaltAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Rewrites the state so removed data does not linger in free pages or the write-ahead log (SQLite: VACUUM and a truncating
    /// checkpoint; PostgreSQL: VACUUM of the tables a forget touches).
    /// </summary>
    Task CompactAsync(CancellationToken cancellationToken);
}
