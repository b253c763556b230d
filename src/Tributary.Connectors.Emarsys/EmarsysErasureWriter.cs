using Tributary.Core.Contracts;
using Tributary.Core.Model;

namespace Tributary.Connectors.Emarsys;

/// <summary>
/// Erasures of customers' contacts, keyed like the contacts: <c>delete</c> removes them (<c>POST /api/v2/contact/delete</c>, the
/// batch form, at most a thousand per call); <c>anonymise</c> unsubscribes them (opt-in 2, and the SMS opt-in field when one is
/// configured) and blanks the mobile number and every personal field this
/// service maps, keeping the contact and its history nameless. A contact Emarsys does not have (2008) is already erased.
/// </summary>
internal sealed class EmarsysErasureWriter(EmarsysClient client, EmarsysDestinationOptions options, int batchSize)
{
    private const string NoSuchContact = "2008";

    public async Task<DeliveryResult> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var failures = new Dictionary<string, ItemFailure>(StringComparer.Ordinal);
        var consent = new Dictionary<string, IReadOnlyList<ConsentObservation>>(StringComparer.Ordinal);
        var byMode = items.Where(i => !string.IsNullOrWhiteSpace(i.Key)).GroupBy(i => ErasureFields.ModeOf(i.Fields));
        foreach (var group in byMode)
        {
            foreach (var chunk in group.Chunk(Math.Min(batchSize, EmarsysClient.MaxContactsPerCall)))
            {
                var keys = chunk.Select(i => i.Key).Distinct(StringComparer.Ordinal).ToList();
                var errors = group.Key == ErasureMode.Delete
                    ? await client.DeleteContactsAsync(options.KeyFieldId, keys, cancellationToken)
                    : (await client.UpsertContactsAsync(options.KeyFieldId, keys.Select(Anonymised).ToList(), createIfNotExists: false, cancellationToken)).Errors;
                foreach (var (key, keyErrors) in errors)
                {
                    if (keyErrors.Count > 0 && keyErrors.All(e => e.Code == NoSuchContact))
                    {
                        continue;
                    }

                    var first = keyErrors.Count > 0 ? keyErrors[0] : new EmarsysItemError(string.Empty, "refused without a reason");
                    failures[key] = new ItemFailure(FailureKind.Invalid, first.Code, first.Message);
                }

                if (group.Key == ErasureMode.Anonymise)
                {
                    foreach (var key in keys.Where(k => !failures.ContainsKey(k)))
                    {
                        consent[key] = [new ConsentObservation(ConsentChannels.Email, ConsentSide.Written, ConsentStatus.Unsubscribed,
                            $"field {options.OptInFieldId} (opt-in), anonymised")];
                    }
                }
            }
        }

        return new DeliveryResult(failures, Consent: consent.Count == 0 ? null : consent);
    }

    private EmarsysContactWrite Anonymised(string key)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { [options.KeyFieldId] = key };
        foreach (var fieldId in options.Fields.Values.Concat(options.Attributes.Values).Concat(options.SummaryFields.Values))
        {
            if (fieldId != options.KeyFieldId)
            {
                fields[fieldId] = string.Empty;
            }
        }

        if (options.MobileFieldId is { } mobile)
        {
            fields[mobile] = string.Empty;
        }

        fields[options.OptInFieldId] = EmarsysDestination.OptInFalse;
        var numbers = new HashSet<string>(StringComparer.Ordinal) { options.OptInFieldId };
        if (options.SmsOptInFieldId is { } sms)
        {
            // Unsubscribed on every channel.
            fields[sms] = EmarsysDestination.OptInFalse;
            numbers.Add(sms);
        }

        return new EmarsysContactWrite(key, fields, numbers);
    }
}
