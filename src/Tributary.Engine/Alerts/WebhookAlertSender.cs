using System.Text.Json;

namespace Tributary.Engine.Alerts;

/// <summary>
/// Posts notices as Slack-compatible JSON (<c>{"text": "…"}</c>), which Slack incoming webhooks, Microsoft Teams workflows and
/// most chat tools accept. The URL itself is a secret (it carries the token), so it never appears in messages.
/// </summary>
public sealed class WebhookAlertSender(HttpClient http, Uri url) : IAlertSender
{
    /// <inheritdoc />
    public string Name => "webhook";

    /// <summary>The JSON body of a notice.</summary>
    public static byte[] Body(AlertNotice notice)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("text", notice.Text);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <inheritdoc />
    public async Task SendAsync(AlertNotice notice, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(Body(notice));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(url, content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the alert webhook answered {(int)response.StatusCode}", null, response.StatusCode);
        }
    }
}
