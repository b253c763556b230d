using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Dotdigital;

public sealed partial class DotdigitalEmulator
{
    private const int MaxSelect = 1000;

    /// <summary>
    /// <c>GET /v2/contacts/unsubscribed-since/{date}</c> and <c>/v2/contacts/suppressed-since/{date}</c> (v2 API): the contacts
    /// that opted out (unsubscribed) or were suppressed (bounces, complaints, suppression) at or after the date, oldest first,
    /// as <c>ApiContactSuppression</c> items (<c>suppressedContact</c>, <c>dateRemoved</c>, <c>reason</c>), paged by
    /// <c>select</c> (default and most 1000) and <c>skip</c>.
    /// </summary>
    private async Task OptOutsSinceAsync(HttpContext context, string date, bool suppressed)
    {
        if (!DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
        {
            await WriteV2ErrorAsync(context, StatusCodes.Status400BadRequest, $"The date '{date}' is not valid");
            return;
        }

        var select = int.TryParse(context.Request.Query["select"], CultureInfo.InvariantCulture, out var n) ? n : MaxSelect;
        var skip = int.TryParse(context.Request.Query["skip"], CultureInfo.InvariantCulture, out var k) ? k : 0;
        if (select is < 1 or > MaxSelect || skip < 0)
        {
            await WriteV2ErrorAsync(context, StatusCodes.Status400BadRequest, $"select must be 1 to {MaxSelect} and skip 0 or more");
            return;
        }

        List<DotdigitalContactState> page;
        lock (_gate)
        {
            page = _contacts.All
                .Where(c => c.OptedOutAt is { } at && at >= since
                            && (suppressed ? c.EmailStatus != "unsubscribed" && DotdigitalContactState.IsOptOut(c.EmailStatus) : c.EmailStatus == "unsubscribed"))
                .OrderBy(c => c.OptedOutAt).ThenBy(c => c.ContactId)
                .Skip(skip).Take(select)
                .Select(c => c.Copy()).ToList();
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartArray();
            foreach (var contact in page)
            {
                json.WriteStartObject();
                json.WriteStartObject("suppressedContact");
                json.WriteNumber("id", contact.ContactId);
                json.WriteString("email", contact.Email);
                json.WriteString("status", V2Status(contact.EmailStatus));
                json.WriteEndObject();
                json.WriteString("dateRemoved", contact.OptedOutAt!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                json.WriteString("reason", V2Status(contact.EmailStatus));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });
    }

    // The v2 ApiContactStatuses spell the opt-outs with capitals.
    private static string V2Status(string status) => status switch
    {
        "unsubscribed" => "Unsubscribed",
        "suppressed" => "Suppressed",
        "hardBounced" => "HardBounced",
        "ispComplained" => "IspComplained",
        _ => status,
    };
}
