using System.Globalization;
using System.Text.Json;
using Tributary.Core.Model;

namespace Tributary.Connectors.Centra.Mapping;

/// <summary>A record that cannot be mapped, with the reason an operator reads.</summary>
internal sealed class UnmappableException(string reason) : Exception(reason);

/// <summary>Defensive readers over a GraphQL node: a wrong shape rejects one record, never its page.</summary>
internal static class Node
{
    public static JsonElement? Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    public static IEnumerable<JsonElement> List(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw new UnmappableException($"'{name}' is not a list");
    }

    /// <summary>A scalar as text: strings as they are, numbers and booleans in JSON spelling.</summary>
    public static string? Text(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Null => null,
            _ => throw new UnmappableException($"'{name}' is not a scalar"),
        };
    }

    public static string? Text(JsonElement e, string obj, string name) => Obj(e, obj) is { } o ? Text(o, name) : null;

    public static string Required(JsonElement e, string name) =>
        Text(e, name) is { Length: > 0 } v ? v : throw new UnmappableException($"the record has no {name}");

    public static decimal? Decimal(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var d)
            ? d
            : throw new UnmappableException($"'{name}' is not a number");
    }

    public static bool Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>MonetaryValue <c>{value, currency{code}}</c>; the currency falls back to the record's.</summary>
    public static Money? Money(JsonElement e, string name, string? fallbackCurrency)
    {
        if (Obj(e, name) is not { } m || Decimal(m, "value") is not { } value)
        {
            return null;
        }

        var currency = Text(m, "currency", "code") ?? fallbackCurrency
            ?? throw new UnmappableException($"'{name}' has no currency");
        return new Money(value, currency.ToUpperInvariant());
    }

    /// <summary>DateTimeTz (ISO-8601 with offset); the filter form "2021-10-23 00:00:00" is read as UTC.</summary>
    public static DateTimeOffset? Time(JsonElement e, string name)
    {
        var text = Text(e, name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new UnmappableException($"'{name}' is not a date and time ('{text}')");
    }

    /// <summary>The node's id as text, read on its own so a rejection still names its record.</summary>
    public static string? Id(JsonElement e, string name)
    {
        try
        {
            return Text(e, name);
        }
        catch (UnmappableException)
        {
            return null;
        }
    }
}
