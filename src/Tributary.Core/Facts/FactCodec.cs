using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Core.Facts;

/// <summary>
/// The one encoding of <see cref="Fact"/>s into outbox payload values and back: projections encode, deliveries decode, and
/// nothing else reads or writes the form. Source-generated JSON, no reflection. An encoded fact starts with its discriminator
/// (<c>{"fact":"sale",…</c>), which tells it from a value staged by an earlier version (a CSV row, a trigger's JSON): a
/// destination decodes those itself, so rows already in an outbox still deliver.
/// </summary>
public static class FactCodec
{
    /// <summary>The name of the property that says which fact a value holds; always the first property.</summary>
    public const string Discriminator = "fact";

    private const string Marker = "{\"" + Discriminator + "\":";

    /// <summary>The outbox form of a fact.</summary>
    public static string Encode(Fact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        return JsonSerializer.Serialize(fact, FactJsonContext.Default.Fact);
    }

    /// <summary>True when the value is in this codec's form (false for a value staged by an earlier version, or null).</summary>
    public static bool IsEncoded([NotNullWhen(true)] string? value) => value is not null && value.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>Decodes a value in this codec's form into a fact of type <typeparamref name="T"/>; false for anything else.</summary>
    public static bool TryDecode<T>([NotNullWhen(true)] string? value, [NotNullWhen(true)] out T? fact)
        where T : Fact
    {
        fact = null;
        if (!IsEncoded(value))
        {
            return false;
        }

        try
        {
            fact = JsonSerializer.Deserialize(value, FactJsonContext.Default.Fact) as T;
        }
        catch (JsonException)
        {
            // A damaged value is no fact: the destination reports it as unreadable rather than sending something else.
        }
        catch (NotSupportedException)
        {
            // An unknown discriminator (a fact kind this version does not know).
        }

        return fact is not null;
    }
}

[JsonSerializable(typeof(Fact))]
internal sealed partial class FactJsonContext : JsonSerializerContext;
