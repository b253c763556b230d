using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Centra;

/// <summary>Answers in the Integration API's wire shapes: <c>{data, errors, extensions}</c>.</summary>
internal static class CentraResults
{
    public static IResult Data(Action<Utf8JsonWriter> writeData, int complexity, IEnumerable<string> permissionsUsed) =>
        Json(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject("data");
            writeData(w);
            w.WriteEndObject();
            WriteExtensions(w, complexity, permissionsUsed);
        });

    /// <summary>A GraphQL error. Centra answers most of them (permissions, invalid queries) with HTTP 200.</summary>
    public static IResult Errors(int status, string category, string message, string? path = null) =>
        Json(status, w =>
        {
            w.WriteStartArray("errors");
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteStartObject("extensions");
            w.WriteString("category", category);
            w.WriteEndObject();
            if (path is not null)
            {
                w.WriteStartArray("path");
                w.WriteStringValue(path);
                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteNull("data");
            WriteExtensions(w, 0, []);
        });

    public static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? t)
    {
        if (t is { } value)
        {
            w.WriteString(name, value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static void WriteMoney(Utf8JsonWriter w, string name, decimal value, string currency)
    {
        w.WriteStartObject(name);
        w.WriteNumber("value", value);
        w.WriteStartObject("currency");
        w.WriteString("code", currency);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteRef(Utf8JsonWriter w, string name, int id, string? label = null, string? type = null)
    {
        w.WriteStartObject(name);
        w.WriteNumber("id", id);
        if (label is not null)
        {
            w.WriteString("name", label);
        }

        if (type is not null)
        {
            w.WriteString("type", type);
        }

        w.WriteEndObject();
    }

    private static void WriteExtensions(Utf8JsonWriter w, int complexity, IEnumerable<string> permissionsUsed)
    {
        w.WriteStartObject("extensions");
        w.WriteNumber("complexity", complexity);
        w.WriteStartArray("permissionsUsed");
        foreach (var p in permissionsUsed)
        {
            w.WriteStringValue(p);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static IResult Json(int status, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        var bytes = buffer.WrittenSpan.ToArray();
        return status == StatusCodes.Status200OK
            ? Results.Bytes(bytes, "application/json")
            : new StatusBytes(status, bytes);
    }

    private sealed class StatusBytes(int status, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json";
            await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
