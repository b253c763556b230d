using Tributary.Core.Model;

namespace Tributary.Core.Contracts;

/// <summary>
/// A destination that can report the consent it holds (an unsubscribe link clicked, a preference page, a suppression after a
/// bounce): an optional capability a destination connector implements, used by the scheduled pull-back and by reconcile.
/// </summary>
public interface IConsentReadBack
{
    /// <summary>
    /// Reads what the destination holds. A destination that lists changes by time reads those since
    /// <see cref="ConsentReadBackRequest.Since"/>; one that can only be asked per contact reads the keys this service delivered.
    /// Each call to the platform first waits for <see cref="ConsentReadBackRequest.AcquireAsync"/> (the account's budget).
    /// </summary>
    IAsyncEnumerable<ReportedConsent> ReadConsentAsync(ConsentReadBackRequest request, CancellationToken cancellationToken);
}

/// <summary>What a pull-back asks.</summary>
/// <param name="Since">When the previous pull-back started; null: everything.</param>
/// <param name="DeliveredKeys">The customer keys this service delivered to the destination.</param>
/// <param name="AcquireAsync">Waits for the destination's budget before one call.</param>
public sealed record ConsentReadBackRequest(DateTimeOffset? Since, Func<CancellationToken, IAsyncEnumerable<string>> DeliveredKeys,
    Func<CancellationToken, ValueTask> AcquireAsync);

/// <summary>One contact's consent as a destination reports it.</summary>
/// <param name="Contact">The customer key, when the destination keys its contacts by it.</param>
/// <param name="Address">The email address, when the destination reports by address only (matched by hash, never stored).</param>
/// <param name="Channel">The channel.</param>
/// <param name="Status">The status.</param>
/// <param name="Origin">The destination's field or list.</param>
/// <param name="At">When it happened, when the destination says.</param>
public sealed record ReportedConsent(string? Contact, string? Address, string Channel, ConsentStatus Status, string Origin, DateTimeOffset? At);
