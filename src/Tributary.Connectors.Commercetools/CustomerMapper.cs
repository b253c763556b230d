using System.Globalization;
using System.Text.Json;
using Tributary.Connectors.Commercetools.Api;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Commercetools;

/// <summary>Maps a commercetools Customer onto the canonical <see cref="Customer"/>, or says why it cannot.</summary>
internal static class CustomerMapper
{
    public static Customer? Map(CustomerDto c, CommercetoolsSourceOptions options, out string? reason)
    {
        reason = null;
        if (string.IsNullOrEmpty(c.Id))
        {
            reason = "the record has no id";
            return null;
        }

        DateOnly? dateOfBirth = null;
        if (c.DateOfBirth is not null)
        {
            if (!DateOnly.TryParseExact(c.DateOfBirth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
            {
                reason = "dateOfBirth is not a date in the form YYYY-MM-DD";
                return null;
            }

            dateOfBirth = dob;
        }

        var fields = c.Custom?.Fields;
        if (!TryConsent(fields, options.ConsentField, options.ConsentDateField, out var consent, out reason)
            || !TryConsent(fields, options.SmsConsentField, options.SmsConsentDateField, out var smsConsent, out reason))
        {
            return null;
        }

        var consents = new Dictionary<string, Consent>(StringComparer.Ordinal) { [ConsentChannels.Email] = consent };
        if (smsConsent.Status != ConsentStatus.Unknown)
        {
            consents[ConsentChannels.Sms] = smsConsent;
        }

        var (mobile, country) = Mobile(c, fields, options.MobileField);

        var attributes = new Dictionary<string, string?>(options.Attributes.Count, StringComparer.Ordinal);
        foreach (var (canonical, field) in options.Attributes)
        {
            attributes[canonical] = Text(fields, field);
        }

        return new Customer
        {
            SourceId = c.Id,
            SourceVersion = c.Version,
            ModifiedAt = c.LastModifiedAt,
            CreatedAt = c.CreatedAt,
            Email = c.Email,
            FirstName = c.FirstName,
            LastName = c.LastName,
            DateOfBirth = dateOfBirth,
            CustomerNumber = c.CustomerNumber,
            Locale = c.Locale,
            Store = c.Stores is { Count: > 0 } stores ? stores[0].Key : null,
            Currency = c.Stores is { Count: > 0 } inStores && inStores[0].Key is { } storeKey
                && options.CurrencyByStore.TryGetValue(storeKey, out var currency) ? currency : null,
            Phone = Phone(c),
            Mobile = mobile,
            Country = country,
            Consents = consents,
            Attributes = attributes,
        };
    }

    /// <summary>A masked summary of a record for the quarantine trace: no personal value appears in full.</summary>
    public static string Summarize(CustomerDto? c, string? id) => c is null
        ? $"id={id}"
        : $"id={c.Id}, version={c.Version}, email={Masking.Email(c.Email)}, dateOfBirth={Masking.Text(c.DateOfBirth)}, lastModifiedAt={c.LastModifiedAt:O}";

    private static bool TryConsent(IReadOnlyDictionary<string, JsonElement>? fields, string field, string? dateField, out Consent consent,
        out string? reason)
    {
        consent = Consent.Unknown;
        reason = null;
        DateTimeOffset? at = null;
        if (dateField is not null && Text(fields, dateField) is { } date)
        {
            if (!DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                reason = $"custom field '{dateField}' (consent date) is not an ISO-8601 date or timestamp";
                return false;
            }

            at = parsed;
        }

        consent = new Consent(ConsentRule.FromSourceValue(Text(fields, field)), $"commercetools:custom.{field}", at);
        return true;
    }

    /// <summary>
    /// The mobile number and the country of the address it came from: from a custom field when one is configured (no country
    /// then), else <c>mobile</c> of the default shipping address, the default billing address, or the first address having one.
    /// </summary>
    private static (string? Mobile, string? Country) Mobile(CustomerDto c, IReadOnlyDictionary<string, JsonElement>? fields, string mobileField)
    {
        if (!string.Equals(mobileField, CommercetoolsSourceOptions.MobileFromAddress, StringComparison.OrdinalIgnoreCase))
        {
            return (Text(fields, mobileField) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null, null);
        }

        if (c.Addresses is not { Count: > 0 } addresses)
        {
            return (null, null);
        }

        var address = addresses.FirstOrDefault(a => a.Id is not null && a.Id == c.DefaultShippingAddressId && !string.IsNullOrWhiteSpace(a.Mobile))
                      ?? addresses.FirstOrDefault(a => a.Id is not null && a.Id == c.DefaultBillingAddressId && !string.IsNullOrWhiteSpace(a.Mobile))
                      ?? addresses.FirstOrDefault(a => !string.IsNullOrWhiteSpace(a.Mobile));
        return address is null ? (null, null) : (address.Mobile!.Trim(), address.Country);
    }

    /// <summary>Phone from the default billing address, else the first address: its phone, else its mobile.</summary>
    private static string? Phone(CustomerDto c)
    {
        if (c.Addresses is not { Count: > 0 } addresses)
        {
            return null;
        }

        var address = addresses.FirstOrDefault(a => a.Id is not null && a.Id == c.DefaultBillingAddressId) ?? addresses[0];
        return !string.IsNullOrWhiteSpace(address.Phone) ? address.Phone : string.IsNullOrWhiteSpace(address.Mobile) ? null : address.Mobile;
    }

    /// <summary>A custom field as text: strings as they are, booleans and numbers in JSON spelling, other shapes as raw JSON.</summary>
    private static string? Text(IReadOnlyDictionary<string, JsonElement>? fields, string name)
    {
        if (fields is null || !fields.TryGetValue(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        };
    }
}
