using System.Text.Json;
using System.Text.Json.Serialization;
using Tributary.Core.Model;

namespace Tributary.Workers;

/// <summary>
/// A hint that an outbox row is due: the worker reads the row itself, so a duplicate or late hint is harmless (the row is gone
/// or newer) and the message carries no personal data.
/// </summary>
/// <param name="Destination">Destination name.</param>
/// <param name="Entity">Entity kind.</param>
/// <param name="Key">Record key.</param>
/// <param name="Revision">Outbox revision the hint was published for (for traces only).</param>
public sealed record WorkHint(string Destination, EntityKind Entity, string Key, long Revision)
{
    /// <summary>The message body.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, WorkHintJson.Default.WorkHint);

    /// <summary>Reads a message body; null when it is not a hint.</summary>
    public static WorkHint? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, WorkHintJson.Default.WorkHint);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSerializable(typeof(WorkHint))]
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
internal sealed partial class WorkHintJson : JsonSerializerContext;
