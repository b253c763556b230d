using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Tributary.Core.Contracts;

namespace Tributary.Connectors.Dotdigital;

public sealed partial class DotdigitalClient
{
    /// <summary>
    /// Creates or updates one contact (<c>PATCH /contacts/v3/{identifier}/{value}?merge-option=…</c>). Data fields left out stay
    /// as they are; null clears one. Answers the contact, with <see cref="DotdigitalContact.Created"/> on a 201.
    /// </summary>
    public async Task<DotdigitalContact> UpsertContactAsync(DotdigitalContactWrite contact, DotdigitalMergeOption mergeOption,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(contact.MatchValue);
        var merge = mergeOption switch
        {
            DotdigitalMergeOption.OverwriteIfNotEmpty => "overwrite-if-not-empty",
            DotdigitalMergeOption.OverwriteIfEmpty => "overwrite-if-empty",
            _ => "overwrite",
        };
        var body = WriteJson(json => WriteContact(json, contact, withMatchIdentifier: false));
        var path = contact.ContactId is { } id
            ? $"contacts/v3/contactId/{id.ToString(CultureInfo.InvariantCulture)}?merge-option={merge}"
            : $"contacts/v3/{Escape(contact.MatchIdentifier)}/{Escape(contact.MatchValue)}?merge-option={merge}";
        var answer = await SendAsync(HttpMethod.Patch, path, body, cancellationToken);
        var result = Read(answer, DotdigitalJsonContext.Default.DotdigitalContact) ?? new DotdigitalContact();
        result.Created = answer.Status == 201;
        return result;
    }

    /// <summary>Most opt-outs one page of the v2 lists carries (<c>select</c>'s default).</summary>
    public const int OptOutPage = 1000;

    /// <summary>
    /// Every opt-out at or after <paramref name="since"/>: the contacts that unsubscribed (<c>GET /v2/contacts/unsubscribed-since</c>)
    /// and those suppressed (<c>/v2/contacts/suppressed-since</c>: bounces, complaints, suppression), all pages of both.
    /// </summary>
    /// <param name="since">The earliest opt-out wanted.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="beforeCall">Awaited before each call (the account's budget), when given.</param>
    public async Task<IReadOnlyList<DotdigitalOptOut>> OptOutsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken,
        Func<CancellationToken, ValueTask>? beforeCall = null)
    {
        var date = Escape(since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        var all = new List<DotdigitalOptOut>();
        foreach (var list in new[] { "unsubscribed-since", "suppressed-since" })
        {
            for (var skip = 0; ; skip += OptOutPage)
            {
                if (beforeCall is not null)
                {
                    await beforeCall(cancellationToken);
                }

                var answer = await SendAsync(HttpMethod.Get, $"v2/contacts/{list}/{date}?select={OptOutPage}&skip={skip}", null, cancellationToken);
                var page = Read(answer, DotdigitalJsonContext.Default.ListDotdigitalOptOut) ?? [];
                all.AddRange(page);
                if (page.Count < OptOutPage)
                {
                    break;
                }
            }
        }

        return all;
    }

    /// <summary>Deletes one contact (<c>DELETE /contacts/v3/{identifier}/{value}</c>); false when there was none (404).</summary>
    public async Task<bool> DeleteContactAsync(string identifier, string value, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Delete, $"contacts/v3/{Escape(identifier)}/{Escape(value)}", null, cancellationToken);
            return true;
        }
        catch (DotdigitalException ex) when (ex.StatusCode == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Takes one contact out of one list (<c>DELETE /v2/address-books/{addressBookId}/contacts/{contactId}</c>; v3 can only add to
    /// lists). The contact itself stays. False when Dotdigital answers 404 (the contact is gone, so it is in no list).
    /// </summary>
    public async Task<bool> RemoveFromListAsync(long listId, long contactId, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Delete,
                $"v2/address-books/{listId.ToString(CultureInfo.InvariantCulture)}/contacts/{contactId.ToString(CultureInfo.InvariantCulture)}", null,
                cancellationToken);
            return true;
        }
        catch (DotdigitalException ex) when (ex.StatusCode == 404 && ex.PlatformCode is not "ERROR_ADDRESSBOOK_NOT_FOUND")
        {
            return false;
        }
    }

    /// <summary>Reads one contact (<c>GET /contacts/v3/{identifier}/{value}</c>); null when it does not exist.</summary>
    public async Task<DotdigitalContact?> GetContactAsync(string identifier, string value, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await SendAsync(HttpMethod.Get, $"contacts/v3/{Escape(identifier)}/{Escape(value)}", null, cancellationToken);
            return Read(answer, DotdigitalJsonContext.Default.DotdigitalContact);
        }
        catch (DotdigitalException ex) when (ex.StatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>Starts a bulk contact import (<c>PUT /contacts/v3/import</c>); answers the import id.</summary>
    public async Task<string> StartContactImportAsync(IReadOnlyList<DotdigitalContactWrite> contacts, DotdigitalMergeOption mergeOption,
        CancellationToken cancellationToken)
    {
        // The body enum is camelCase while the PATCH query is kebab-case: the spec has both.
        var merge = mergeOption switch
        {
            DotdigitalMergeOption.OverwriteIfNotEmpty => "overwriteIfNotEmpty",
            DotdigitalMergeOption.OverwriteIfEmpty => "overwriteIfEmpty",
            _ => "overwrite",
        };
        var body = WriteJson(json =>
        {
            json.WriteStartObject();
            json.WriteString("mergeOption", merge);
            json.WriteStartArray("contacts");
            foreach (var contact in contacts)
            {
                WriteContact(json, contact, withMatchIdentifier: true);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
        var answer = await SendAsync(HttpMethod.Put, "contacts/v3/import", body, cancellationToken);
        return Read(answer, DotdigitalJsonContext.Default.ImportAccepted)?.ImportId is { Length: > 0 } id
            ? id
            : throw new DotdigitalException(FailureKind.Transient, "Dotdigital accepted a contact import without an importId", answer.Status);
    }

    /// <summary>Reads a contact import's status (<c>GET /contacts/v3/import/{id}</c>).</summary>
    public async Task<DotdigitalContactImport> GetContactImportAsync(string importId, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, $"contacts/v3/import/{Escape(importId)}", null, cancellationToken);
        return Read(answer, DotdigitalJsonContext.Default.DotdigitalContactImport) ?? new DotdigitalContactImport();
    }

    /// <summary>
    /// Imports contacts and polls until the import is finished. A finished import may still hold per-contact failures; an import
    /// that failed as a whole throws.
    /// </summary>
    public async Task<DotdigitalContactImport> ImportContactsAsync(IReadOnlyList<DotdigitalContactWrite> contacts,
        DotdigitalMergeOption mergeOption, CancellationToken cancellationToken)
    {
        var id = await StartContactImportAsync(contacts, mergeOption, cancellationToken);
        var status = await PollAsync(() => GetContactImportAsync(id, cancellationToken), s => s.Status, "contact import", cancellationToken);
        return status.Status is "Finished"
            ? status
            : throw new DotdigitalException(status.Status is "RejectedByWatchdog" or "ExceedsAllowedContactLimit" ? FailureKind.Config : FailureKind.Transient,
                $"Dotdigital contact import {id} ended {status.Status}", errorCode: status.Status);
    }

    private async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, string?> state, string what, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.ImportTimeout;
        while (true)
        {
            var status = await read();
            if (state(status) is not (null or "NotFinished" or "NotStarted" or "Processing"))
            {
                return status;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                throw new DotdigitalException(FailureKind.Transient,
                    $"Dotdigital {what} was not finished after {_options.ImportTimeout.TotalMinutes:0.#} min");
            }

            if (_options.ImportPollInterval > TimeSpan.Zero)
            {
                await Task.Delay(_options.ImportPollInterval, _time, cancellationToken);
            }
        }
    }

    private static void WriteContact(Utf8JsonWriter json, DotdigitalContactWrite contact, bool withMatchIdentifier)
    {
        json.WriteStartObject();
        if (withMatchIdentifier)
        {
            json.WriteString("matchIdentifier", contact.MatchIdentifier);
        }

        json.WriteStartObject("identifiers");
        foreach (var (name, value) in contact.Identifiers)
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();
        if (contact.DataFields.Count > 0)
        {
            json.WriteStartObject("dataFields");
            foreach (var (name, value) in contact.DataFields)
            {
                if (value is null)
                {
                    json.WriteNull(name);
                }
                else if (contact.NumericFields?.Contains(name) == true
                    && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
                {
                    json.WriteNumber(name, number);
                }
                else
                {
                    json.WriteString(name, value);
                }
            }

            json.WriteEndObject();
        }

        if (contact.EmailStatus is not null || contact.SmsStatus is not null)
        {
            // No resubscribeOptions: leaving them out still resubscribes (the default is no challenge), so the contact writer
            // never sends "subscribed" over an opt-out Dotdigital holds unless the source's answer is newer.
            json.WriteStartObject("channelProperties");
            if (contact.EmailStatus is { } status)
            {
                json.WriteStartObject("email");
                json.WriteString("status", status);
                json.WriteEndObject();
            }

            if (contact.SmsStatus is { } sms)
            {
                json.WriteStartObject("sms");
                json.WriteString("status", sms);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        if (contact.Lists is { Count: > 0 } lists)
        {
            json.WriteStartArray("lists");
            foreach (var list in lists)
            {
                json.WriteNumberValue(list);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
