using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Tributary.Connectors.Centra.Api;

/// <summary>Writes a GraphQL request body <c>{"operationName", "query", "variables"}</c> without reflection.</summary>
internal static class GraphQlBody
{
    public static byte[] Write(string operationName, string query, Action<Utf8JsonWriter>? variables)
    {
        var buffer = new ArrayBufferWriter<byte>(query.Length + 256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("operationName", operationName);
            w.WriteString("query", query);
            w.WriteStartObject("variables");
            variables?.Invoke(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>DateTimeTz as Centra prints it: ISO-8601 with an offset, whole seconds.</summary>
    public static string Timestamp(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
