using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Engine;

/// <summary>
/// The engine's cursor per source and entity: the watermark of the last completed window, plus the window in progress so a
/// crashed pass resumes where it stopped instead of starting over.
/// </summary>
public sealed record SweepCursor
{
    /// <summary>Upper bound (source clock) of the last completed window.</summary>
    public DateTimeOffset? Watermark { get; init; }

    /// <summary>The window being read, if a pass is in progress.</summary>
    public SweepWindow? InProgress { get; init; }

    /// <summary>Serialises the cursor.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, EngineJsonContext.Default.SweepCursor);

    /// <summary>Reads a cursor; an unreadable one is treated as absent (a full read repairs it).</summary>
    public static SweepCursor Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new SweepCursor();
        }

        try
        {
            return JsonSerializer.Deserialize(json, EngineJsonContext.Default.SweepCursor) ?? new SweepCursor();
        }
        catch (JsonException)
        {
            return new SweepCursor();
        }
    }
}

/// <summary>
/// A read window: [From, Until) by modification time, resumed after <see cref="AfterKey"/>. <see cref="Purchases"/> lists the
/// orders read so far whose first or repeat purchase is decided once the read is complete.
/// </summary>
public sealed record SweepWindow(DateTimeOffset? From, DateTimeOffset Until, string? AfterKey, bool Full, IReadOnlyList<string>? Purchases = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SweepCursor))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
