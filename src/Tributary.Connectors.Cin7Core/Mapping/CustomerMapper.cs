using System.Text.Json;
using Tributary.Connectors.Cin7Core.Api;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Cin7Core.Mapping;

/// <summary>Maps a Cin7 Core customer onto the canonical <see cref="Customer"/>.</summary>
internal static class CustomerMapper
{
    public static Customer Map(CustomerDto c, Cin7CoreSourceOptions options)
    {
        var id = Wire.Key(c.Id, "ID");
        var modified = Wire.RequiredTime(c.LastModifiedOn, "LastModifiedOn");
        var contact = ChooseContact(c.Contacts ?? [], options.EmailContact);
        var (first, last) = SplitName(Wire.Trimmed(contact?.Name) ?? Wire.Trimmed(c.Name));
        var consents = new Dictionary<string, Consent>(StringComparer.Ordinal);
        if (options.ConsentField is { Length: > 0 } field)
        {
            // The customer record is the only authority; absent stays Unknown (ConsentRule never reads null as Subscribed).
            consents[ConsentChannels.Email] = new Consent(ConsentRule.FromSourceValue(FieldValue(c, field)), $"cin7core:customer.{field}");
        }

        if (options.SmsConsentField is { Length: > 0 } smsField
            && ConsentRule.FromSourceValue(FieldValue(c, smsField)) is var sms and not ConsentStatus.Unknown)
        {
            consents[ConsentChannels.Sms] = new Consent(sms, $"cin7core:customer.{smsField}");
        }

        return new Customer
        {
            SourceId = id,
            SourceVersion = modified.ToUnixTimeMilliseconds(),
            ModifiedAt = modified,
            // Customers without a usable contact email still map: the destination quarantines them with "no email address".
            Email = Wire.Trimmed(contact?.Email),
            FirstName = first,
            LastName = last,
            Phone = Wire.Trimmed(contact?.Phone) ?? Wire.Trimmed(contact?.MobilePhone),
            // The contact's MobilePhone is the documented mobile; its Phone is not taken for SMS (it may be a landline).
            Mobile = Wire.Trimmed(contact?.MobilePhone),
            Currency = Wire.Trimmed(c.Currency)?.ToUpperInvariant(),
            Consents = consents,
            Attributes = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["name"] = Wire.Trimmed(c.Name),
                ["status"] = Wire.Trimmed(c.Status),
                ["priceTier"] = Wire.Trimmed(c.PriceTier),
                ["tags"] = Wire.Trimmed(c.Tags),
                ["country"] = c.Addresses?.OrderByDescending(a => a.DefaultForType).Select(a => Wire.Trimmed(a.Country)).FirstOrDefault(v => v is not null),
            },
        };
    }

    /// <summary>The contact whose email the customer gets, per <paramref name="choice"/>; null when none qualifies.</summary>
    public static ContactDto? ChooseContact(IReadOnlyList<ContactDto> contacts, Cin7CoreContactChoice choice)
    {
        static bool HasEmail(ContactDto c) => !string.IsNullOrWhiteSpace(c.Email);
        var byDefault = contacts.FirstOrDefault(c => c.Default);
        var firstWithEmail = contacts.FirstOrDefault(HasEmail);
        return choice switch
        {
            Cin7CoreContactChoice.DefaultOnly => byDefault is not null && HasEmail(byDefault) ? byDefault : null,
            Cin7CoreContactChoice.FirstWithEmail => firstWithEmail,
            Cin7CoreContactChoice.IncludeInEmailElseDefault => contacts.FirstOrDefault(c => c.IncludeInEmail && HasEmail(c))
                                                             ?? (byDefault is not null && HasEmail(byDefault) ? byDefault : firstWithEmail),
            _ => byDefault is not null && HasEmail(byDefault) ? byDefault : firstWithEmail,
        };
    }

    /// <summary>A masked summary of a record for the quarantine (no personal data in clear).</summary>
    public static string Summarize(CustomerDto c) =>
        $"{{\"ID\":\"{c.Id}\",\"Name\":\"{Masking.Text(c.Name)}\",\"LastModifiedOn\":\"{c.LastModifiedOn}\"}}";

    private static string? FieldValue(CustomerDto c, string field)
    {
        if (c.Extra is { } extra)
        {
            foreach (var (name, value) in extra)
            {
                if (string.Equals(name, field, StringComparison.OrdinalIgnoreCase))
                {
                    return value.ValueKind switch
                    {
                        JsonValueKind.String => value.GetString(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        JsonValueKind.Number => value.GetRawText(),
                        _ => null,
                    };
                }
            }
        }

        return field.ToUpperInvariant() switch
        {
            "TAGS" => c.Tags,
            "STATUS" => c.Status,
            "PRICETIER" => c.PriceTier,
            _ => null,
        };
    }

    private static (string? First, string? Last) SplitName(string? name)
    {
        if (name is null)
        {
            return (null, null);
        }

        var space = name.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (name, null) : (name[..space], Wire.Trimmed(name[(space + 1)..]));
    }
}
