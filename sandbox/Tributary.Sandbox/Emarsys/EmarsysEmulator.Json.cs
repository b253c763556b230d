using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Emarsys;

public sealed partial class EmarsysEmulator
{
    private Task WriteErrorAsync(HttpContext context, int status, int replyCode, string replyText) =>
        WriteEnvelopeAsync(context, status, replyCode, replyText, null);

    /// <summary>Writes <c>{replyCode, replyText, data}</c>; data is <c>""</c> when no writer is given.</summary>
    private async Task WriteEnvelopeAsync(HttpContext context, int status, int replyCode, string replyText, Action<Utf8JsonWriter>? data)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("replyCode", replyCode);
            json.WriteString("replyText", replyText);
            json.WritePropertyName("data");
            if (data is null)
            {
                json.WriteStringValue(string.Empty);
            }
            else
            {
                data(json);
            }

            json.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = Options.JsonContentType;
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A scalar as the API reads it (strings as is, numbers as written); null for null, objects and arrays.</summary>
    private static string? ScalarText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>Writes a contact id the way the real API does: sometimes a number, sometimes a numeric string.</summary>
    private static void WriteId(Utf8JsonWriter json, long id, int position)
    {
        if (position % 2 == 0)
        {
            json.WriteNumberValue(id);
        }
        else
        {
            json.WriteStringValue(id.ToString(CultureInfo.InvariantCulture));
        }
    }
}
