using System.Runtime.CompilerServices;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalDestination : IConsentReadBack
{
    // Dotdigital accounts start after this; the first pull-back reads everything since.
    private static readonly DateTimeOffset Beginning = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // An opt-out recorded while the previous pull-back ran is read again rather than missed.
    private static readonly TimeSpan PullBackOverlap = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The opt-outs Dotdigital recorded since the previous pull-back (the v2 unsubscribed-since and suppressed-since lists, each
    /// page drawn from the budget), by email address with the date Dotdigital gives.
    /// </summary>
    public async IAsyncEnumerable<ReportedConsent> ReadConsentAsync(ConsentReadBackRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var since = request.Since is { } previous ? previous - PullBackOverlap : Beginning;
        foreach (var optOut in await Client.OptOutsSinceAsync(since, cancellationToken, request.AcquireAsync))
        {
            if (optOut.Contact?.Email is { Length: > 0 } email)
            {
                yield return new ReportedConsent(null, email, ConsentChannels.Email, ConsentStatus.Unsubscribed,
                    DotdigitalContactWriter.OptOutOrigin(optOut), optOut.DateRemoved);
            }
        }
    }
}
