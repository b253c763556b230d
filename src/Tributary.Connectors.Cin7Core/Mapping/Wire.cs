using System.Globalization;

namespace Tributary.Connectors.Cin7Core.Mapping;

/// <summary>A record that cannot be mapped, with the reason an operator reads.</summary>
internal sealed class UnmappableException(string reason) : Exception(reason);

/// <summary>Readers of Cin7 Core's wire values.</summary>
internal static class Wire
{
    /// <summary>
    /// Cin7 Core writes UTC times without an offset (<c>2024-03-01T08:12:00.117</c>) and sometimes with a <c>Z</c>; both read
    /// as UTC.
    /// </summary>
    public static DateTimeOffset? Time(string? value) =>
        !string.IsNullOrWhiteSpace(value) && DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;

    public static DateTimeOffset RequiredTime(string? value, string what) =>
        Time(value) ?? throw new UnmappableException(value is null ? $"{what} is missing" : $"{what} '{value}' is not a date");

    public static string Required(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new UnmappableException($"{what} is missing") : value.Trim();

    /// <summary>Cin7 Core ids are GUIDs; the canonical key is their lower-case form so the key order is stable.</summary>
    public static string Key(string? id, string what) => Required(id, what).ToLowerInvariant();

    public static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
