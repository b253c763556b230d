using System.Runtime.CompilerServices;
using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Emarsys;

public sealed partial class EmarsysDestination : IConsentReadBack
{
    /// <summary>
    /// Emarsys cannot list opt-in changes by time through the contact API, so the pull-back asks for the opt-in field of every
    /// contact this service delivered, a thousand keys per <c>contact/getdata</c> call (each drawn from the budget). A value of 2
    /// is an opt-out, 1 an opt-in; contacts without a value report nothing. Emarsys gives no date: the answer counts from when it
    /// was read.
    /// </summary>
    public async IAsyncEnumerable<ReportedConsent> ReadConsentAsync(ConsentReadBackRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var origin = $"field {_options.OptInFieldId} (opt-in)";
        var chunk = new List<string>(EmarsysClient.MaxContactsPerCall);
        await foreach (var key in request.DeliveredKeys(cancellationToken).WithCancellation(cancellationToken))
        {
            chunk.Add(key);
            if (chunk.Count == EmarsysClient.MaxContactsPerCall)
            {
                foreach (var reported in await ReadOptInsAsync(chunk, origin, request, cancellationToken))
                {
                    yield return reported;
                }

                chunk.Clear();
            }
        }

        if (chunk.Count > 0)
        {
            foreach (var reported in await ReadOptInsAsync(chunk, origin, request, cancellationToken))
            {
                yield return reported;
            }
        }
    }

    private async Task<List<ReportedConsent>> ReadOptInsAsync(List<string> keys, string origin, ConsentReadBackRequest request,
        CancellationToken cancellationToken)
    {
        await request.AcquireAsync(cancellationToken);
        var data = await Client.GetContactsAsync(_options.KeyFieldId, keys, [_options.KeyFieldId, _options.OptInFieldId], cancellationToken);
        var found = new List<ReportedConsent>(data.Contacts.Count);
        foreach (var contact in data.Contacts)
        {
            if (contact.GetValueOrDefault(_options.KeyFieldId) is { Length: > 0 } key
                && EmarsysContactWriter.StatusOf(contact.GetValueOrDefault(_options.OptInFieldId)) is { } status)
            {
                found.Add(new ReportedConsent(key, null, ConsentChannels.Email, status, origin, null));
            }
        }

        return found;
    }
}
