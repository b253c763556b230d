using System.Text.Json;
using Tributary.Core.Model;
using Tributary.Core.Rules;

namespace Tributary.Connectors.Centra.Mapping;

/// <summary>Maps a Centra <c>Customer</c> node onto the canonical <see cref="Customer"/>.</summary>
internal static class CustomerMapper
{
    public static Customer Map(JsonElement c, CentraSourceOptions options)
    {
        var id = Node.Required(c, "id");
        var modified = Node.Time(c, "updatedAt") ?? throw new UnmappableException("the record has no updatedAt");
        var consentValue = Node.Text(c, options.ConsentField);
        var consents = new Dictionary<string, Consent>(StringComparer.Ordinal)
        {
            // The customer record is the only authority; absent stays Unknown (ConsentRule never reads null as Subscribed).
            [ConsentChannels.Email] = new(ConsentRule.FromSourceValue(consentValue), $"centra:customer.{options.ConsentField}"),
        };
        if (options.SmsConsentField is { Length: > 0 } smsField
            && ConsentRule.FromSourceValue(Node.Text(c, smsField)) is var sms and not ConsentStatus.Unknown)
        {
            consents[ConsentChannels.Sms] = new Consent(sms, $"centra:customer.{smsField}");
        }

        return new Customer
        {
            SourceId = id,
            SourceVersion = modified.ToUnixTimeMilliseconds(),
            ModifiedAt = modified,
            // No creation time, no welcome: the modification time would make a backfilled customer look new.
            CreatedAt = Node.Time(c, "createdAt") ?? default,
            Email = Node.Text(c, "email"),
            FirstName = Node.Text(c, "firstName"),
            LastName = Node.Text(c, "lastName"),
            Phone = Node.Text(c, "phoneNumber"),
            Mobile = Node.Text(c, options.MobileField),
            Store = Node.Text(c, "store", "name") ?? Node.Text(c, "market", "name"),
            Locale = Node.Text(c, "language", "code"),
            Consents = consents,
            Attributes = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["registered"] = Node.Bool(c, "registered") ? "true" : "false",
                ["market"] = Node.Text(c, "market", "name"),
            },
        };
    }

    /// <summary>True for a guest-checkout customer (Centra's unregistered duplicate).</summary>
    public static bool IsUnregistered(JsonElement c) =>
        c.ValueKind == JsonValueKind.Object && c.TryGetProperty("registered", out var r) && r.ValueKind == JsonValueKind.False;

    /// <summary>A masked summary of a record for the quarantine (no personal data in clear).</summary>
    public static string Summarize(JsonElement c, string idField)
    {
        string? email = null;
        try
        {
            email = Node.Text(c, "email");
        }
        catch (UnmappableException)
        {
        }

        return $"{{\"{idField}\":\"{Node.Id(c, idField)}\",\"email\":\"{Masking.Email(email)}\"}}";
    }
}
