using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Dotdigital;

/// <summary>
/// Erasures of customers' contacts, found through the directory (the address this service last delivered): <c>delete</c>
/// removes the contact (<c>DELETE /contacts/v3/email/{email}</c>); <c>anonymise</c> unsubscribes it and clears every data field
/// this service maps. Dotdigital identifies contacts by their address, so an anonymised contact keeps it: Dotdigital keeps
/// unsubscribed addresses to honour the opt-out. A contact Dotdigital does not have, or one never delivered, is already erased.
/// </summary>
internal sealed class DotdigitalErasureWriter(DotdigitalClient client, DotdigitalDestinationOptions options, DotdigitalContactDirectory directory)
{
    public async Task<DeliveryResult> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var consent = new Dictionary<string, IReadOnlyList<ConsentObservation>>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (await directory.EmailAsync(item.Key, cancellationToken) is not { } email)
            {
                continue;
            }

            try
            {
                if (ErasureFields.ModeOf(item.Fields) == ErasureMode.Delete)
                {
                    await client.DeleteContactAsync("email", email, cancellationToken);
                }
                else
                {
                    var data = options.Fields.Values.Concat(options.Attributes.Values).Concat(options.SummaryFields.Values)
                        .Distinct(StringComparer.OrdinalIgnoreCase)
                        .ToDictionary(f => f, _ => (string?)null, StringComparer.OrdinalIgnoreCase);
                    // A contact with a mobile number is unsubscribed from SMS too (an SMS status needs a number, so the contact is
                    // read first). The number stays, as the address does: it is Dotdigital's identifier of the opt-out.
                    var held = options.SendSms ? await client.GetContactAsync("email", email, cancellationToken) : null;
                    var sms = held?.Identifiers.GetValueOrDefault("mobileNumber") is { Length: > 0 } ? DotdigitalEmailStatus.Unsubscribed : null;
                    await client.UpsertContactAsync(new DotdigitalContactWrite("email",
                            new Dictionary<string, string>(StringComparer.Ordinal) { ["email"] = email }, data, DotdigitalEmailStatus.Unsubscribed)
                        { SmsStatus = sms },
                        DotdigitalMergeOption.Overwrite, cancellationToken);
                    consent[item.Key] = sms is null
                        ? [new ConsentObservation(ConsentChannels.Email, ConsentSide.Written, ConsentStatus.Unsubscribed, "channelProperties.email.status, anonymised")]
                        : [new ConsentObservation(ConsentChannels.Email, ConsentSide.Written, ConsentStatus.Unsubscribed, "channelProperties.email.status, anonymised"),
                            new ConsentObservation(ConsentChannels.Sms, ConsentSide.Written, ConsentStatus.Unsubscribed, "channelProperties.sms.status, anonymised")];
                }

                directory.Forget(item.Key, email);
            }
            catch (DotdigitalException ex) when (DotdigitalDestination.IsItemProblem(ex))
            {
                if (ex.StatusCode != 404)
                {
                    failures[item.Key] = DotdigitalDestination.Failed(ex);
                }
            }
        }

        return new DeliveryResult(failures, Consent: consent.Count == 0 ? null : consent);
    }
}
