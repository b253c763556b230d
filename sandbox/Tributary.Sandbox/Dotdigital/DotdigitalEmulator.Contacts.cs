using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Dotdigital;

public sealed partial class DotdigitalEmulator
{
    private readonly Dictionary<string, ContactImport> _contactImports = new(StringComparer.OrdinalIgnoreCase);

    private async Task PatchContactAsync(HttpContext context, string identifier, string value)
    {
        using var doc = await ReadJsonAsync(context);
        if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status400BadRequest, "contacts:badJson", "The request body is not valid JSON");
            return;
        }

        var merge = context.Request.Query["merge-option"].ToString();
        ContactOutcome outcome;
        lock (_gate)
        {
            var email = identifier switch
            {
                "email" => value,
                "contactId" when long.TryParse(value, out var id) => _contacts.ById(id)?.Email,
                _ => null,
            };
            if (email is null)
            {
                outcome = new ContactOutcome(null, false, identifier is "email" or "contactId" ? "contacts:contactNotFound" : "contacts:invalidId",
                    $"The identifier '{identifier}' is not known");
            }
            else if (identifier == "contactId" && NewEmail(doc.RootElement, email) is { } newEmail
                     && _contacts.ChangeEmail(long.Parse(value, System.Globalization.CultureInfo.InvariantCulture), newEmail) is { } refused)
            {
                outcome = refused;
            }
            else
            {
                email = identifier == "contactId" ? _contacts.ById(long.Parse(value, System.Globalization.CultureInfo.InvariantCulture))!.Email : email;
                outcome = _rejections.TryGetValue(email.Trim(), out var rejection)
                    ? new ContactOutcome(null, false, rejection.Code, rejection.Description)
                    : _contacts.Upsert(ParseContact(doc.RootElement, email), merge, Options.DataFields);
            }
        }

        if (outcome.Contact is not { } contact)
        {
            var status = outcome.ErrorCode switch
            {
                "contacts:contactNotFound" => StatusCodes.Status404NotFound,
                "idAlreadyExists" => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            await WriteV3ErrorAsync(context, status, Qualified(outcome.ErrorCode), $"The id value '{value}' for the identifier '{identifier}': {outcome.Error}",
                identifier);
            return;
        }

        DotdigitalContactState snapshot;
        lock (_gate)
        {
            snapshot = contact.Copy();
        }

        await WriteJsonAsync(context, outcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, json => WriteContact(json, snapshot));
    }

    // A contact addressed by its id may change its email identifier: the body's identifiers.email, when it differs.
    private static string? NewEmail(JsonElement body, string current) =>
        body.TryGetProperty("identifiers", out var ids) && ids.ValueKind == JsonValueKind.Object
        && ids.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String && e.GetString() is { } email
        && !string.Equals(email.Trim(), current, StringComparison.OrdinalIgnoreCase)
            ? email.Trim()
            : null;

    // DELETE /contacts/v3/{identifier}/{value}: 200 with the deleted contact's id, 404 contacts:contactNotFound when there is
    // none (spec 3.4.3, deleteContact).
    /// <summary>
    /// <c>DELETE /v2/address-books/{addressBookId}/contacts/{contactId}</c> (204): takes the contact out of the list, the contact
    /// itself stays. A contact id the account does not hold answers 404 with <c>ERROR_CONTACT_NOT_FOUND</c>; a contact not in the
    /// list is left as it is.
    /// </summary>
    private async Task RemoveFromAddressBookAsync(HttpContext context, string addressBookId, string contactIdText)
    {
        if (!long.TryParse(addressBookId, NumberStyles.None, CultureInfo.InvariantCulture, out var listId)
            || !long.TryParse(contactIdText, NumberStyles.None, CultureInfo.InvariantCulture, out var contactId))
        {
            await WriteV2ErrorAsync(context, StatusCodes.Status400BadRequest, "Error: ERROR_PARAMETER_INVALID");
            return;
        }

        lock (_gate)
        {
            if (_contacts.ById(contactId) is { } contact)
            {
                contact.Lists.Remove(listId);
                RemovedFromLists++;
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
        }

        await WriteV2ErrorAsync(context, StatusCodes.Status404NotFound, "Error: ERROR_CONTACT_NOT_FOUND");
    }

    /// <summary>How many contacts were taken out of a list.</summary>
    public int RemovedFromLists { get; private set; }

    private async Task DeleteContactAsync(HttpContext context, string identifier, string value)
    {
        long? deleted = null;
        lock (_gate)
        {
            var contact = identifier switch
            {
                "email" => _contacts.ByEmail(value),
                "contactId" when long.TryParse(value, out var id) => _contacts.ById(id),
                _ => null,
            };
            if (contact is not null && _contacts.Delete(contact))
            {
                deleted = contact.ContactId;
            }
        }

        if (deleted is not { } contactId)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status404NotFound, "contacts:contactNotFound", "The contact was not found");
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("contactId", contactId);
            json.WriteEndObject();
        });
    }

    private async Task GetContactAsync(HttpContext context, string identifier, string value)
    {
        DotdigitalContactState? contact;
        lock (_gate)
        {
            contact = identifier switch
            {
                "email" => _contacts.ByEmail(value)?.Copy(),
                "contactId" when long.TryParse(value, out var id) => _contacts.ById(id)?.Copy(),
                _ => null,
            };
        }

        if (contact is null)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status404NotFound, "contacts:contactNotFound", "The contact was not found");
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, json => WriteContact(json, contact));
    }

    private async Task ContactImportAsync(HttpContext context)
    {
        using var doc = await ReadJsonAsync(context);
        if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty("contacts", out var contacts) || contacts.ValueKind != JsonValueKind.Array)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status400BadRequest, "contacts:badJson", "The contacts field is required");
            return;
        }

        var merge = doc.RootElement.TryGetProperty("mergeOption", out var m) ? m.GetString() ?? "overwrite" : "overwrite";
        ContactImport? import = new(Guid.NewGuid().ToString(), Options.ImportPollsBeforeFinished);
        lock (_gate)
        {
            if (_contactImports.Values.Count(i => i.PollsLeft > 0) >= Options.MaxActiveContactImports)
            {
                import = null;
            }
            else
            {
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var item in contacts.EnumerateArray())
                {
                    ImportOne(item, merge, seen, import);
                }

                _contactImports[import.Id] = import;
            }
        }

        if (import is null)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status429TooManyRequests, "contacts:tooManyActiveImports",
                $"There are already {Options.MaxActiveContactImports} active imports");
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status202Accepted, json =>
        {
            json.WriteStartObject();
            json.WriteString("importId", import.Id);
            json.WriteEndObject();
        });
    }

    // The caller holds the lock.
    private void ImportOne(JsonElement item, string merge, HashSet<string> seen, ContactImport import)
    {
        var email = item.TryGetProperty("identifiers", out var ids) && ids.ValueKind == JsonValueKind.Object
            && ids.TryGetProperty("email", out var e) ? e.GetString() ?? string.Empty : string.Empty;
        if (!item.TryGetProperty("matchIdentifier", out var match) || match.GetString() != "email")
        {
            import.Failures.Add((email, "badRequest", "matchIdentifier is required and must name a supplied identifier"));
            return;
        }

        if (!seen.Add(email.Trim()))
        {
            import.Failures.Add((email, "duplicateIdentifier", "The identifier appears more than once in the import"));
            return;
        }

        if (_rejections.TryGetValue(email.Trim(), out var rejection))
        {
            import.Failures.Add((email, rejection.Code, rejection.Description));
            return;
        }

        var outcome = _contacts.Upsert(ParseContact(item, email), merge, Options.DataFields);
        if (outcome.Contact is { } contact)
        {
            (outcome.Created ? import.Created : import.Updated).Add((contact.ContactId, contact.Email));
        }
        else
        {
            import.Failures.Add((email, outcome.ErrorCode ?? "badRequest", outcome.Error ?? "rejected"));
        }
    }

    private async Task ContactImportStatusAsync(HttpContext context, string importId)
    {
        ContactImport? import;
        bool finished;
        lock (_gate)
        {
            if (_contactImports.TryGetValue(importId, out import) && import.PollsLeft > 0)
            {
                import.PollsLeft--;
                finished = false;
            }
            else
            {
                finished = true;
            }
        }

        if (import is null)
        {
            await WriteV3ErrorAsync(context, StatusCodes.Status404NotFound, "contacts:importNotFound", "The import was not found");
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("importId", import.Id);
            json.WriteString("status", finished ? "Finished" : "NotFinished");
            if (finished)
            {
                json.WriteStartObject("summary");
                json.WriteNumber("newContacts", import.Created.Count);
                json.WriteNumber("updatedContacts", import.Updated.Count);
                json.WriteNumber("globallySuppressed", 0);
                json.WriteNumber("invalidEntries", import.Failures.Count(f => f.Code == "invalidEmail"));
                json.WriteNumber("duplicateIdentifiers", import.Failures.Count(f => f.Code == "duplicateIdentifier"));
                json.WriteEndObject();
                WriteImported(json, "created", import.Created);
                WriteImported(json, "updated", import.Updated);
                json.WriteStartArray("failures");
                foreach (var (email, code, description) in import.Failures)
                {
                    json.WriteStartObject();
                    json.WriteString("matchIdentifier", "email");
                    json.WriteStartObject("identifiers");
                    json.WriteString("email", email);
                    json.WriteEndObject();
                    json.WriteStartArray("failures");
                    json.WriteStartObject();
                    json.WriteString("failureCode", code);
                    json.WriteString("description", description);
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        });

        static void WriteImported(Utf8JsonWriter json, string name, List<(long Id, string Email)> contacts)
        {
            json.WriteStartArray(name);
            foreach (var (id, email) in contacts)
            {
                json.WriteStartObject();
                json.WriteNumber("contactId", id);
                json.WriteStartObject("identifiers");
                json.WriteString("email", email);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
    }

    private static ContactInput ParseContact(JsonElement body, string email)
    {
        var data = new List<KeyValuePair<string, string?>>();
        if (body.TryGetProperty("dataFields", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                data.Add(new(field.Name, field.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => field.Value.GetString(),
                    _ => field.Value.GetRawText(),
                }));
            }
        }

        string? status = null;
        var noChallenge = true;
        if (body.TryGetProperty("channelProperties", out var channels) && channels.ValueKind == JsonValueKind.Object
            && channels.TryGetProperty("email", out var channel) && channel.ValueKind == JsonValueKind.Object)
        {
            status = channel.TryGetProperty("status", out var s) ? s.GetString() : null;
            if (channel.TryGetProperty("resubscribeOptions", out var options) && options.ValueKind == JsonValueKind.Object)
            {
                noChallenge = !options.TryGetProperty("resubscribeWithNoChallenge", out var n) || n.ValueKind != JsonValueKind.False;
            }
        }

        string? sms = null;
        if (body.TryGetProperty("channelProperties", out var smsChannels) && smsChannels.ValueKind == JsonValueKind.Object
            && smsChannels.TryGetProperty("sms", out var smsChannel) && smsChannel.ValueKind == JsonValueKind.Object)
        {
            sms = smsChannel.TryGetProperty("status", out var s) ? s.GetString() : null;
        }

        string? mobile = null;
        if (body.TryGetProperty("identifiers", out var identifiers) && identifiers.ValueKind == JsonValueKind.Object
            && identifiers.TryGetProperty("mobileNumber", out var m) && m.ValueKind == JsonValueKind.String)
        {
            mobile = m.GetString();
        }

        var lists = body.TryGetProperty("lists", out var l) && l.ValueKind == JsonValueKind.Array
            ? l.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Number).Select(x => x.GetInt64()).ToList()
            : [];
        return new ContactInput(email, data, status, noChallenge, lists, MobileNumber: mobile, SmsStatus: sms);
    }

    private static void WriteContact(Utf8JsonWriter json, DotdigitalContactState contact)
    {
        json.WriteStartObject();
        json.WriteNumber("contactId", contact.ContactId);
        json.WriteString("status", contact.EmailStatus);
        // Required by the published contact (contactBasicDetails: contactId, created, identifiers, status, updated).
        json.WriteString("created", contact.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("updated", contact.Updated.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteStartObject("identifiers");
        json.WriteString("email", contact.Email);
        if (contact.MobileNumber is { } mobile)
        {
            json.WriteString("mobileNumber", mobile);
        }

        json.WriteEndObject();
        json.WriteStartObject("dataFields");
        foreach (var (name, value) in contact.DataFields)
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();
        json.WriteStartObject("channelProperties");
        json.WriteStartObject("email");
        json.WriteString("status", contact.EmailStatus);
        json.WriteString("emailType", "Html");
        json.WriteString("optInType", "Single");
        json.WriteEndObject();
        if (contact.MobileNumber is { } number)
        {
            // The published contact's sms channel requires the number's country code beside the status.
            json.WriteStartObject("sms");
            json.WriteString("countryCode", CountryOf(number));
            json.WriteString("status", contact.SmsStatus);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartArray("lists");
        foreach (var list in contact.Lists.Order())
        {
            json.WriteStartObject();
            json.WriteNumber("id", list);
            // The emulator keeps no list names; the published contact_lists requires one.
            json.WriteString("name", $"List {list}");
            json.WriteString("status", "subscribed");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string CountryOf(string mobileNumber)
    {
        var numbers = PhoneNumbers.PhoneNumberUtil.GetInstance();
        try
        {
            return numbers.GetRegionCodeForNumber(numbers.Parse("+" + mobileNumber.TrimStart('+'), "ZZ")) ?? "ZZ";
        }
        catch (PhoneNumbers.NumberParseException)
        {
            return "ZZ";
        }
    }

    private static string Qualified(string? code) =>
        code is null ? "contacts:badRequest" : code.Contains(':', StringComparison.Ordinal) ? code : "contacts:" + code;

    private sealed class ContactImport(string id, int pollsLeft)
    {
        public string Id { get; } = id;

        public int PollsLeft { get; set; } = pollsLeft;

        public List<(long Id, string Email)> Created { get; } = [];

        public List<(long Id, string Email)> Updated { get; } = [];

        public List<(string Email, string Code, string Description)> Failures { get; } = [];
    }
}
