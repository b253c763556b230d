using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tributary.Sandbox.Cin7Core;

/// <summary>Answers in the External API's wire shapes.</summary>
internal static class Cin7CoreResults
{
    /// <summary>Property names as Cin7 Core spells them (PascalCase, written as declared).</summary>
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = null };

    /// <summary>An error: Cin7 Core wraps <c>{ErrorCode, Exception}</c> in an array.</summary>
    public static IResult Error(int status, string message) =>
        Json(new object[] { new Dictionary<string, object> { ["ErrorCode"] = status, ["Exception"] = message } }, status);

    public static IResult Json(object body, int status = StatusCodes.Status200OK) =>
        Results.Text(JsonSerializer.Serialize(body, Options), "application/json; charset=utf-8", statusCode: status);

    /// <summary>Times as UTC without an offset, with milliseconds (<c>2024-03-01T08:12:00.117</c>).</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>Some fields (customers' <c>LastModifiedOn</c>) come with a trailing Z.</summary>
    public static string TimeZ(DateTimeOffset t) => Time(t) + "Z";
}
