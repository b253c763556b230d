using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Host.Server.Dashboard;

/// <summary>JSON settings of the dashboard API: camelCase, enums as names, no indentation.</summary>
public static class DashboardJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
