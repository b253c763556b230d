using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tributary.Sandbox.Centra;

/// <summary>One event of a Centra Webhook plugin call ("Integration API" version).</summary>
/// <param name="Type">order, shipment, customer, account or return.</param>
/// <param name="Action">insert, create, update, good_to_go…</param>
/// <param name="Id">The id (for orders, the order number).</param>
public sealed record CentraWebhookEvent(string Type, string Action, string Id);

/// <summary>A signed webhook call: the headers and the exact form body.</summary>
/// <param name="Headers">Content-Type and X-Centra-Signature.</param>
/// <param name="Body">The raw body, <c>payload=&lt;url-encoded JSON&gt;</c>.</param>
public sealed record CentraSignedWebhook(IReadOnlyDictionary<string, string> Headers, string Body);

public sealed partial class CentraEmulator
{
    /// <summary>The events JSON the plugin sends: <c>{"events":[{type, action, date, id}]}</c>.</summary>
    public string WebhookPayload(params CentraWebhookEvent[] events)
    {
        var date = Time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("events");
            foreach (var e in events)
            {
                w.WriteStartObject();
                w.WriteString("type", e.Type);
                w.WriteString("action", e.Action);
                w.WriteString("date", date);
                if (long.TryParse(e.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    w.WriteNumber("id", number);
                }
                else
                {
                    w.WriteString("id", e.Id);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Signs a payload as the Centra Webhook plugin does: body <c>payload=&lt;url-encoded JSON&gt;</c>, header
    /// <c>X-Centra-Signature: t=&lt;unix seconds&gt;,v1=hex(HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;"))</c>.
    /// </summary>
    public static CentraSignedWebhook SignWebhook(string payload, string secret, DateTimeOffset time)
    {
        var body = "payload=" + Uri.EscapeDataString(payload);
        var t = time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        return new CentraSignedWebhook(
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Content-Type"] = "application/x-www-form-urlencoded",
                ["X-Centra-Signature"] = $"t={t},v1={signature}",
            },
            body);
    }

    /// <summary>Posts a signed call to <paramref name="target"/> with the configured secret; returns the HTTP status.</summary>
    public async Task<int> SendWebhookAsync(HttpClient http, Uri target, IReadOnlyList<CentraWebhookEvent> events, CancellationToken cancellationToken)
    {
        var signed = SignWebhook(WebhookPayload([.. events]), Options.WebhookSecret, Time.GetUtcNow());
        using var request = new HttpRequestMessage(HttpMethod.Post, target);
        request.Content = new StringContent(signed.Body, Encoding.UTF8);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.TryAddWithoutValidation("X-Centra-Signature", signed.Headers["X-Centra-Signature"]);
        using var response = await http.SendAsync(request, cancellationToken);
        return (int)response.StatusCode;
    }
}
