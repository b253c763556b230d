using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Commercetools;

/// <summary>A JSON body already written to bytes.</summary>
internal sealed class JsonBytesResult(int statusCode, ArrayBufferWriter<byte> body) : IResult
{
    public int StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.WrittenCount;
        await response.Body.WriteAsync(body.WrittenMemory, httpContext.RequestAborted);
    }
}

/// <summary>The platform's response shapes: JSON bodies, the ErrorResponse envelope and the OAuth AuthErrorResponse.</summary>
internal static class CtResults
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static JsonBytesResult Json(int statusCode, Action<Utf8JsonWriter> write, int sizeHint = 1024)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return new JsonBytesResult(statusCode, buffer);
    }

    /// <summary>
    /// <c>{"statusCode":…,"message":…,"errors":[{"code":…,"message":…, …extra}]}</c> (ErrorResponse).
    /// </summary>
    public static JsonBytesResult Error(int statusCode, string code, string message, Action<Utf8JsonWriter>? extra = null) => Json(statusCode, w =>
    {
        w.WriteStartObject();
        w.WriteNumber("statusCode", statusCode);
        w.WriteString("message", message);
        w.WriteStartArray("errors");
        w.WriteStartObject();
        w.WriteString("code", code);
        w.WriteString("message", message);
        extra?.Invoke(w);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>
    /// AuthErrorResponse: the ErrorResponse envelope plus the OAuth <c>error</c> and <c>error_description</c> members.
    /// </summary>
    public static JsonBytesResult AuthError(int statusCode, string error, string description) => Json(statusCode, w =>
    {
        w.WriteStartObject();
        w.WriteNumber("statusCode", statusCode);
        w.WriteString("message", description);
        w.WriteStartArray("errors");
        w.WriteStartObject();
        w.WriteString("code", error);
        w.WriteString("message", description);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("error", error);
        w.WriteString("error_description", description);
        w.WriteEndObject();
    });

    public static JsonBytesResult InvalidInput(string message) => Error(StatusCodes.Status400BadRequest, "InvalidInput", message);

    public static JsonBytesResult NotFound(string message) => Error(StatusCodes.Status404NotFound, "ResourceNotFound", message);

    public static JsonBytesResult ConcurrentModification(long expected, long actual) => Error(
        StatusCodes.Status409Conflict,
        "ConcurrentModification",
        $"Object has a different version than expected. Expected: {expected} - Actual: {actual}.",
        w => w.WriteNumber("currentVersion", actual));
}
