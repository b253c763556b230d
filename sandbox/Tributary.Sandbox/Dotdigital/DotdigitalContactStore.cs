using System.Net.Mail;

namespace Tributary.Sandbox.Dotdigital;

/// <summary>A contact as the emulator holds it (a snapshot when read through <see cref="DotdigitalEmulator.Contacts"/>).</summary>
public sealed class DotdigitalContactState
{
    /// <summary>Immutable id.</summary>
    public long ContactId { get; init; }

    /// <summary>Email identifier.</summary>
    public string Email { get; set; } = string.Empty;

    private string _emailStatus = "subscribed";

    /// <summary>Email channel status (subscribed, unsubscribed, suppressed, pendingOptIn…).</summary>
    public string EmailStatus
    {
        get => _emailStatus;
        set
        {
            if (!string.Equals(_emailStatus, value, StringComparison.OrdinalIgnoreCase) && IsOptOut(value))
            {
                // What the v2 unsubscribed-since and suppressed-since lists report as dateRemoved.
                OptedOutAt = Clock?.GetUtcNow();
            }

            _emailStatus = value;
        }
    }

    /// <summary>When the contact last left the subscribed state (unsubscribed or suppressed); null if it never did.</summary>
    public DateTimeOffset? OptedOutAt { get; set; }

    internal TimeProvider? Clock { get; init; }

    internal static bool IsOptOut(string status) => status is "unsubscribed" or "suppressed" or "hardBounced" or "ispComplained";

    /// <summary>The mobile number identifier (E.164 digits), or null.</summary>
    public string? MobileNumber { get; set; }

    /// <summary>
    /// SMS channel status. A new contact with a mobile number and no status written takes the account's default, which the
    /// emulator keeps as <c>noSubscription</c> (Contacts API: "the default for new contacts comes from account settings").
    /// </summary>
    public string SmsStatus { get; set; } = "noSubscription";

    /// <summary>Data fields by their registered name.</summary>
    public Dictionary<string, string?> DataFields { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lists the contact belongs to.</summary>
    public HashSet<long> Lists { get; init; } = [];

    /// <summary>How many writes changed or created it.</summary>
    public int Writes { get; set; }

    /// <summary>When it was created (the v3 contact's required <c>created</c>).</summary>
    public DateTimeOffset Created { get; set; }

    /// <summary>When a write last reached it (the v3 contact's required <c>updated</c>).</summary>
    public DateTimeOffset Updated { get; set; }

    internal DotdigitalContactState Copy() => new()
    {
        ContactId = ContactId, Email = Email, MobileNumber = MobileNumber, SmsStatus = SmsStatus, _emailStatus = _emailStatus, OptedOutAt = OptedOutAt, Writes = Writes, Created = Created, Updated = Updated,
        DataFields = new Dictionary<string, string?>(DataFields, StringComparer.OrdinalIgnoreCase), Lists = [.. Lists],
    };
}

/// <summary>What a contact write asks for, parsed from a PATCH body or an import item.</summary>
internal sealed record ContactInput(string Email, IReadOnlyList<KeyValuePair<string, string?>> DataFields, string? EmailStatus,
    bool ResubscribeWithNoChallenge, IReadOnlyList<long> Lists, string? NewEmail = null, string? MobileNumber = null, string? SmsStatus = null);

/// <summary>The outcome of one contact write.</summary>
internal readonly record struct ContactOutcome(DotdigitalContactState? Contact, bool Created, string? ErrorCode, string? Error);

/// <summary>Contacts with a case-insensitive email index. Not thread-safe: the emulator holds its lock.</summary>
internal sealed class DotdigitalContactStore(TimeProvider clock)
{
    private readonly Dictionary<long, DotdigitalContactState> _byId = [];
    private readonly Dictionary<string, DotdigitalContactState> _byEmail = new(StringComparer.OrdinalIgnoreCase);
    private long _nextId = 1000;

    public IEnumerable<DotdigitalContactState> All => _byId.Values;

    public DotdigitalContactState? ByEmail(string email) => _byEmail.GetValueOrDefault(email.Trim());

    public DotdigitalContactState? ById(long id) => _byId.GetValueOrDefault(id);

    /// <summary>Deletes a contact (<c>DELETE /contacts/v3/{identifier}/{value}</c>); false when there is none.</summary>
    public bool Delete(DotdigitalContactState contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        _byEmail.Remove(contact.Email);
        return _byId.Remove(contact.ContactId);
    }

    public void Clear()
    {
        _byId.Clear();
        _byEmail.Clear();
    }

    public static bool IsValidEmail(string email) =>
        email.Length is > 0 and <= 254 && !email.Any(char.IsWhiteSpace) && email.Count(c => c == '@') == 1
        && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && email[(email.IndexOf('@') + 1)..].Contains('.');

    /// <summary>
    /// Changes a contact's email identifier (PATCH by contactId with a new <c>identifiers.email</c>). An address that belongs to
    /// another contact is refused with <c>idAlreadyExists</c> (409 in the Contacts API): identifiers are unique, never merged.
    /// Answers the refusal, or null when the email was changed.
    /// </summary>
    public ContactOutcome? ChangeEmail(long contactId, string newEmail)
    {
        if (!IsValidEmail(newEmail))
        {
            return new ContactOutcome(null, false, "invalidEmail", "Invalid value for 'email'");
        }

        var contact = ById(contactId)!;
        if (ByEmail(newEmail) is { } other && other.ContactId != contactId)
        {
            return new ContactOutcome(null, false, "idAlreadyExists",
                $"The id value '{newEmail}' for the identifier 'email' already exists. All identifiers must be unique");
        }

        _byEmail.Remove(contact.Email);
        contact.Email = newEmail.ToLowerInvariant();
        _byEmail[contact.Email] = contact;
        return null;
    }

    /// <summary>Creates or updates a contact by email, applying the merge option and the channel status rules.</summary>
    public ContactOutcome Upsert(ContactInput input, string mergeOption, IReadOnlyDictionary<string, string> registry)
    {
        var email = input.Email.Trim();
        if (!IsValidEmail(email))
        {
            return new ContactOutcome(null, false, "invalidEmail", "Invalid value for 'email'");
        }

        foreach (var (name, _) in input.DataFields)
        {
            if (!registry.ContainsKey(name))
            {
                return new ContactOutcome(null, false, "contacts:invalidDataField", $"The data field '{name}' does not exist");
            }
        }

        var contact = ByEmail(email);
        var created = contact is null;
        if (contact is null)
        {
            contact = new DotdigitalContactState
            {
                ContactId = ++_nextId, Email = email.ToLowerInvariant(), Clock = clock, Created = clock.GetUtcNow(),
            };
            // Left out, a new contact's email status defaults to subscribed (Contacts API 3.4.3).
            contact.EmailStatus = input.EmailStatus ?? "subscribed";
            _byId[contact.ContactId] = contact;
            _byEmail[contact.Email] = contact;
        }
        else if (input.EmailStatus is { } status)
        {
            contact.EmailStatus = NextStatus(contact.EmailStatus, status, input);
        }

        foreach (var (name, value) in input.DataFields)
        {
            var stored = registry.Keys.First(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            var current = contact.DataFields.GetValueOrDefault(stored);
            var apply = mergeOption switch
            {
                "overwrite-if-not-empty" or "overwriteIfNotEmpty" => !string.IsNullOrEmpty(value),
                "overwrite-if-empty" or "overwriteIfEmpty" => string.IsNullOrEmpty(current),
                _ => true,
            };
            if (!apply)
            {
                continue;
            }

            if (value is null)
            {
                contact.DataFields.Remove(stored);
            }
            else
            {
                contact.DataFields[stored] = value;
            }
        }

        if (input.MobileNumber is { } mobile)
        {
            contact.MobileNumber = mobile;
        }

        if (input.SmsStatus is { } sms)
        {
            // An SMS subscribe lifts an SMS unsubscribe as the email channel's does (no challenge by default); suppression stays.
            contact.SmsStatus = string.Equals(sms, "subscribed", StringComparison.OrdinalIgnoreCase) && contact.SmsStatus == "suppressed" ? contact.SmsStatus : sms;
        }

        contact.Lists.UnionWith(input.Lists);
        contact.Writes++;
        contact.Updated = clock.GetUtcNow();
        return new ContactOutcome(contact, created, null, null);
    }

    /// <summary>
    /// <c>subscribed</c> written on an opted-out contact resubscribes it: <c>resubscribeOptions.resubscribeWithNoChallenge</c>
    /// defaults to true (Contacts API 3.4.3, <c>channelPropertiesWithResubscribe</c>), so a write that leaves the options out
    /// resubscribes at once, and only an explicit <c>false</c> sends a challenge and leaves the contact pendingOptIn. This is
    /// the platform's dangerous default, kept on purpose: a connector that writes a stale "subscribed" must be caught here.
    /// Suppression is never lifted by a write.
    /// </summary>
    private static string NextStatus(string current, string requested, ContactInput input)
    {
        if (!string.Equals(requested, "subscribed", StringComparison.OrdinalIgnoreCase))
        {
            return requested;
        }

        return current switch
        {
            "suppressed" => current,
            "unsubscribed" => input.ResubscribeWithNoChallenge ? "subscribed" : "pendingOptIn",
            _ => "subscribed",
        };
    }
}
